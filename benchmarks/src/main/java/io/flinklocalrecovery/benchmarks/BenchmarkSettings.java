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

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The benchmark's parameters, from system properties {@code bench.*}. */
public final class BenchmarkSettings {

    /** State sizes of the throttled pass, in MB (total over all subtasks). */
    public List<Integer> sizesMb = List.of(256, 1024);

    /** Injected failures per setup and state size in the throttled pass. */
    public int failures = 5;

    /** Completed checkpoints holding the whole state, per attempt, before each failure. */
    public int failAfterCheckpoints = 2;

    public double remoteMbPerSecond = 100;
    public long remoteLatencyMs = 20;

    /** State size of the pass with an unthrottled primary; 0 skips that pass. */
    public int unthrottledSizeMb = 1024;

    /** Steady checkpoints before the one failure of the unthrottled pass. */
    public int unthrottledCheckpoints = 6;

    public List<Setup.Backend> backends =
            List.of(
                    Setup.Backend.HEAP,
                    Setup.Backend.ROCKSDB_INCREMENTAL,
                    Setup.Backend.ROCKSDB_FULL);
    public List<Setup.Mode> modes =
            List.of(Setup.Mode.NONE, Setup.Mode.BUILT_IN, Setup.Mode.PLUGIN);

    public int parallelism = 2;
    public int valueBytes = 1024;
    public double recordsPerSecondAfterBuild = 500;

    /** Run every setup once with a tiny state first, unmeasured (JIT warm-up). */
    public boolean warmUp = true;

    /** Quick mode: the CI smoke test. */
    public boolean quick;

    /** Size of the file the machine's read limits are measured with, in MB. */
    public int machineProbeMb = 1024;

    public double timeoutMinutesPerSetup = 30;

    /** Free text for the report, e.g. that the machine was shared. */
    public String note = "";

    public Path output = Paths.get("docs/benchmarks.md");
    public Path plot = Paths.get("docs/benchmarks-recovery.png");

    /** Where the setups' temporary directories go. */
    public Path workDir = Paths.get(System.getProperty("java.io.tmpdir"));

    public String commandLine = "mvn -q -DskipTests -Pbenchmarks verify";

    /** The settings of quick mode: tiny state, one failure per setup, no unthrottled pass. */
    public static BenchmarkSettings quick() {
        BenchmarkSettings settings = new BenchmarkSettings();
        settings.quick = true;
        settings.sizesMb = List.of(4);
        settings.failures = 1;
        settings.failAfterCheckpoints = 1;
        settings.unthrottledSizeMb = 0;
        settings.warmUp = false;
        settings.machineProbeMb = 64;
        settings.timeoutMinutesPerSetup = 2;
        return settings;
    }

    public static BenchmarkSettings fromSystemProperties() {
        BenchmarkSettings settings =
                Boolean.parseBoolean(System.getProperty("bench.quick", "false"))
                        ? quick()
                        : new BenchmarkSettings();
        String sizes = property("bench.sizesMb");
        if (sizes != null) {
            List<Integer> parsed = new ArrayList<>();
            for (String size : sizes.split(",")) {
                if (!size.isBlank()) {
                    parsed.add(Integer.parseInt(size.trim()));
                }
            }
            settings.sizesMb = parsed;
        }
        settings.failures = intProperty("bench.failures", settings.failures);
        settings.failAfterCheckpoints =
                intProperty("bench.failAfterCheckpoints", settings.failAfterCheckpoints);
        settings.remoteMbPerSecond =
                doubleProperty("bench.remoteMbPerSecond", settings.remoteMbPerSecond);
        settings.remoteLatencyMs =
                intProperty("bench.remoteLatencyMs", (int) settings.remoteLatencyMs);
        settings.unthrottledSizeMb =
                intProperty("bench.unthrottledSizeMb", settings.unthrottledSizeMb);
        settings.unthrottledCheckpoints =
                intProperty("bench.unthrottledCheckpoints", settings.unthrottledCheckpoints);
        settings.backends = listProperty("bench.backends", Setup.Backend::parse, settings.backends);
        settings.modes = listProperty("bench.modes", Setup.Mode::parse, settings.modes);
        settings.parallelism = intProperty("bench.parallelism", settings.parallelism);
        settings.valueBytes = intProperty("bench.valueBytes", settings.valueBytes);
        settings.warmUp =
                Boolean.parseBoolean(
                        System.getProperty("bench.warmUp", String.valueOf(settings.warmUp)));
        settings.machineProbeMb = intProperty("bench.machineProbeMb", settings.machineProbeMb);
        settings.timeoutMinutesPerSetup =
                doubleProperty("bench.timeoutMinutesPerSetup", settings.timeoutMinutesPerSetup);
        String note = property("bench.note");
        if (note != null && !note.equals("-")) {
            settings.note = note;
        }
        String output = property("bench.output");
        if (output != null) {
            settings.output = Paths.get(output);
        }
        String plot = property("bench.plot");
        if (plot != null) {
            settings.plot = Paths.get(plot);
        }
        String workDir = property("bench.workDir");
        if (workDir != null) {
            settings.workDir = Paths.get(workDir);
        }
        settings.validate();
        return settings;
    }

    public void validate() {
        if (sizesMb.isEmpty() || backends.isEmpty() || modes.isEmpty()) {
            throw new IllegalArgumentException("nothing to run: empty sizes, backends or modes");
        }
        if (failures < 1 || failAfterCheckpoints < 1 || parallelism < 1 || valueBytes < 1) {
            throw new IllegalArgumentException(
                    "failures, failAfterCheckpoints, parallelism and valueBytes must be positive");
        }
        if (unthrottledSizeMb > 0 && unthrottledCheckpoints < 2) {
            throw new IllegalArgumentException("bench.unthrottledCheckpoints must be at least 2");
        }
    }

    public List<Setup> setups() {
        List<Setup> setups = new ArrayList<>();
        for (Setup.Backend backend : backends) {
            for (Setup.Mode mode : modes) {
                setups.add(new Setup(backend, mode));
            }
        }
        return setups;
    }

    public String describe() {
        return String.format(
                Locale.ROOT,
                "state sizes %s MB; %d failure(s) per setup and size, each after %d completed"
                        + " checkpoint(s) holding the whole state; primary %.0f MB/s + %d ms per"
                        + " open/create; unthrottled pass: %s; parallelism %d; %d-byte values",
                sizesMb.toString().replaceAll("[\\[\\]]", ""),
                failures,
                failAfterCheckpoints,
                remoteMbPerSecond,
                remoteLatencyMs,
                unthrottledSizeMb > 0
                        ? unthrottledSizeMb
                                + " MB, one failure after "
                                + unthrottledCheckpoints
                                + " checkpoints"
                        : "not run",
                parallelism,
                valueBytes);
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static <T> List<T> listProperty(
            String name, java.util.function.Function<String, T> parse, List<T> defaultValue) {
        String value = property(name);
        if (value == null) {
            return defaultValue;
        }
        List<T> parsed = new ArrayList<>();
        for (String item : value.split(",")) {
            if (!item.isBlank()) {
                parsed.add(parse.apply(item));
            }
        }
        return parsed;
    }

    private static int intProperty(String name, int defaultValue) {
        String value = property(name);
        return value == null ? defaultValue : Integer.parseInt(value);
    }

    private static double doubleProperty(String name, double defaultValue) {
        String value = property(name);
        return value == null ? defaultValue : Double.parseDouble(value);
    }
}
