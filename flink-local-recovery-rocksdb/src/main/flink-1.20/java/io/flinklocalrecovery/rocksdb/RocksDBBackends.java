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
package io.flinklocalrecovery.rocksdb;

import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.IllegalConfigurationException;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend;
import org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackendFactory;
import org.apache.flink.runtime.execution.Environment;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.util.Preconditions;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

/**
 * The Flink-version-specific seam to the RocksDB state backend: the only class of this module that
 * names classes of Flink's RocksDB package, which moved between Flink versions.
 */
@Internal
final class RocksDBBackends {

    private RocksDBBackends() {}

    /** Flink's embedded RocksDB backend, configured exactly as without the plugin. */
    static StateBackend fromConfig(ReadableConfig config, ClassLoader classLoader)
            throws IllegalConfigurationException {
        return new EmbeddedRocksDBStateBackendFactory().createFromConfig(config, classLoader);
    }

    /** A RocksDB backend with default settings. */
    static StateBackend withDefaults() {
        return new EmbeddedRocksDBStateBackend();
    }

    static StateBackend checkIsRocksDB(StateBackend backend) {
        Preconditions.checkArgument(
                backend instanceof EmbeddedRocksDBStateBackend,
                "Expected Flink's EmbeddedRocksDBStateBackend, got %s",
                backend.getClass().getName());
        return backend;
    }

    /** Flink's {@code EmbeddedRocksDBStateBackend#configure} of a RocksDB backend. */
    static StateBackend configure(
            StateBackend backend, ReadableConfig config, ClassLoader classLoader) {
        return ((EmbeddedRocksDBStateBackend) checkIsRocksDB(backend))
                .configure(config, classLoader);
    }

    /**
     * The directories in which RocksDB keeps its working files for this task: {@code
     * state.backend.rocksdb.localdir}, or by default the TaskManager's temporary working directory.
     */
    static List<File> workingDirectories(StateBackend backend, Environment env) {
        List<File> dirs = new ArrayList<>();
        String[] configured = ((EmbeddedRocksDBStateBackend) backend).getDbStoragePaths();
        if (configured == null || configured.length == 0) {
            dirs.add(env.getTaskManagerInfo().getTmpWorkingDirectory());
        } else {
            for (String path : configured) {
                dirs.add(new File(path));
            }
        }
        return dirs;
    }
}
