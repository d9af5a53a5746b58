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
 * The replaced-TaskManager benchmark: the TaskManager is lost and replaced by a new one with
 * another resource id and working directory (as a new pod of a native Kubernetes deployment or a
 * new YARN container is), under the three setups (no local recovery, Flink's built-in, the plugin
 * with its local-recovery directory shared by the TaskManagers of the host), against the emulated
 * remote primary. Writes its section of {@code docs/benchmarks.md} ({@link
 * ReplacedTaskManagerSection}).
 *
 * <p>Run it with {@code mvn -q -DskipTests -Preplaced-taskmanager-benchmark verify} (repository
 * root), on an idle machine; {@code -Dbench.replacedSizeMb} sets the state size (default 1024), and
 * the other parameters are those of {@link BenchmarkSettings#fromSystemProperties()}.
 */
public final class ReplacedTaskManagerBenchmark {

    private final BenchmarkSettings settings;
    private final int stateMb;
    private final Consumer<String> log;
    private final long startNanos = System.nanoTime();

    ReplacedTaskManagerBenchmark(BenchmarkSettings settings, int stateMb, Consumer<String> log) {
        this.settings = settings;
        this.stateMb = stateMb;
        this.log = log;
    }

    public static void main(String[] args) {
        BenchmarkMain.run(
                () -> {
                    BenchmarkSettings settings = BenchmarkSettings.fromSystemProperties();
                    int stateMb = Integer.getInteger("bench.replacedSizeMb", 1024);
                    ReplacedTaskManagerBenchmark benchmark =
                            new ReplacedTaskManagerBenchmark(
                                    settings, stateMb, System.out::println);
                    String generated =
                            LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS)
                                    + " UTC";
                    List<SetupResult> results = benchmark.run();
                    double minutes = (System.nanoTime() - benchmark.startNanos) / 60e9;
                    Path output = settings.output.toAbsolutePath();
                    ReplacedTaskManagerSection.writeInto(
                            output,
                            ReplacedTaskManagerSection.render(
                                    settings, stateMb, results, generated, minutes));
                    System.out.println("Report: " + output);
                    List<String> problems = new ArrayList<>();
                    for (SetupResult result : results) {
                        problems.addAll(result.problems);
                    }
                    return problems;
                });
    }

    List<SetupResult> run() throws Exception {
        Path base =
                Files.createDirectories(
                        settings.workDir.resolve(
                                "flr-replaced-taskmanager-benchmark-" + UUID.randomUUID()));
        Path originalWorkDir = settings.workDir;
        settings.workDir = base;
        List<SetupResult> results = new ArrayList<>();
        try {
            SetupRunner runner = new SetupRunner(settings, this::log);
            for (Setup setup : settings.setups()) {
                log("replaced TaskManager " + setup + ", " + stateMb + " MB");
                SetupResult result =
                        runner.run(
                                setup,
                                stateMb,
                                true,
                                settings.failures,
                                settings.failAfterCheckpoints,
                                1,
                                true);
                log(
                        String.format(
                                Locale.ROOT,
                                "  %s: recovery %s, %s",
                                setup,
                                Stats.of(result.recoveryMs()).seconds(),
                                result.problems.isEmpty() ? "ok" : result.problems));
                results.add(result);
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
