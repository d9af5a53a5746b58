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

import org.apache.flink.util.FileUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The benchmark: recovery time and checkpoint cost of the same job under three setups (no local
 * recovery, Flink's built-in local recovery, this plugin) for the heap backend, RocksDB incremental
 * and RocksDB full, on an in-process MiniCluster against an emulated remote primary store. Writes a
 * Markdown report and a PNG plot.
 *
 * <p>Run the full matrix with {@code mvn -q -DskipTests -Pbenchmarks verify} (repository root);
 * parameters are the system properties of {@link BenchmarkSettings#fromSystemProperties()}.
 */
public final class RecoveryBenchmark {

    private final BenchmarkSettings settings;
    private final Consumer<String> log;
    private final long startNanos = System.nanoTime();

    public RecoveryBenchmark(BenchmarkSettings settings, Consumer<String> log) {
        this.settings = settings;
        this.log = log;
    }

    public static void main(String[] args) {
        BenchmarkMain.run(
                () -> {
                    BenchmarkSettings settings = BenchmarkSettings.fromSystemProperties();
                    BenchmarkRun run = new RecoveryBenchmark(settings, System.out::println).run();
                    Report.write(run);
                    System.out.println("Report: " + settings.output.toAbsolutePath());
                    System.out.println("Plot:   " + settings.plot.toAbsolutePath());
                    return run.problems;
                });
    }

    public BenchmarkRun run() throws Exception {
        Path base =
                Files.createDirectories(
                        settings.workDir.resolve("flr-benchmarks-" + UUID.randomUUID()));
        String previousTmp = System.getProperty("java.io.tmpdir");
        System.setProperty(
                "java.io.tmpdir", Files.createDirectories(base.resolve("tmp")).toString());
        BenchmarkSettings effective = settings;
        Path originalWorkDir = settings.workDir;
        settings.workDir = base;
        try {
            log("measuring the machine's read limits (" + settings.machineProbeMb + " MB file)");
            MachineLimits limits = MachineLimits.measure(base, settings.machineProbeMb);
            log(
                    String.format(
                            Locale.ROOT,
                            "disk read %.0f MB/s %s, page cache read %.0f MB/s",
                            limits.diskReadMbPerSecond,
                            limits.diskReadNote,
                            limits.pageCacheReadMbPerSecond));
            BenchmarkRun run = new BenchmarkRun(effective, limits);
            run.startMillis = System.currentTimeMillis();
            SetupRunner runner = new SetupRunner(settings, this::log);
            if (settings.warmUp) {
                log("warm-up: every setup once with 16 MB of state, not measured");
                for (Setup setup : settings.setups()) {
                    SetupResult warm = runner.run(setup, 16, true, 1, 1, 0);
                    log("  warm-up " + setup + (warm.ok() ? " ok" : ": " + warm.problems));
                }
            }
            for (int size : settings.sizesMb) {
                for (Setup setup : settings.setups()) {
                    log(
                            "run "
                                    + setup
                                    + ", "
                                    + size
                                    + " MB, primary "
                                    + settings.remoteMbPerSecond
                                    + " MB/s");
                    SetupResult result =
                            runner.run(
                                    setup,
                                    size,
                                    true,
                                    settings.failures,
                                    settings.failAfterCheckpoints,
                                    1);
                    summary(result);
                    run.throttled.add(result);
                    run.problems.addAll(result.problems);
                }
            }
            if (settings.unthrottledSizeMb > 0) {
                for (Setup setup : settings.setups()) {
                    log("run " + setup + ", " + settings.unthrottledSizeMb + " MB, unthrottled");
                    SetupResult result =
                            runner.run(
                                    setup,
                                    settings.unthrottledSizeMb,
                                    false,
                                    1,
                                    settings.unthrottledCheckpoints,
                                    1);
                    summary(result);
                    run.unthrottled.add(result);
                    run.problems.addAll(result.problems);
                }
            }
            run.endMillis = System.currentTimeMillis();
            return run;
        } finally {
            settings.workDir = originalWorkDir;
            System.setProperty("java.io.tmpdir", previousTmp);
            FileUtils.deleteDirectoryQuietly(base.toFile());
        }
    }

    private void summary(SetupResult result) {
        log(
                String.format(
                        Locale.ROOT,
                        "  %s: recovery %s, steady checkpoint %s, built in %.1f s, %.0f s in"
                                + " all%s",
                        result.setup,
                        Stats.of(result.recoveryMs()).seconds(),
                        Stats.of(result.checkpointMs()).seconds(),
                        result.buildSeconds,
                        result.totalSeconds,
                        result.ok() ? "" : " PROBLEMS: " + result.problems));
    }

    private void log(String text) {
        log.accept(
                String.format(
                        Locale.ROOT, "[%7.1f s] %s", (System.nanoTime() - startNanos) / 1e9, text));
    }
}
