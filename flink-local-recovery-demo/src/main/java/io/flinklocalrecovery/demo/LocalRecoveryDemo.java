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

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.runtime.execution.ExecutionState;
import org.apache.flink.runtime.executiongraph.AccessExecution;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.traces.Span;
import org.apache.flink.util.FileUtils;

import io.flinklocalrecovery.core.backend.LocalRecoveryRuntime;
import io.flinklocalrecovery.core.metrics.LocalRecoveryMetrics;
import io.flinklocalrecovery.fs.LocalRecoveryHashMapStateBackendFactory;
import io.flinklocalrecovery.testutils.fs.ThrottledFileSystem;
import io.flinklocalrecovery.testutils.fs.ThrottledFileSystemFactory;
import io.flinklocalrecovery.testutils.job.KeyedValueCounts;
import io.flinklocalrecovery.testutils.job.ValueChecks.Found;
import io.flinklocalrecovery.testutils.metrics.InMemoryMetricReporter;
import io.flinklocalrecovery.testutils.minicluster.LoopbackMiniClusterConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static io.flinklocalrecovery.demo.DemoProperties.doubleProperty;
import static io.flinklocalrecovery.demo.DemoProperties.intProperty;
import static io.flinklocalrecovery.demo.DemoReport.bytes;
import static io.flinklocalrecovery.demo.DemoReport.label;
import static io.flinklocalrecovery.demo.DemoReport.seconds;

/**
 * Entry point of the README's demo. By default ({@code -Ddemo.mode=cluster}) it runs {@link
 * ClusterLocalRecoveryDemo} on a real standalone cluster of separate processes, with a TaskManager
 * killed by {@code kill -9}. With {@code -Ddemo.mode=minicluster} it runs the in-process variant
 * below, which injects a task failure instead.
 *
 * <p>The MiniCluster variant: the same stateful heap job runs twice on an in-process MiniCluster,
 * once with the plugin's task-local recovery {@code DISABLED} and once with {@code
 * ENABLE_FILE_BASED}. Each run builds keyed heap state, checkpoints it to an emulated remote store
 * ({@code throttled://}: the local disk behind a bandwidth limit and a per-file latency), injects
 * one task failure after a checkpoint of the whole state completed, and measures where each subtask
 * restored from and how long recovery took.
 *
 * <p>System properties (all optional): {@code demo.stateMb} (200), {@code demo.valueBytes} (1024),
 * {@code demo.parallelism} (2), {@code demo.remoteMbPerSecond} (100), {@code demo.remoteLatencyMs}
 * (20), {@code demo.failAfterCheckpoints} (1), {@code demo.timeoutMinutes} (10), {@code
 * demo.logLevel} (ERROR, Flink's console log level), {@code demo.warmUp} (true: run both setups
 * once unmeasured first, so that neither measured restore runs cold code).
 *
 * <p>Exits 0 when both runs recovered correctly (and the plugin's run restored from local copies),
 * 1 on any failure, 2 when the time limit was hit.
 */
public final class LocalRecoveryDemo {

    private static final String ENABLED = "ENABLE_FILE_BASED";
    private static final String DISABLED = "DISABLED";
    private static final long MB = 1024L * 1024L;

    private final int stateMb = intProperty("demo.stateMb", 200);
    private final int valueBytes = intProperty("demo.valueBytes", 1024);
    private final int parallelism = intProperty("demo.parallelism", 2);
    private final int slots = Math.min(4, 2 * parallelism);
    private final double remoteMbPerSecond = doubleProperty("demo.remoteMbPerSecond", 100);
    private final long remoteLatencyMs = intProperty("demo.remoteLatencyMs", 20);
    private final int failAfterCheckpoints = intProperty("demo.failAfterCheckpoints", 1);
    private final double timeoutMinutes = doubleProperty("demo.timeoutMinutes", 10);
    private final boolean warmUp = Boolean.parseBoolean(System.getProperty("demo.warmUp", "true"));
    private final double recordsPerSecondAfterBuild = 500;

    /** Bytes one entry takes in a heap checkpoint: the long key, the array length, the value. */
    private final long entryBytes = 8 + 4 + valueBytes;

    private final long numKeys;
    private final long deadlineNanos;
    private long startNanos;
    private Path demoDir;

    private LocalRecoveryDemo() {
        long keysPerSubtask = Math.max(1, stateMb * MB / entryBytes / parallelism);
        this.numKeys = keysPerSubtask * parallelism;
        this.deadlineNanos = System.nanoTime() + (long) (timeoutMinutes * 60e9);
    }

    public static void main(String[] args) {
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "log4j2-demo.properties");
        }
        String mode = System.getProperty("demo.mode", "cluster").trim();
        if (mode.isEmpty() || mode.equals("cluster")) {
            ClusterLocalRecoveryDemo.main(args);
            return;
        }
        if (!mode.equals("minicluster")) {
            System.out.println(
                    "DEMO FAILED: demo.mode must be 'cluster' (the default) or 'minicluster', not '"
                            + mode
                            + "'");
            System.exit(1);
            return;
        }
        int exitCode;
        LocalRecoveryDemo demo;
        try {
            demo = new LocalRecoveryDemo();
        } catch (IllegalArgumentException e) {
            System.out.println("DEMO FAILED: " + e.getMessage());
            System.exit(1);
            return;
        }
        try {
            DemoWatchdog.start(
                    demo.timeoutMinutes,
                    () ->
                            System.out.println(
                                    "DEMO FAILED: still running "
                                            + minutes(demo.timeoutMinutes + 1)
                                            + " minutes after the start; halting."));
            exitCode = demo.run();
        } catch (DemoTimeoutException e) {
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
        // Flink and the rate limiter leave non-daemon threads behind
        System.exit(exitCode);
    }

    private int run() throws Exception {
        startNanos = System.nanoTime();
        Path parent = Paths.get(System.getProperty("java.io.tmpdir")).toAbsolutePath();
        demoDir = parent.resolve("flink-local-recovery-demo-" + UUID.randomUUID());
        Files.createDirectories(demoDir);
        Path tmp = Files.createDirectories(demoDir.resolve("tmp"));
        // everything after this point that asks the JVM for a temp dir gets ours
        System.setProperty("java.io.tmpdir", tmp.toString());

        printHeader();
        MiniCluster cluster = null;
        try {
            Configuration clusterConfig = clusterConfiguration();
            FileSystem.initialize(clusterConfig, null);
            cluster =
                    new MiniCluster(
                            new MiniClusterConfiguration.Builder()
                                    .setConfiguration(clusterConfig)
                                    .setNumTaskManagers(1)
                                    .setNumSlotsPerTaskManager(slots)
                                    .setCommonBindAddress("127.0.0.1")
                                    .build());
            cluster.start();
            log("MiniCluster started: 1 TaskManager, " + slots + " slots, in " + demoDir);

            // the plugin's run goes first, so JVM warm-up can only help the baseline
            if (warmUp) {
                // the first restore in a fresh JVM runs cold code; warm up both paths first
                System.out.println();
                System.out.println(
                        "=== Warm-up: both setups once, not measured (-Ddemo.warmUp=false skips"
                                + " it) ===");
                runJob(cluster, ENABLED, true);
                runJob(cluster, DISABLED, true);
            }
            List<RunResult> results = new ArrayList<>();
            results.add(runJob(cluster, DISABLED, false));
            results.add(runJob(cluster, ENABLED, false));

            printReport(results);
            List<String> problems = check(results);
            if (!problems.isEmpty()) {
                System.out.println();
                for (String problem : problems) {
                    System.out.println("DEMO FAILED: " + problem);
                }
                return 1;
            }
            System.out.println();
            System.out.printf(
                    Locale.ROOT,
                    "Demo finished in %.0f s.%n",
                    (System.nanoTime() - startNanos) / 1e9);
            return 0;
        } finally {
            if (cluster != null) {
                try {
                    cluster.closeAsync().get(60, TimeUnit.SECONDS);
                } catch (Exception e) {
                    System.out.println("Could not stop the MiniCluster cleanly: " + e);
                }
            }
            LocalRecoveryRuntime.shutDownAll();
            FileUtils.deleteDirectoryQuietly(demoDir.toFile());
            if (Files.exists(demoDir)) {
                System.out.println("Could not delete the demo directory " + demoDir);
            }
        }
    }

    // ------------------------------------------------------------------------
    // configuration

    private Configuration clusterConfiguration() throws IOException {
        Configuration config = LoopbackMiniClusterConfig.in(demoDir);
        // Flink creates its own local-state directories whatever the flags say
        config.setString("execution.checkpointing.local-backup.dirs", dir("flink-local-state"));
        // read by the TaskManager at start: sticky scheduling of restarted tasks
        config.setString("execution.state-recovery.from-local", "true");
        config.setString("execution.checkpointing.local-backup.enabled", "false");
        config.setString("taskmanager.memory.managed.size", "16m");
        config.setString(
                "metrics.reporter.demo.factory.class",
                InMemoryMetricReporter.Factory.class.getName());
        config.setString(
                "traces.reporter.demo.factory.class",
                InMemoryMetricReporter.TraceFactory.class.getName());
        config.set(ThrottledFileSystemFactory.BANDWIDTH_MB_PER_SECOND, remoteMbPerSecond);
        config.set(ThrottledFileSystemFactory.LATENCY_MS, remoteLatencyMs);
        return config;
    }

    private Configuration jobConfiguration(String mode) throws IOException {
        Configuration config = new Configuration();
        config.setString("pipeline.name", "local-recovery-demo " + mode);
        config.setString("parallelism.default", String.valueOf(parallelism));
        config.setString("pipeline.object-reuse", "true");
        config.setString(
                "state.backend.type", LocalRecoveryHashMapStateBackendFactory.class.getName());
        config.setString("state.backend.local-recovery", mode);
        config.setString("execution.state-recovery.from-local", "true");
        config.setString("execution.checkpointing.local-backup.enabled", "false");
        config.setString("state.backend.local-recovery.dirs", dir("local-recovery"));
        config.setString("execution.checkpointing.storage", "filesystem");
        config.setString(
                "execution.checkpointing.dir",
                ThrottledFileSystem.SCHEME
                        + "://"
                        + Files.createDirectories(demoDir.resolve("remote-checkpoints"))
                                .resolve(mode)
                                .toUri()
                                .getPath());
        config.setString("execution.checkpointing.interval", "1 s");
        config.setString("execution.checkpointing.min-pause", "500 ms");
        config.setString("execution.checkpointing.timeout", "5 min");
        config.setString("execution.checkpointing.tolerable-failed-checkpoints", "10");
        // every state stream becomes a file in the checkpoint storage
        config.setString("execution.checkpointing.data-inline-threshold", "0 b");
        config.setString("restart-strategy.type", "fixed-delay");
        config.setString("restart-strategy.fixed-delay.attempts", "2");
        config.setString("restart-strategy.fixed-delay.delay", "0 s");
        return config;
    }

    private String dir(String name) throws IOException {
        return LoopbackMiniClusterConfig.directory(demoDir, name);
    }

    // ------------------------------------------------------------------------
    // one run

    private RunResult runJob(MiniCluster cluster, String mode, boolean quiet) throws Exception {
        String label = label(mode);
        if (!quiet) {
            System.out.println();
            System.out.println("=== " + label + " ===");
        }
        // start both setups from a collected heap
        System.gc();
        DemoSignals.reset(numKeys, parallelism, failAfterCheckpoints);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(jobConfiguration(mode));
        StateBuildingJob.build(env, numKeys, parallelism, valueBytes, recordsPerSecondAfterBuild);
        JobGraph jobGraph = env.getStreamGraph().getJobGraph();
        JobID jobId = jobGraph.getJobID();
        cluster.submitJob(jobGraph).get(remainingSeconds(), TimeUnit.SECONDS);
        if (!quiet) {
            log("job " + jobId + " submitted");
        }

        long lastProgressNanos = 0;
        while (!DemoSignals.recoveredLatch().await(200, TimeUnit.MILLISECONDS)) {
            printEvents(jobId, mode, quiet);
            if (!quiet
                    && !DemoSignals.COUNTS.stateBuilt()
                    && System.nanoTime() - lastProgressNanos > 1_000_000_000L) {
                lastProgressNanos = System.nanoTime();
                long keys = DemoSignals.COUNTS.keysCreated();
                log(
                        String.format(
                                Locale.ROOT,
                                "building state: %d/%d MB (%,d of %,d keys)",
                                keys * entryBytes / MB,
                                numKeys * entryBytes / MB,
                                keys,
                                numKeys));
            }
            checkDeadline(
                    DemoSignals.failed()
                            ? "the job to recover from the injected failure"
                            : "the state to be built and checkpointed");
            failIfJobEnded(cluster, jobId);
        }
        printEvents(jobId, mode, quiet);
        long recoveryNanos = DemoSignals.recoveryNanos();
        waitUntilEverySubtaskRunsAgain(cluster, jobId);
        log(
                String.format(
                        Locale.ROOT,
                        quiet
                                ? "warm-up " + label + ": recovered %.2f s after the failure"
                                : "recovered: every subtask is RUNNING and processing again, %.2f"
                                        + " s after the failure",
                        recoveryNanos / 1e9));

        // the restarted sources bring every key to the keyed function once: it checks them all
        long checkStart = System.nanoTime();
        while (!DemoSignals.COUNTS.allChecked(1)) {
            checkDeadline(
                    String.format(
                            Locale.ROOT,
                            "every restored key to be checked (%,d of %,d)",
                            DemoSignals.COUNTS.checked(1),
                            numKeys));
            failIfJobEnded(cluster, jobId);
            Thread.sleep(50);
        }
        if (!quiet) {
            log(
                    String.format(
                            Locale.ROOT,
                            "checked the restored value of every key (%,d) in %.1f s",
                            numKeys,
                            (System.nanoTime() - checkStart) / 1e9));
        }

        RunResult result = new RunResult(mode, jobId, recoveryNanos);
        collectMetrics(result);

        cluster.cancelJob(jobId).get(remainingSeconds(), TimeUnit.SECONDS);
        cluster.requestJobResult(jobId).get(remainingSeconds(), TimeUnit.SECONDS);
        if (!quiet) {
            log("job cancelled");
        }
        return result;
    }

    private void printEvents(JobID jobId, String mode, boolean quiet) {
        DemoSignals.Event event;
        while ((event = DemoSignals.pollEvent()) != null) {
            if (quiet) {
                continue;
            }
            String text = event.text;
            if (text.startsWith("checkpoint ")) {
                text += checkpointDetails(jobId, text);
            }
            log(event.nanos, text);
            if (text.startsWith("injecting task failure")) {
                log(
                        event.nanos,
                        "restoring: the job restarts, every subtask restores its state from "
                                + (ENABLED.equals(mode)
                                        ? "its local copies (checked first; the remote storage"
                                                + " if they are missing or bad)..."
                                        : "the (emulated) remote checkpoint storage..."));
            }
        }
    }

    /** Size and duration of the checkpoint from Flink's gauges, when they are about it. */
    private static String checkpointDetails(JobID jobId, String text) {
        String id = jobId.toString();
        String[] words = text.split(" ");
        Optional<Long> latest = InMemoryMetricReporter.jobMetric(id, "lastCompletedCheckpointId");
        if (latest.isEmpty() || !String.valueOf(latest.get()).equals(words[1])) {
            return "";
        }
        long size = InMemoryMetricReporter.jobMetric(id, "lastCheckpointSize").orElse(0L);
        long duration = InMemoryMetricReporter.jobMetric(id, "lastCheckpointDuration").orElse(0L);
        return String.format(Locale.ROOT, ": %s in %.1f s", bytes(size), duration / 1e3);
    }

    private void failIfJobEnded(MiniCluster cluster, JobID jobId) throws Exception {
        JobStatus status = cluster.getJobStatus(jobId).get(remainingSeconds(), TimeUnit.SECONDS);
        if (status.isGloballyTerminalState()) {
            JobResult result = cluster.requestJobResult(jobId).get(30, TimeUnit.SECONDS);
            Throwable cause =
                    result.getSerializedThrowable()
                            .map(t -> (Throwable) t)
                            .orElse(new IllegalStateException("no failure cause"));
            throw new IllegalStateException("The job ended unexpectedly: " + status, cause);
        }
    }

    private void waitUntilEverySubtaskRunsAgain(MiniCluster cluster, JobID jobId) throws Exception {
        while (true) {
            AccessExecutionGraph graph =
                    cluster.getExecutionGraph(jobId).get(remainingSeconds(), TimeUnit.SECONDS);
            boolean allRunning = true;
            for (AccessExecutionVertex vertex : graph.getAllExecutionVertices()) {
                AccessExecution execution = vertex.getCurrentExecutionAttempt();
                if (execution.getState() != ExecutionState.RUNNING
                        || execution.getAttemptNumber() == 0) {
                    allRunning = false;
                }
            }
            if (allRunning) {
                return;
            }
            checkDeadline("every subtask to run again");
            failIfJobEnded(cluster, jobId);
            Thread.sleep(50);
        }
    }

    // ------------------------------------------------------------------------
    // measurements

    /** One subtask's restored attempt. */
    private static final class Restore {
        final String task;
        final int subtask;
        int attempt = -1;
        final Map<String, Long> plugin = new TreeMap<>();
        long initializationMs = -1;

        Restore(String task, int subtask) {
            this.task = task;
            this.subtask = subtask;
        }

        long get(String name) {
            return plugin.getOrDefault(name, 0L);
        }

        String restoredFrom() {
            return DemoReport.restoredFrom(plugin, "no state");
        }
    }

    private static final class RunResult {
        final String mode;
        final JobID jobId;
        final long recoveryNanos;
        final List<Restore> restores = new ArrayList<>();
        long flinkMaxInitializeStateMs = -1;
        long flinkRestoredBytes = -1;
        RestoredStateCheck stateCheck;

        RunResult(String mode, JobID jobId, long recoveryNanos) {
            this.mode = mode;
            this.jobId = jobId;
            this.recoveryNanos = recoveryNanos;
        }

        boolean pluginOn() {
            return ENABLED.equals(mode);
        }

        long sum(String name) {
            return restores.stream().mapToLong(r -> r.get(name)).sum();
        }

        long slowestStateRestoreMs() {
            return restores.stream()
                    .filter(r -> r.task.equals(StateBuildingJob.STATE_OPERATOR))
                    .mapToLong(r -> r.initializationMs)
                    .max()
                    .orElse(-1);
        }
    }

    private void collectMetrics(RunResult result) {
        Map<String, Restore> latest = new TreeMap<>();
        List<InMemoryMetricReporter.TaskMetric> metrics =
                InMemoryMetricReporter.taskMetrics(result.jobId.toString());
        for (InMemoryMetricReporter.TaskMetric metric : metrics) {
            String task = shortTaskName(metric.taskName);
            Restore restore =
                    latest.computeIfAbsent(
                            task + "#" + metric.subtask, k -> new Restore(task, metric.subtask));
            restore.attempt = Math.max(restore.attempt, metric.attempt);
        }
        for (InMemoryMetricReporter.TaskMetric metric : metrics) {
            Restore restore = latest.get(shortTaskName(metric.taskName) + "#" + metric.subtask);
            if (metric.attempt != restore.attempt) {
                continue;
            }
            if (InMemoryMetricReporter.INITIALIZATION_TIME.equals(metric.name)) {
                restore.initializationMs = metric.value();
            } else {
                restore.plugin.put(metric.name, metric.value());
            }
        }
        latest.values().stream()
                .filter(r -> r.attempt > 0)
                .sorted(
                        Comparator.comparing(
                                        (Restore r) ->
                                                !r.task.equals(StateBuildingJob.STATE_OPERATOR))
                                .thenComparing(r -> r.task)
                                .thenComparingInt(r -> r.subtask))
                .forEach(result.restores::add);

        // Flink's own summary of the restore (max and sum over subtasks)
        List<Span> spans =
                InMemoryMetricReporter.spans(result.jobId.toString(), "JobInitialization");
        for (Span span : spans) {
            Map<String, Object> attributes = span.getAttributes();
            if (!attributes.containsKey("checkpointId")) {
                continue;
            }
            Object initializeState = attributes.get("maxInitializeStateDurationMs");
            if (initializeState instanceof Number) {
                result.flinkMaxInitializeStateMs = ((Number) initializeState).longValue();
            }
            Object size = attributes.get("fullSize");
            if (size instanceof Number) {
                result.flinkRestoredBytes = ((Number) size).longValue();
            }
        }
        KeyedValueCounts counts = DemoSignals.COUNTS;
        result.stateCheck =
                new RestoredStateCheck(
                        counts.numKeys(),
                        counts.checked(1),
                        counts.checked(1, Found.WRONG),
                        counts.checked(1, Found.MISSING));
    }

    private static String shortTaskName(String taskName) {
        String name = taskName;
        int chain = name.indexOf(" -> ");
        if (chain >= 0) {
            name = name.substring(0, chain);
        }
        if (name.startsWith("Source: ")) {
            name = name.substring("Source: ".length());
        }
        return name;
    }

    private List<String> check(List<RunResult> results) {
        List<String> problems = new ArrayList<>();
        for (RunResult result : results) {
            String label = label(result.mode);
            result.stateCheck.problem(label).ifPresent(problems::add);
            if (result.restores.stream()
                    .noneMatch(r -> r.task.equals(StateBuildingJob.STATE_OPERATOR))) {
                problems.add(label + ": no restored attempt of " + StateBuildingJob.STATE_OPERATOR);
            }
            if (result.pluginOn()) {
                for (Restore restore : result.restores) {
                    if (restore.task.equals(StateBuildingJob.STATE_OPERATOR)
                            && !restore.restoredFrom().equals("local")) {
                        problems.add(
                                label
                                        + ": "
                                        + restore.task
                                        + " #"
                                        + restore.subtask
                                        + " restored from "
                                        + restore.restoredFrom()
                                        + ", expected local copies; plugin metrics: "
                                        + restore.plugin);
                    }
                }
            } else if (result.restores.stream().anyMatch(r -> !r.plugin.isEmpty())) {
                problems.add(label + ": the plugin reported restores although it is DISABLED");
            }
        }
        return problems;
    }

    // ------------------------------------------------------------------------
    // output

    private void printHeader() {
        System.out.println("flink-local-recovery demo: local versus remote recovery of heap state");
        System.out.printf(
                Locale.ROOT,
                "State: about %d MB of keyed heap state (%,d keys x %d-byte values), parallelism"
                        + " %d.%n",
                numKeys * entryBytes / MB,
                numKeys,
                valueBytes,
                parallelism);
        System.out.println(remoteStoreNote());
        System.out.println(
                "Each run builds the state, waits for a checkpoint holding all of it, injects one"
                        + " task failure and measures the recovery.");
        System.out.println();
    }

    private String remoteStoreNote() {
        return String.format(
                Locale.ROOT,
                "Remote checkpoint storage is EMULATED: throttled:// is the local disk behind a"
                        + " %.0f MB/s bandwidth limit (each direction, shared by all streams) and"
                        + " %d ms latency per file open/create.",
                remoteMbPerSecond,
                remoteLatencyMs);
    }

    private void printReport(List<RunResult> results) {
        System.out.println();
        System.out.println("=== Report ===");
        System.out.println(remoteStoreNote());
        System.out.println();
        String rowFormat = "%-34s %-16s %-13s %13s %13s %13s%n";
        System.out.printf(
                Locale.ROOT,
                rowFormat,
                "setup",
                "subtask",
                "restored from",
                "bytes local",
                "bytes remote",
                "restore time");
        for (RunResult result : results) {
            for (Restore restore : result.restores) {
                System.out.printf(
                        Locale.ROOT,
                        rowFormat,
                        label(result.mode),
                        restore.task + " #" + restore.subtask,
                        restore.restoredFrom(),
                        result.pluginOn()
                                ? bytes(restore.get(LocalRecoveryMetrics.RESTORED_BYTES_LOCAL))
                                : "-",
                        result.pluginOn()
                                ? bytes(restore.get(LocalRecoveryMetrics.RESTORED_BYTES_REMOTE))
                                : "-",
                        seconds(restore.initializationMs));
            }
        }
        System.out.println();
        String totalFormat = "%-34s %13s %22s %23s %17s%n";
        System.out.printf(
                Locale.ROOT,
                totalFormat,
                "setup",
                "recovery time",
                "slowest subtask init",
                "Flink state init (max)",
                "state restored");
        for (RunResult result : results) {
            long restoredBytes =
                    result.pluginOn()
                            ? result.sum(LocalRecoveryMetrics.RESTORED_BYTES_LOCAL)
                                    + result.sum(LocalRecoveryMetrics.RESTORED_BYTES_REMOTE)
                            : result.flinkRestoredBytes;
            System.out.printf(
                    Locale.ROOT,
                    totalFormat,
                    label(result.mode),
                    seconds(result.recoveryNanos / 1_000_000L),
                    seconds(result.slowestStateRestoreMs()),
                    seconds(result.flinkMaxInitializeStateMs),
                    restoredBytes < 0 ? "?" : bytes(restoredBytes));
        }
        RunResult local = results.stream().filter(RunResult::pluginOn).findFirst().orElseThrow();
        RunResult remote = results.stream().filter(r -> !r.pluginOn()).findFirst().orElseThrow();
        System.out.println();
        System.out.printf(
                Locale.ROOT,
                "Local recovery: %.1fx faster end to end (%s instead of %s), state restore %.1fx"
                        + " faster (%s instead of %s).%n",
                ratio(remote.recoveryNanos, local.recoveryNanos),
                seconds(local.recoveryNanos / 1_000_000L),
                seconds(remote.recoveryNanos / 1_000_000L),
                ratio(remote.flinkMaxInitializeStateMs, local.flinkMaxInitializeStateMs),
                seconds(local.flinkMaxInitializeStateMs),
                seconds(remote.flinkMaxInitializeStateMs));
        System.out.println();
        System.out.println(
                "restored from / bytes: the plugin's localRecovery.* task metrics (with the plugin"
                        + " DISABLED there are none; everything is read from the remote storage).");
        System.out.println(
                "restore time: Flink's per-subtask initializationTime of the restarted attempt"
                        + " (task initialization including the state restore).");
        System.out.println(
                "recovery time: from the injected failure until every keyed subtask processed a"
                        + " record again.");
        System.out.println(
                "Flink state init (max): Flink's JobInitialization trace,"
                        + " max InitializeStateDurationMs over all subtasks.");
        for (RunResult result : results) {
            System.out.println(result.stateCheck.describe(label(result.mode)));
        }
    }

    private static String minutes(double minutes) {
        return String.format(Locale.ROOT, "%.4g", minutes).replaceAll("\\.?0+$", "");
    }

    private static double ratio(long slow, long fast) {
        return fast <= 0 ? Double.NaN : (double) slow / fast;
    }

    private void log(String text) {
        log(System.nanoTime(), text);
    }

    private void log(long nanos, String text) {
        System.out.printf(Locale.ROOT, "[%6.1f s] %s%n", (nanos - startNanos) / 1e9, text);
        System.out.flush();
    }

    // ------------------------------------------------------------------------
    // time limit and cleanup

    private static final class DemoTimeoutException extends TimeoutException {
        DemoTimeoutException(String message) {
            super(message);
        }
    }

    private void checkDeadline(String waitingFor) throws DemoTimeoutException {
        if (System.nanoTime() > deadlineNanos) {
            throw new DemoTimeoutException(
                    "timed out after "
                            + minutes(timeoutMinutes)
                            + " minutes waiting for "
                            + waitingFor
                            + " (raise -Ddemo.timeoutMinutes or lower -Ddemo.stateMb)");
        }
    }

    private long remainingSeconds() throws DemoTimeoutException {
        long remaining = TimeUnit.NANOSECONDS.toSeconds(deadlineNanos - System.nanoTime());
        if (remaining <= 0) {
            checkDeadline("the MiniCluster to answer");
        }
        return Math.max(1, remaining);
    }

    // ------------------------------------------------------------------------

}
