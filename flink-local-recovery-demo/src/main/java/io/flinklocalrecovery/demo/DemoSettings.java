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
package io.flinklocalrecovery.demo;

import org.apache.flink.annotation.Internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The demo's settings, from {@code -Ddemo.*} system properties (the {@code demo} Maven profile
 * passes them on). The state size is the keyed state of all subtasks together; it is rounded down
 * to a whole number of keys per subtask.
 */
@Internal
final class DemoSettings {

    static final int TASK_MANAGERS = 2;
    static final int SLOTS_PER_TASK_MANAGER = 2;
    static final long MB = 1024L * 1024L;

    /** Records per second and source subtask once the state is built (they rewrite values). */
    static final double RECORDS_PER_SECOND_AFTER_BUILD = 200;

    final int stateMb = intProperty("demo.stateMb", 256);
    final int valueBytes = intProperty("demo.valueBytes", 1024);
    final int parallelism = intProperty("demo.parallelism", TASK_MANAGERS * SLOTS_PER_TASK_MANAGER);
    final double remoteMbPerSecond = doubleProperty("demo.remoteMbPerSecond", 100);
    final long remoteLatencyMs = intProperty("demo.remoteLatencyMs", 20);
    final double timeoutMinutes = doubleProperty("demo.timeoutMinutes", 15);
    final List<DemoSetup.Backend> backends = backends(System.getProperty("demo.backends"));
    final boolean keepDir = Boolean.getBoolean("demo.keepDir");
    final Path flinkLib = requiredPath("demo.flinkLib");
    final Path fsJar = requiredPath("demo.fsJar");
    final Path jobJar = requiredPath("demo.jobJar");
    final Path reportDir =
            Paths.get(System.getProperty("demo.reportDir", "target/demo-report")).toAbsolutePath();

    /** Bytes one entry takes in a checkpoint: the long key, the array length, the value. */
    final long entryBytes = 8 + 4 + valueBytes;

    final long numKeys;

    DemoSettings() {
        if (parallelism > TASK_MANAGERS * SLOTS_PER_TASK_MANAGER) {
            throw new IllegalArgumentException(
                    "demo.parallelism can be at most "
                            + TASK_MANAGERS * SLOTS_PER_TASK_MANAGER
                            + " (two TaskManagers with two slots each), not "
                            + parallelism);
        }
        long keysPerSubtask = Math.max(1, stateMb * MB / entryBytes / parallelism);
        this.numKeys = keysPerSubtask * parallelism;
    }

    Duration timeout() {
        return Duration.ofMillis((long) (timeoutMinutes * 60_000));
    }

    long stateBytes() {
        return numKeys * entryBytes;
    }

    private static List<DemoSetup.Backend> backends(String value) {
        if (value == null || value.isBlank()) {
            return List.of(DemoSetup.Backend.values());
        }
        List<DemoSetup.Backend> backends = new ArrayList<>();
        for (String name : value.split(",")) {
            String trimmed = name.trim().toLowerCase(Locale.ROOT);
            DemoSetup.Backend backend =
                    switch (trimmed) {
                        case "heap", "hashmap" -> DemoSetup.Backend.HEAP;
                        case "rocksdb" -> DemoSetup.Backend.ROCKSDB;
                        default ->
                                throw new IllegalArgumentException(
                                        "demo.backends is a comma-separated list of 'heap' and"
                                                + " 'rocksdb', not '"
                                                + value
                                                + "'");
                    };
            if (!backends.contains(backend)) {
                backends.add(backend);
            }
        }
        return backends;
    }

    private static int intProperty(String name, int defaultValue) {
        double value = doubleProperty(name, defaultValue);
        if (value != Math.rint(value)) {
            throw new IllegalArgumentException(
                    "System property " + name + " must be a whole number, not " + value);
        }
        return (int) value;
    }

    /** The property's value, or {@code defaultValue} if unset or blank. */
    private static double doubleProperty(String name, double defaultValue) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            double parsed = Double.parseDouble(value.trim());
            if (parsed <= 0) {
                throw new NumberFormatException("not positive");
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "System property " + name + " must be a positive number, not '" + value + "'");
        }
    }

    private static Path requiredPath(String key) {
        String value = System.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(
                    "System property "
                            + key
                            + " is not set; run the demo through Maven: mvn -q -DskipTests -Pdemo"
                            + " verify");
        }
        Path path = Paths.get(value).toAbsolutePath();
        if (!Files.exists(path)) {
            throw new IllegalArgumentException(
                    path
                            + " ("
                            + key
                            + ") does not exist; run the demo through Maven (-Pdemo verify)");
        }
        return path;
    }
}
