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
import org.apache.flink.api.common.time.Deadline;
import org.apache.flink.util.FileUtils;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Collectors;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * The README's demo: task-local recovery with the plugin against recovery without it, on a real
 * standalone Flink cluster of separate processes ({@link DemoCluster}). For each backend (heap and
 * RocksDB incremental) and each of the two setups (the plugin's {@code ENABLE_FILE_BASED} and
 * {@code DISABLED}) it starts a fresh cluster, builds keyed state with one job ({@link DemoJob}),
 * and recovers from two failures in turn (a task failure, then a TaskManager killed with {@code
 * kill -9} and restarted); after each it measures every subtask's restore and verifies every
 * restored key ({@link SetupRun}). Then it prints the report and writes it as text and as a chart
 * ({@link DemoReport}, {@link RecoveryChart}).
 *
 * <p>Settings: {@link DemoSettings} ({@code -Ddemo.*}). Exits 0 when every recovery restored every
 * key correctly (and the plugin's from local copies), 1 on any failure, 2 when the time limit was
 * hit. Every process it started is stopped through its recorded PID, also on failure, and its
 * directory is deleted.
 */
@Internal
public final class LocalRecoveryDemo {

    private final DemoSettings settings;
    private final Path demoDir;
    private volatile DemoCluster current;

    private LocalRecoveryDemo(DemoSettings settings, Path demoDir) {
        this.settings = settings;
        this.demoDir = demoDir;
    }

    public static void main(String[] args) {
        // before anything logs: Flink's console log stays quiet (-Ddemo.logLevel)
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "log4j2-demo.properties");
        }
        int exitCode;
        LocalRecoveryDemo demo = null;
        try {
            DemoSettings settings = new DemoSettings();
            prepareClusterProcesses(settings);
            Path parent = Paths.get(System.getProperty("java.io.tmpdir")).toAbsolutePath();
            demo =
                    new LocalRecoveryDemo(
                            settings,
                            parent.resolve("flink-local-recovery-demo-" + UUID.randomUUID()));
            demo.startWatchdog();
            exitCode = demo.run();
        } catch (IllegalArgumentException e) {
            System.out.println("DEMO FAILED: " + e.getMessage());
            exitCode = 1;
        } catch (DemoWaits.DemoTimeoutException e) {
            System.out.println();
            System.out.println("DEMO FAILED: " + e.getMessage());
            exitCode = 2;
        } catch (Throwable t) {
            System.out.println();
            System.out.println("DEMO FAILED: " + t);
            t.printStackTrace(System.out);
            exitCode = 1;
        }
        System.out.flush();
        // the Flink client leaves non-daemon threads behind
        System.exit(exitCode);
    }

    /** The cluster's JVMs get this JVM's --add-opens flags and a hard time limit. */
    private static void prepareClusterProcesses(DemoSettings settings) {
        if (System.getProperty("e2e.jvmOpens") == null) {
            System.setProperty(
                    "e2e.jvmOpens",
                    ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                            .filter(a -> a.startsWith("--add-"))
                            .collect(Collectors.joining(" ")));
        }
        System.setProperty(
                "e2e.processTimeoutSeconds", String.valueOf(settings.timeout().toSeconds() + 120));
    }

    private int run() throws Exception {
        Files.createDirectories(demoDir);
        DemoWaits waits =
                new DemoWaits(
                        Deadline.fromNow(settings.timeout()),
                        "the demo's limit is -Ddemo.timeoutMinutes="
                                + settings.timeoutMinutes
                                + "; a smaller -Ddemo.stateMb is faster");
        try {
            Path lib = DemoCluster.assembleLib(settings, demoDir);
            System.out.println();
            System.out.print(DemoReport.header(settings));
            System.out.println("  directory: " + demoDir + " (deleted at the end)");
            List<Recovery> recoveries = new ArrayList<>();
            for (DemoSetup.Backend backend : settings.backends) {
                for (boolean plugin : new boolean[] {false, true}) {
                    DemoSetup setup = new DemoSetup(backend, plugin);
                    recoveries.addAll(
                            SetupRun.run(
                                    setup,
                                    settings,
                                    waits,
                                    demoDir.resolve(setup.directoryName()),
                                    lib,
                                    cluster -> current = cluster));
                }
            }
            return report(recoveries);
        } finally {
            if (settings.keepDir) {
                System.out.println("Kept the demo's directory (-Ddemo.keepDir): " + demoDir);
            } else {
                deleteQuietly(demoDir);
            }
        }
    }

    private int report(List<Recovery> recoveries) throws Exception {
        String report = DemoReport.render(settings, recoveries);
        Files.createDirectories(settings.reportDir);
        Path text = settings.reportDir.resolve("local-recovery-demo.txt");
        Path chart = settings.reportDir.resolve("local-recovery-demo.png");
        Files.writeString(text, report, UTF_8);
        RecoveryChart.write(settings, recoveries, chart);
        System.out.println();
        System.out.print(report);
        System.out.println();
        System.out.println("Report: " + text);
        System.out.println("Chart:  " + chart);
        List<String> problems = DemoReport.problems(settings, recoveries);
        System.out.println();
        for (String problem : problems) {
            System.out.println("DEMO FAILED: " + problem);
        }
        if (!problems.isEmpty()) {
            return 1;
        }
        System.out.printf(Locale.ROOT, "Demo finished in %.0f s.%n", DemoLog.secondsSinceStart());
        return 0;
    }

    /**
     * Last resort if the demo hangs where no wait is bounded: kills the cluster's processes by
     * their PIDs, deletes the directory and halts.
     */
    private void startWatchdog() {
        DemoWatchdog.start(
                settings.timeoutMinutes,
                () -> {
                    System.out.println(
                            "DEMO FAILED: still running a minute after the time limit; stopping.");
                    DemoCluster cluster = current;
                    if (cluster != null) {
                        cluster.killAll();
                    }
                    deleteQuietly(demoDir);
                });
    }

    private static void deleteQuietly(Path dir) {
        FileUtils.deleteDirectoryQuietly(dir.toFile());
        if (Files.exists(dir)) {
            System.out.println("Could not delete " + dir);
        }
    }
}
