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

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.FileUtils;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;

import io.flinklocalrecovery.core.metrics.LocalRecoveryMetrics;
import io.flinklocalrecovery.fs.LocalRecoveryHashMapStateBackendFactory;
import io.flinklocalrecovery.testutils.cluster.FlinkRestApi;
import io.flinklocalrecovery.testutils.cluster.StandaloneFlinkCluster;
import io.flinklocalrecovery.testutils.fs.ThrottledFileSystem;
import io.flinklocalrecovery.testutils.fs.ThrottledFileSystemFactory;
import io.flinklocalrecovery.testutils.job.DemoStateJob;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.flinklocalrecovery.demo.DemoProperties.doubleProperty;
import static io.flinklocalrecovery.demo.DemoProperties.intProperty;
import static io.flinklocalrecovery.demo.DemoReport.bytes;
import static io.flinklocalrecovery.demo.DemoReport.label;
import static io.flinklocalrecovery.demo.DemoReport.seconds;

/**
 * The README's demo on a real standalone Flink cluster: one JobManager and two TaskManagers (two
 * slots each), separate JVM processes started from the {@code lib/} folder Maven assembled ({@code
 * target/flink-lib}, plus a jar with the emulated remote file system {@code throttled://}), bound
 * to 127.0.0.1. The same stateful heap job runs twice, each time on a fresh cluster: once with the
 * plugin's task-local recovery {@code DISABLED} and once with {@code ENABLE_FILE_BASED}. Each run
 * builds keyed state, waits for a checkpoint of all of it, kills a TaskManager with {@code kill
 * -9}, restarts it with the same {@code taskmanager.resource-id} and working directory (so its
 * local copies survive), and reports, from the REST API, where each subtask restored from (the
 * plugin's {@code localRecovery.*} task metrics), how long its restore took (the time Flink's
 * subtask spent in {@code INITIALIZING}) and the recovery time from the kill until every subtask
 * ran again.
 *
 * <p>System properties: {@code demo.flinkLib}, {@code demo.fsJar}, {@code demo.jobJar} (set by the
 * {@code demo} Maven profile), and optionally {@code demo.stateMb} (400), {@code demo.valueBytes}
 * (1024), {@code demo.parallelism} (4), {@code demo.remoteMbPerSecond} (100), {@code
 * demo.remoteLatencyMs} (20), {@code demo.timeoutMinutes} (10), {@code demo.jvmOpens}.
 *
 * <p>Exits 0 when both runs recovered correctly (and the plugin's run restored from local copies),
 * 1 on any failure, 2 when the time limit was hit. Every process it started is stopped through its
 * recorded PID, also on failure, and its directory is deleted.
 */
public final class ClusterLocalRecoveryDemo {

    private static final String ENABLED = "ENABLE_FILE_BASED";
    private static final String DISABLED = "DISABLED";
    private static final long MB = 1024L * 1024L;
    private static final List<String> TASK_MANAGERS = List.of("tm-1", "tm-2");
    private static final int SLOTS_PER_TASK_MANAGER = 2;

    /** For a look at the cluster's logs and configuration after the run. */
    private static final boolean KEEP_DIR = Boolean.getBoolean("demo.keepDir");

    private final int stateMb = intProperty("demo.stateMb", 400);
    private final int valueBytes = intProperty("demo.valueBytes", 1024);
    private final int parallelism =
            intProperty("demo.parallelism", TASK_MANAGERS.size() * SLOTS_PER_TASK_MANAGER);
    private final double remoteMbPerSecond = doubleProperty("demo.remoteMbPerSecond", 100);
    private final long remoteLatencyMs = intProperty("demo.remoteLatencyMs", 20);
    private final double timeoutMinutes = doubleProperty("demo.timeoutMinutes", 10);
    private final double recordsPerSecondAfterBuild = 200;
    private final long entryBytes = 8 + 4 + valueBytes;
    private final long numKeys;
    private final long deadlineNanos;
    private final long startNanos = System.nanoTime();

    private volatile StandaloneFlinkCluster current;
    private Path demoDir;

    private ClusterLocalRecoveryDemo() {
        if (parallelism > TASK_MANAGERS.size() * SLOTS_PER_TASK_MANAGER) {
            throw new IllegalArgumentException(
                    "demo.parallelism can be at most "
                            + TASK_MANAGERS.size() * SLOTS_PER_TASK_MANAGER
                            + " (two TaskManagers with two slots each)");
        }
        long keysPerSubtask = Math.max(1, stateMb * MB / entryBytes / parallelism);
        this.numKeys = keysPerSubtask * parallelism;
        this.deadlineNanos = startNanos + (long) (timeoutMinutes * 60e9);
    }

    public static void main(String[] args) {
        ClusterLocalRecoveryDemo demo;
        try {
            demo = new ClusterLocalRecoveryDemo();
            // the cluster's JVMs get the same --add-opens flags as this one, and a hard time limit
            if (System.getProperty("e2e.jvmOpens") == null) {
                System.setProperty(
                        "e2e.jvmOpens",
                        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                                .filter(a -> a.startsWith("--add-"))
                                .collect(Collectors.joining(" ")));
            }
            System.setProperty(
                    "e2e.processTimeoutSeconds",
                    String.valueOf((long) (demo.timeoutMinutes * 60) + 120));
        } catch (IllegalArgumentException e) {
            System.out.println("DEMO FAILED: " + e.getMessage());
            System.exit(1);
            return;
        }
        demo.startWatchdog();
        int exitCode;
        try {
            exitCode = demo.run();
        } catch (DemoTimeout e) {
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

    private int run() throws Exception {
        Path parent = Paths.get(System.getProperty("java.io.tmpdir")).toAbsolutePath();
        demoDir = parent.resolve("flink-local-recovery-demo-" + UUID.randomUUID());
        Files.createDirectories(demoDir);
        try {
            Path lib = assembleLib();
            printHeader(lib);
            List<RunResult> results = new ArrayList<>();
            results.add(runOnce(DISABLED, lib));
            results.add(runOnce(ENABLED, lib));
            printReport(results);
            List<String> problems = check(results);
            System.out.println();
            for (String problem : problems) {
                System.out.println("DEMO FAILED: " + problem);
            }
            if (!problems.isEmpty()) {
                return 1;
            }
            System.out.printf(
                    Locale.ROOT,
                    "Demo finished in %.0f s.%n",
                    (System.nanoTime() - startNanos) / 1e9);
            return 0;
        } finally {
            StandaloneFlinkCluster cluster = current;
            if (cluster != null) {
                cluster.close();
            }
            if (KEEP_DIR) {
                System.out.println("Kept the demo's directory (-Ddemo.keepDir): " + demoDir);
            } else {
                deleteQuietly(demoDir);
            }
        }
    }

    /** Flink's lib/ folder: the jars Maven assembled plus the emulated remote file system. */
    private Path assembleLib() throws IOException {
        Path source = Paths.get(requiredProperty("demo.flinkLib"));
        Path fsJar = Paths.get(requiredProperty("demo.fsJar"));
        for (Path required : List.of(source, fsJar, Paths.get(requiredProperty("demo.jobJar")))) {
            if (!Files.exists(required)) {
                throw new IllegalStateException(
                        required + " does not exist; run the demo through Maven (-Pdemo verify)");
            }
        }
        Path lib = Files.createDirectories(demoDir.resolve("lib"));
        try (Stream<Path> jars = Files.list(source)) {
            for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).toList()) {
                Files.createSymbolicLink(lib.resolve(jar.getFileName()), jar.toAbsolutePath());
            }
        }
        Files.createSymbolicLink(lib.resolve(fsJar.getFileName()), fsJar.toAbsolutePath());
        return lib;
    }

    private Map<String, String> clusterConfig(String mode, Path home) throws IOException {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("state.backend.type", LocalRecoveryHashMapStateBackendFactory.class.getName());
        config.put("state.backend.local-recovery", mode);
        // the same two Flink keys in both runs, so that the plugin is the only difference
        config.put("execution.state-recovery.from-local", "true");
        config.put("execution.checkpointing.local-backup.enabled", "false");
        config.put(
                "execution.checkpointing.dir",
                ThrottledFileSystem.SCHEME
                        + "://"
                        + Files.createDirectories(home.resolve("remote-checkpoints"))
                                .toUri()
                                .getPath());
        // the demo triggers the checkpoint it restores from, once the state is built: no other
        // checkpoint can complete between the check that the local copies are committed and the
        // kill (the periodic ones are a day apart)
        config.put("execution.checkpointing.interval", "1 d");
        config.put("execution.checkpointing.timeout", "5 min");
        config.put("execution.checkpointing.tolerable-failed-checkpoints", "10");
        config.put(
                ThrottledFileSystemFactory.BANDWIDTH_MB_PER_SECOND.key(), "" + remoteMbPerSecond);
        config.put(ThrottledFileSystemFactory.LATENCY_MS.key(), "" + remoteLatencyMs);
        config.put("parallelism.default", String.valueOf(parallelism));
        config.put("pipeline.object-reuse", "true");
        config.put("taskmanager.numberOfTaskSlots", String.valueOf(SLOTS_PER_TASK_MANAGER));
        // heap state: a large task heap, almost no managed memory
        config.put("taskmanager.memory.process.size", "1536m");
        config.put("taskmanager.memory.managed.size", "16m");
        // the REST API serves the execution graph without its default 3 s cache
        config.put("web.refresh-interval", "200");
        return config;
    }

    // ------------------------------------------------------------------------
    // one run

    private RunResult runOnce(String mode, Path lib) throws Exception {
        System.out.println();
        System.out.println("=== " + label(mode) + " ===");
        Path home = demoDir.resolve(mode.toLowerCase(Locale.ROOT));
        Files.createDirectories(home);
        StandaloneFlinkCluster cluster =
                StandaloneFlinkCluster.create(home, clusterConfig(mode, home), lib);
        current = cluster;
        try {
            log("starting the JobManager (127.0.0.1, REST port " + cluster.restPort() + ")...");
            cluster.startJobManager();
            log("JobManager up (pid " + cluster.pid("jobmanager") + ")");
            for (String tm : TASK_MANAGERS) {
                cluster.startTaskManager(tm);
            }
            cluster.waitForTaskManagers(TASK_MANAGERS.toArray(String[]::new));
            log(
                    "TaskManagers registered: "
                            + TASK_MANAGERS.stream()
                                    .map(tm -> tm + " (pid " + cluster.pid(tm) + ")")
                                    .collect(Collectors.joining(", "))
                            + ", "
                            + SLOTS_PER_TASK_MANAGER
                            + " slots each");
            return runJob(cluster, mode);
        } catch (Throwable t) {
            printLogTails(cluster);
            throw t;
        } finally {
            cluster.close();
            current = null;
            log("cluster stopped (every process by its recorded PID)");
            if (!KEEP_DIR) {
                deleteQuietly(home);
            }
        }
    }

    private RunResult runJob(StandaloneFlinkCluster cluster, String mode) throws Exception {
        FlinkRestApi rest = cluster.rest();
        Configuration clientConfig =
                GlobalConfiguration.loadConfiguration(cluster.confDir().toString());
        clientConfig.setString("pipeline.name", "local-recovery-demo " + mode);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createRemoteEnvironment(
                        "127.0.0.1",
                        cluster.restPort(),
                        clientConfig,
                        requiredProperty("demo.jobJar"));
        DemoStateJob.build(env, numKeys, parallelism, valueBytes, recordsPerSecondAfterBuild);
        JobClient client = env.executeAsync("local-recovery-demo " + mode);
        String jobId = client.getJobID().toString();
        log("job " + jobId + " submitted (parallelism " + parallelism + ")");
        try {
            String stateVertex =
                    waitFor(
                            // chained with the sink: "state-builder -> discard"
                            () ->
                                    rest.vertices(jobId).entrySet().stream()
                                            .filter(
                                                    v ->
                                                            v.getKey()
                                                                    .startsWith(
                                                                            DemoStateJob
                                                                                    .STATE_OPERATOR))
                                            .map(Map.Entry::getValue)
                                            .findFirst(),
                            "the job's vertices");

            // build the state
            CheckpointWatch checkpoints = new CheckpointWatch(rest, jobId);
            long lastProgress = 0;
            long builtKeys = 0;
            long buildStart = System.nanoTime();
            while (builtKeys < numKeys) {
                checkDeadline("the state to be built");
                failIfJobEnded(rest, jobId);
                checkpoints.printNew();
                builtKeys = sumMetric(rest, jobId, stateVertex, DemoStateJob.KEYS_CREATED);
                if (System.nanoTime() - lastProgress > 2_000_000_000L || builtKeys >= numKeys) {
                    lastProgress = System.nanoTime();
                    log(
                            String.format(
                                    Locale.ROOT,
                                    "building state: %d/%d MB (%,d of %,d keys)",
                                    builtKeys * entryBytes / MB,
                                    numKeys * entryBytes / MB,
                                    builtKeys,
                                    numKeys));
                }
                if (builtKeys < numKeys) {
                    Thread.sleep(250);
                }
            }
            log(
                    String.format(
                            Locale.ROOT,
                            "state built in %.1f s; triggering a checkpoint of all of it...",
                            (System.nanoTime() - buildStart) / 1e9));
            long checkpointId = cluster.checkpointNow(jobId, remaining());
            checkpoints.printNew();

            // kill the TaskManager with the most stateful subtasks (tm-1 on a tie)
            Map<Integer, FlinkRestApi.Subtask> before = subtasks(rest, jobId, stateVertex);
            Map<String, Long> perTm =
                    before.values().stream()
                            .collect(
                                    Collectors.groupingBy(
                                            FlinkRestApi.Subtask::taskManager,
                                            TreeMap::new,
                                            Collectors.counting()));
            String victim =
                    perTm.entrySet().stream()
                            .max(Map.Entry.comparingByValue())
                            .orElseThrow()
                            .getKey();
            Map<String, Integer> attemptsBefore = attempts(rest, jobId);
            log(
                    "killing "
                            + victim
                            + " with kill -9 (pid "
                            + cluster.pid(victim)
                            + "; it runs subtasks "
                            + before.values().stream()
                                    .filter(s -> s.taskManager().equals(victim))
                                    .map(s -> String.valueOf(s.index()))
                                    .collect(Collectors.joining(", "))
                            + " of "
                            + DemoStateJob.STATE_OPERATOR
                            + ")");
            if (ENABLED.equals(mode)) {
                // the local copies are committed shortly after the checkpoint completes
                cluster.waitUntil(
                        () -> cluster.hasLocalCopies(victim, jobId, checkpointId),
                        remaining(),
                        victim + "'s local copies of checkpoint " + checkpointId);
            }
            long killNanos = System.nanoTime();
            cluster.kill(victim);
            // a registration of the new process before the JobManager noticed the loss would be
            // closed by the stale heartbeat
            cluster.waitUntil(
                    () -> !rest.taskManagers().containsKey(victim),
                    remaining(),
                    "the JobManager to notice the loss of " + victim);
            log(since(killNanos) + ": the JobManager noticed the loss of " + victim);
            cluster.startTaskManager(victim);
            cluster.waitForTaskManagers(victim);
            log(
                    since(killNanos)
                            + ": "
                            + victim
                            + " restarted (pid "
                            + cluster.pid(victim)
                            + ", same taskmanager.resource-id and working directory)");
            log(
                    "restoring: every subtask restores its state from "
                            + (ENABLED.equals(mode)
                                    ? "its local copies (checked first; the remote storage if"
                                            + " they are missing or bad)..."
                                    : "the (emulated) remote checkpoint storage..."));

            // wait until every subtask of every vertex runs again in a new attempt
            TreeSet<Integer> reported = new TreeSet<>();
            long recoveredNanos;
            while (true) {
                checkDeadline("every subtask to run again");
                failIfJobEnded(rest, jobId);
                long now = System.nanoTime();
                for (FlinkRestApi.Subtask s : subtasks(rest, jobId, stateVertex).values()) {
                    if (s.attempt() > before.get(s.index()).attempt()
                            && s.status().equals("RUNNING")
                            && reported.add(s.index())) {
                        log(
                                String.format(
                                        Locale.ROOT,
                                        "%s: %s subtask %d running again on %s",
                                        since(killNanos),
                                        DemoStateJob.STATE_OPERATOR,
                                        s.index(),
                                        s.taskManager()));
                    }
                }
                if (allRunningAgain(rest, jobId, attemptsBefore)) {
                    recoveredNanos = now - killNanos;
                    break;
                }
                Thread.sleep(100);
            }
            log(
                    String.format(
                            Locale.ROOT,
                            "recovered: every subtask is RUNNING again, %.2f s after the kill",
                            recoveredNanos / 1e9));

            RunResult result = new RunResult(mode, victim, recoveredNanos);
            readRestores(rest, jobId, stateVertex, mode, result);
            client.cancel().get(60, TimeUnit.SECONDS);
            log("job cancelled");
            return result;
        } finally {
            if (!rest.jobStatus(jobId).matches("CANCELED|FAILED|FINISHED|UNKNOWN")) {
                try {
                    client.cancel().get(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    // the cluster is stopped next anyway
                }
            }
        }
    }

    /** Placement, restore time and restore source of every subtask of the stateful operator. */
    private void readRestores(
            FlinkRestApi rest, String jobId, String vertex, String mode, RunResult result)
            throws Exception {
        List<String> names =
                List.of(
                        LocalRecoveryMetrics.RESTORES_LOCAL,
                        LocalRecoveryMetrics.RESTORES_MIXED,
                        LocalRecoveryMetrics.RESTORES_REMOTE,
                        LocalRecoveryMetrics.RESTORED_BYTES_LOCAL,
                        LocalRecoveryMetrics.RESTORED_BYTES_REMOTE,
                        LocalRecoveryMetrics.FALLBACKS);
        List<String> ids = names.stream().map(n -> "localRecovery." + n).toList();
        // the JobManager fetches task metrics every few hundred ms; wait until every subtask's are
        // there (with the plugin DISABLED it registers none: give up after a few seconds)
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(ENABLED.equals(mode) ? 60 : 5);
        Map<Integer, Map<String, Long>> metrics = new TreeMap<>();
        while (true) {
            metrics.clear();
            for (int i = 0; i < parallelism; i++) {
                Map<String, Long> m = new TreeMap<>();
                rest.subtaskMetrics(jobId, vertex, i, ids)
                        .forEach((k, v) -> m.put(k.substring("localRecovery.".length()), v));
                metrics.put(i, m);
            }
            boolean complete =
                    metrics.values().stream()
                            .allMatch(
                                    m ->
                                            m.getOrDefault(LocalRecoveryMetrics.RESTORES_LOCAL, 0L)
                                                            + m.getOrDefault(
                                                                    LocalRecoveryMetrics
                                                                            .RESTORES_MIXED,
                                                                    0L)
                                                            + m.getOrDefault(
                                                                    LocalRecoveryMetrics
                                                                            .RESTORES_REMOTE,
                                                                    0L)
                                                    > 0);
            if (complete || System.nanoTime() > giveUp) {
                break;
            }
            checkDeadline("the restore metrics");
            Thread.sleep(500);
        }
        JsonNode vertexJson =
                rest.get("/jobs/" + jobId + "/vertices/" + vertex)
                        .orElseThrow(() -> new IllegalStateException("REST: no vertex " + vertex));
        for (JsonNode subtask : vertexJson.path("subtasks")) {
            int index = subtask.path("subtask").asInt();
            Restore restore = new Restore(index, subtask.path("taskmanager-id").asText());
            restore.initializingMs =
                    subtask.path("status-duration").path("INITIALIZING").asLong(-1);
            restore.plugin.putAll(metrics.getOrDefault(index, Map.of()));
            result.restores.put(index, restore);
        }
        // the restarted sources bring every key to the keyed function once: it checks them all
        long checkStart = System.nanoTime();
        RestoredStateCheck check = readStateCheck(rest, jobId, vertex);
        while (!check.complete()) {
            checkDeadline(
                    String.format(
                            Locale.ROOT,
                            "every restored key to be checked (%,d of %,d)",
                            check.keysChecked(),
                            numKeys));
            failIfJobEnded(rest, jobId);
            Thread.sleep(200);
            check = readStateCheck(rest, jobId, vertex);
        }
        log(
                String.format(
                        Locale.ROOT,
                        "checked the restored value of every key (%,d) in %.1f s",
                        check.keysChecked(),
                        (System.nanoTime() - checkStart) / 1e9));
        result.stateCheck = check;
    }

    /** The keyed function's checks of the restored keys, summed over the current attempts. */
    private RestoredStateCheck readStateCheck(FlinkRestApi rest, String jobId, String vertex) {
        long correct = sumMetric(rest, jobId, vertex, DemoStateJob.KEYS_CORRECT);
        long wrong = sumMetric(rest, jobId, vertex, DemoStateJob.VALUES_WRONG);
        long missing = sumMetric(rest, jobId, vertex, DemoStateJob.KEYS_MISSING);
        return new RestoredStateCheck(numKeys, correct + wrong + missing, wrong, missing);
    }

    // ------------------------------------------------------------------------
    // REST helpers

    private static Map<Integer, FlinkRestApi.Subtask> subtasks(
            FlinkRestApi rest, String jobId, String vertex) {
        Map<Integer, FlinkRestApi.Subtask> result = new TreeMap<>();
        for (FlinkRestApi.Subtask s : rest.subtasks(jobId, vertex)) {
            result.put(s.index(), s);
        }
        return result;
    }

    /** Attempt number of every subtask of every vertex, by "vertex#index". */
    private static Map<String, Integer> attempts(FlinkRestApi rest, String jobId) {
        Map<String, Integer> result = new TreeMap<>();
        for (String vertex : rest.vertices(jobId).values()) {
            for (FlinkRestApi.Subtask s : rest.subtasks(jobId, vertex)) {
                result.put(vertex + "#" + s.index(), s.attempt());
            }
        }
        return result;
    }

    private static boolean allRunningAgain(
            FlinkRestApi rest, String jobId, Map<String, Integer> attemptsBefore) {
        int seen = 0;
        for (String vertex : rest.vertices(jobId).values()) {
            for (FlinkRestApi.Subtask s : rest.subtasks(jobId, vertex)) {
                Integer old = attemptsBefore.get(vertex + "#" + s.index());
                if (old == null || s.attempt() <= old || !s.status().equals("RUNNING")) {
                    return false;
                }
                seen++;
            }
        }
        return seen == attemptsBefore.size() && rest.jobStatus(jobId).equals("RUNNING");
    }

    /** A task metric summed over the subtasks of a vertex (0 while not reported). */
    private static long sumMetric(FlinkRestApi rest, String jobId, String vertex, String metric) {
        // the operator's metrics are scoped under the operator name, in the task's metrics
        String id = DemoStateJob.STATE_OPERATOR + "." + metric;
        return rest.get(
                        "/jobs/"
                                + jobId
                                + "/vertices/"
                                + vertex
                                + "/subtasks/metrics?get="
                                + id
                                + "&agg=sum")
                .map(
                        json -> {
                            for (JsonNode m : json) {
                                if (m.path("id").asText().equals(id)) {
                                    return (long) m.path("sum").asDouble();
                                }
                            }
                            return 0L;
                        })
                .orElse(0L);
    }

    private static void failIfJobEnded(FlinkRestApi rest, String jobId) {
        String status = rest.jobStatus(jobId);
        if (status.matches("FAILED|CANCELED|FINISHED")) {
            String cause =
                    rest.get("/jobs/" + jobId + "/exceptions")
                            .map(j -> j.path("root-exception").asText())
                            .orElse("(no exception)");
            throw new IllegalStateException("The job ended unexpectedly: " + status + "\n" + cause);
        }
    }

    /** Prints each newly completed checkpoint, with its size and duration. */
    private final class CheckpointWatch {
        private final FlinkRestApi rest;
        private final String jobId;
        private long lastPrinted = -1;

        CheckpointWatch(FlinkRestApi rest, String jobId) {
            this.rest = rest;
            this.jobId = jobId;
        }

        void printNew() {
            rest.get("/jobs/" + jobId + "/checkpoints")
                    .map(j -> j.path("latest").path("completed"))
                    .filter(c -> c.has("id"))
                    .ifPresent(
                            c -> {
                                long id = c.path("id").asLong();
                                if (id != lastPrinted) {
                                    lastPrinted = id;
                                    log(
                                            String.format(
                                                    Locale.ROOT,
                                                    "checkpoint %d completed: %s in %.1f s",
                                                    id,
                                                    bytes(c.path("state_size").asLong()),
                                                    c.path("end_to_end_duration").asLong() / 1e3));
                                }
                            });
        }
    }

    // ------------------------------------------------------------------------
    // report

    private static final class Restore {
        final int subtask;
        final String taskManager;
        final Map<String, Long> plugin = new TreeMap<>();
        long initializingMs = -1;

        Restore(int subtask, String taskManager) {
            this.subtask = subtask;
            this.taskManager = taskManager;
        }

        long get(String name) {
            return plugin.getOrDefault(name, 0L);
        }

        String restoredFrom() {
            return DemoReport.restoredFrom(plugin, "?");
        }
    }

    private static final class RunResult {
        final String mode;
        final String killed;
        final long recoveryNanos;
        final Map<Integer, Restore> restores = new TreeMap<>();
        RestoredStateCheck stateCheck;

        RunResult(String mode, String killed, long recoveryNanos) {
            this.mode = mode;
            this.killed = killed;
            this.recoveryNanos = recoveryNanos;
        }

        long maxInitializingMs() {
            return restores.values().stream().mapToLong(r -> r.initializingMs).max().orElse(-1);
        }
    }

    private void printHeader(Path lib) {
        System.out.println();
        System.out.println("Task-local recovery demo on a real standalone Flink cluster");
        System.out.printf(
                Locale.ROOT,
                "  cluster: 1 JobManager + %d TaskManagers x %d slots, separate JVMs on 127.0.0.1,"
                        + " lib/ = %s%n",
                TASK_MANAGERS.size(),
                SLOTS_PER_TASK_MANAGER,
                Paths.get(requiredProperty("demo.flinkLib")).toAbsolutePath()
                        + " + the throttled:// file system");
        System.out.printf(
                Locale.ROOT,
                "  job: heap state backend, %,d keys x %d B = %d MB of keyed state, parallelism"
                        + " %d%n",
                numKeys,
                valueBytes,
                numKeys * entryBytes / MB,
                parallelism);
        System.out.printf(
                Locale.ROOT,
                "  remote checkpoint storage: emulated (throttled://, %.0f MB/s per process, %d ms"
                        + " per open)%n",
                remoteMbPerSecond,
                remoteLatencyMs);
        System.out.println(
                "  failure: kill -9 of a TaskManager, restarted with the same resource id and"
                        + " working directory");
        System.out.println("  directory: " + demoDir + " (deleted at the end)");
    }

    private void printReport(List<RunResult> results) {
        System.out.println();
        System.out.println("=== Report ===");
        System.out.println();
        String format = "%-34s %7s %-11s %-13s %11s %11s %12s%n";
        System.out.printf(
                Locale.ROOT,
                format,
                "setup",
                "subtask",
                "TaskManager",
                "restored from",
                "local",
                "remote",
                "restore time");
        for (RunResult result : results) {
            for (Restore r : result.restores.values()) {
                boolean plugin = !r.plugin.isEmpty();
                System.out.printf(
                        Locale.ROOT,
                        format,
                        label(result.mode),
                        r.subtask,
                        r.taskManager + (r.taskManager.equals(result.killed) ? "*" : ""),
                        r.restoredFrom(),
                        plugin ? bytes(r.get(LocalRecoveryMetrics.RESTORED_BYTES_LOCAL)) : "-",
                        plugin ? bytes(r.get(LocalRecoveryMetrics.RESTORED_BYTES_REMOTE)) : "all",
                        seconds(r.initializingMs));
            }
        }
        System.out.println();
        System.out.printf(
                Locale.ROOT,
                "%-34s %18s %22s%n",
                "setup",
                "max restore time",
                "total recovery time");
        for (RunResult result : results) {
            System.out.printf(
                    Locale.ROOT,
                    "%-34s %18s %22s%n",
                    label(result.mode),
                    seconds(result.maxInitializingMs()),
                    seconds(result.recoveryNanos / 1_000_000));
        }
        RunResult without = results.get(0);
        RunResult with = results.get(1);
        System.out.println();
        System.out.printf(
                Locale.ROOT,
                "Speed-up with the plugin: restore %.1fx (max per subtask), total recovery %.2fx"
                        + " (from the kill until every subtask runs again).%n",
                ratio(without.maxInitializingMs(), with.maxInitializingMs()),
                ratio(without.recoveryNanos, with.recoveryNanos));
        System.out.println();
        System.out.println(
                "* the TaskManager that was killed with kill -9 and restarted with the same"
                        + " resource id and working directory.");
        System.out.println(
                "restored from / local / remote: the plugin's localRecovery.* task metrics, read"
                        + " through the REST API (with the plugin DISABLED it registers none:"
                        + " everything comes from the remote storage).");
        System.out.println(
                "restore time: how long Flink's subtask was INITIALIZING (state restore and"
                        + " operator setup), from the REST API's status-duration.");
        System.out.println(
                "total recovery time: from the kill until every subtask was RUNNING again;"
                        + " includes noticing the loss and restarting the TaskManager JVM, the same"
                        + " in both setups.");
        for (RunResult result : results) {
            System.out.println(result.stateCheck.describe(label(result.mode)));
        }
    }

    private List<String> check(List<RunResult> results) {
        List<String> problems = new ArrayList<>();
        for (RunResult result : results) {
            if (result.restores.size() != parallelism) {
                problems.add(
                        label(result.mode)
                                + ": "
                                + result.restores.size()
                                + " restored subtasks, expected "
                                + parallelism);
            }
            result.stateCheck.problem(label(result.mode)).ifPresent(problems::add);
            if (ENABLED.equals(result.mode)) {
                for (Restore r : result.restores.values()) {
                    if (!r.restoredFrom().equals("local")) {
                        problems.add(
                                label(result.mode)
                                        + ": subtask "
                                        + r.subtask
                                        + " restored from "
                                        + r.restoredFrom()
                                        + ", not from its local copy: "
                                        + r.plugin);
                    }
                }
            }
        }
        return problems;
    }

    private static void printLogTails(StandaloneFlinkCluster cluster) {
        for (String process : List.of("jobmanager", "tm-1", "tm-2")) {
            Path log = cluster.log(process);
            if (Files.exists(log)) {
                System.out.println("--- last lines of " + process + ".log ---");
                System.out.println(StandaloneFlinkCluster.tail(log));
            }
        }
    }

    private static double ratio(long slow, long fast) {
        return fast <= 0 || slow < 0 ? Double.NaN : (double) slow / fast;
    }

    private static String since(long nanos) {
        return String.format(Locale.ROOT, "+%.1f s", (System.nanoTime() - nanos) / 1e9);
    }

    private void log(String text) {
        System.out.printf(
                Locale.ROOT, "[%6.1f s] %s%n", (System.nanoTime() - startNanos) / 1e9, text);
        System.out.flush();
    }

    // ------------------------------------------------------------------------
    // time limit and cleanup

    private static final class DemoTimeout extends RuntimeException {
        DemoTimeout(String message) {
            super(message);
        }
    }

    private void checkDeadline(String waitingFor) {
        if (System.nanoTime() > deadlineNanos) {
            throw new DemoTimeout(
                    "timed out after "
                            + timeoutMinutes
                            + " minutes waiting for "
                            + waitingFor
                            + " (raise -Ddemo.timeoutMinutes or lower -Ddemo.stateMb)");
        }
    }

    private Duration remaining() {
        checkDeadline("the cluster");
        return Duration.ofNanos(deadlineNanos - System.nanoTime());
    }

    private <T> T waitFor(java.util.function.Supplier<Optional<T>> supplier, String what)
            throws InterruptedException {
        while (true) {
            Optional<T> value = supplier.get();
            if (value.isPresent()) {
                return value.get();
            }
            checkDeadline(what);
            Thread.sleep(200);
        }
    }

    /**
     * Last resort if the demo hangs where no deadline is checked: kills the cluster's processes by
     * their PIDs, deletes the directory and halts.
     */
    private void startWatchdog() {
        DemoWatchdog.start(
                timeoutMinutes,
                () -> {
                    System.out.println(
                            "DEMO FAILED: still running a minute after the time limit; stopping.");
                    StandaloneFlinkCluster cluster = current;
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

    private static String requiredProperty(String key) {
        String value = System.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(
                    "System property "
                            + key
                            + " is not set; run the demo through Maven: mvn -q -DskipTests -Pdemo"
                            + " verify");
        }
        return value;
    }
}
