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
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The rescale benchmark: in-place scale-in and scale-out under the adaptive scheduler of the same
 * job under the three setups (no local recovery, Flink's built-in, the plugin), for the heap
 * backend and RocksDB incremental, against the emulated remote primary. Writes its section of
 * {@code docs/benchmarks.md} ({@link RescaleSection}).
 *
 * <p>Run it with {@code mvn -q -DskipTests -Prescale-benchmark verify} (repository root), on an
 * idle machine; {@code -Dbench.rescaleSizeMb} sets the state size (default 1024), and the other
 * parameters are those of {@link BenchmarkSettings#fromSystemProperties()}.
 */
public final class RescaleBenchmark {

    private final BenchmarkSettings settings;
    private final int stateMb;
    private final Consumer<String> log;
    private final long startNanos = System.nanoTime();

    RescaleBenchmark(BenchmarkSettings settings, int stateMb, Consumer<String> log) {
        this.settings = settings;
        this.stateMb = stateMb;
        this.log = log;
    }

    public static void main(String[] args) {
        BenchmarkMain.run(
                () -> {
                    BenchmarkSettings settings = BenchmarkSettings.fromSystemProperties();
                    int stateMb = Integer.getInteger("bench.rescaleSizeMb", 1024);
                    RescaleBenchmark benchmark =
                            new RescaleBenchmark(settings, stateMb, System.out::println);
                    String generated =
                            LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS)
                                    + " UTC";
                    List<RescaleRunner.Result> results = benchmark.run();
                    double minutes = (System.nanoTime() - benchmark.startNanos) / 60e9;
                    Path output = settings.output.toAbsolutePath();
                    RescaleSection.writeInto(
                            output, RescaleSection.render(settings, results, generated, minutes));
                    System.out.println("Report: " + output);
                    List<String> problems = new ArrayList<>();
                    for (RescaleRunner.Result result : results) {
                        for (String problem : result.problems) {
                            problems.add(result.setup.label() + ": " + problem);
                        }
                    }
                    return problems;
                });
    }

    List<RescaleRunner.Result> run() throws Exception {
        Path base =
                Files.createDirectories(
                        settings.workDir.resolve("flr-rescale-benchmark-" + UUID.randomUUID()));
        Path originalWorkDir = settings.workDir;
        settings.workDir = base;
        List<RescaleRunner.Result> results = new ArrayList<>();
        try {
            RescaleRunner runner = new RescaleRunner(settings, this::log);
            for (Setup.Backend backend : settings.backends) {
                if (backend == Setup.Backend.ROCKSDB_FULL) {
                    continue; // the rows: heap and RocksDB incremental
                }
                for (Setup.Mode mode : settings.modes) {
                    Setup setup = new Setup(backend, mode);
                    log("rescale " + setup + ", " + stateMb + " MB");
                    RescaleRunner.Result result = runner.run(setup, stateMb);
                    log(
                            "  "
                                    + setup
                                    + (result.problems.isEmpty() ? " ok" : ": " + result.problems));
                    results.add(result);
                }
            }
            return results;
        } finally {
            settings.workDir = originalWorkDir;
            FileUtils.deleteDirectoryQuietly(base.toFile());
        }
    }

    private void log(String text) {
        log.accept(
                String.format(
                        Locale.ROOT, "[%7.1f s] %s", (System.nanoTime() - startNanos) / 1e9, text));
    }
}
