/*
 * Copyright 2026 The flink-local-recovery authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */
package io.flinklocalrecovery.benchmarks;

import java.util.Locale;

/** One column of the benchmark: a state backend and a way of (not) recovering locally. */
public final class Setup {

    /** The state backend and its checkpoint flavour. */
    public enum Backend {
        HEAP("heap", "heap (HashMap)"),
        ROCKSDB_INCREMENTAL("rocksdb-incremental", "RocksDB incremental"),
        ROCKSDB_FULL("rocksdb-full", "RocksDB full");

        public final String id;
        public final String label;

        Backend(String id, String label) {
            this.id = id;
            this.label = label;
        }

        public boolean isRocksDB() {
            return this != HEAP;
        }

        public static Backend parse(String id) {
            for (Backend backend : values()) {
                if (backend.id.equalsIgnoreCase(id.trim())) {
                    return backend;
                }
            }
            throw new IllegalArgumentException(
                    "Unknown backend '" + id + "' (heap, rocksdb-incremental, rocksdb-full)");
        }
    }

    /** How task-local recovery is done. */
    public enum Mode {
        NONE("none", "no local recovery"),
        BUILT_IN("built-in", "Flink built-in"),
        PLUGIN("plugin", "plugin");

        public final String id;
        public final String label;

        Mode(String id, String label) {
            this.id = id;
            this.label = label;
        }

        public static Mode parse(String id) {
            for (Mode mode : values()) {
                if (mode.id.equalsIgnoreCase(id.trim())) {
                    return mode;
                }
            }
            throw new IllegalArgumentException(
                    "Unknown mode '" + id + "' (none, built-in, plugin)");
        }
    }

    public final Backend backend;
    public final Mode mode;

    public Setup(Backend backend, Mode mode) {
        this.backend = backend;
        this.mode = mode;
    }

    public String label() {
        return backend.label + " / " + mode.label;
    }

    public String id() {
        return (backend.id + "-" + mode.id).toLowerCase(Locale.ROOT);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Setup && ((Setup) o).backend == backend && ((Setup) o).mode == mode;
    }

    @Override
    public int hashCode() {
        return backend.hashCode() * 31 + mode.hashCode();
    }

    @Override
    public String toString() {
        return label();
    }
}
