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
package io.flinklocalrecovery.e2e.cluster;

import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import io.flinklocalrecovery.core.metrics.FallbackReason;
import io.flinklocalrecovery.core.metrics.LocalRecoveryMetrics;
import io.flinklocalrecovery.testutils.cluster.FlinkRestApi;
import io.flinklocalrecovery.testutils.cluster.FlinkRestApi.Subtask;
import io.flinklocalrecovery.testutils.cluster.StandaloneFlinkCluster;
import io.flinklocalrecovery.testutils.job.ClusterTestJob;
import io.flinklocalrecovery.testutils.job.SummaryFileSink;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * One run of {@link ClusterTestJob} on a {@link StandaloneFlinkCluster}, submitted the way {@code
 * flink run} would: a remote environment configured from the cluster's {@code config.yaml}, with
 * the job's own jar. Output is the file the job's {@link SummaryFileSink} writes at the end of the
 * input.
 */
final class ClusterJobRun implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofMinutes(3);

    /** The vertices whose subtasks hold state: the source (reader position) and the keyed one. */
    static final List<String> STATEFUL_VERTICES =
            List.of("Source: " + ClusterTestJob.SOURCE, ClusterTestJob.KEYED_OPERATOR);

    /** The plugin's metrics as the REST API names them: in their group. */
    private static final String GROUP_PREFIX = LocalRecoveryMetrics.GROUP + ".";

    static final List<String> METRICS =
            List.of(
                    LocalRecoveryMetrics.RESTORES_LOCAL,
                    LocalRecoveryMetrics.RESTORES_MIXED,
                    LocalRecoveryMetrics.RESTORES_REMOTE,
                    LocalRecoveryMetrics.RESTORED_BYTES_LOCAL,
                    LocalRecoveryMetrics.RESTORED_BYTES_REMOTE,
                    LocalRecoveryMetrics.RESCALE_RESTORES,
                    LocalRecoveryMetrics.RESCALE_RESTORED_BYTES_LOCAL,
                    LocalRecoveryMetrics.RESCALE_RESTORED_BYTES_REMOTE,
                    LocalRecoveryMetrics.RESTORED_HANDLES_ADOPTED,
                    LocalRecoveryMetrics.RESTORED_HANDLES_BORROWED,
                    LocalRecoveryMetrics.FALLBACKS,
                    LocalRecoveryMetrics.nameOf(FallbackReason.NO_LOCAL_COPY),
                    LocalRecoveryMetrics.nameOf(FallbackReason.FILE_MISSING_OR_TRUNCATED),
                    LocalRecoveryMetrics.nameOf(FallbackReason.CHECKSUM_MISMATCH),
                    LocalRecoveryMetrics.nameOf(FallbackReason.RESTORE_FAILED),
                    LocalRecoveryMetrics.LOCAL_WRITE_FAILURES,
                    LocalRecoveryMetrics.LOCAL_CHECKPOINTS_COMPLETED);

    final long records;
    final int keys;
    private final StandaloneFlinkCluster cluster;
    private final FlinkRestApi rest;
    private final Path releaseMarker;
    private final Path failureMarker;
    private final JobClient client;
    private final Path outputFile;
    final String jobId;

    /** Whether the test triggers the checkpoints ({@link #checkpointNow}). */
    private volatile boolean checkpointsTriggered;

    /** A subtask of a stateful vertex. */
    record SubtaskId(String vertex, int index) {
        @Override
        public String toString() {
            return vertex + "#" + index;
        }
    }

    /** The metrics of one subtask's current attempt, with where it ran. */
    record Restore(SubtaskId subtask, int attempt, String taskManager, Map<String, Long> metrics) {
        long get(String name) {
            return metrics.getOrDefault(name, 0L);
        }

        /** The counters that are final once the attempt restored (not the checkpoint ones). */
        Map<String, Long> restoreCounts() {
            Map<String, Long> counts = new HashMap<>(metrics);
            counts.remove(LocalRecoveryMetrics.LOCAL_CHECKPOINTS_COMPLETED);
            counts.remove(LocalRecoveryMetrics.LOCAL_WRITE_FAILURES);
            return counts;
        }

        long restores() {
            return get(LocalRecoveryMetrics.RESTORES_LOCAL)
                    + get(LocalRecoveryMetrics.RESTORES_MIXED)
                    + get(LocalRecoveryMetrics.RESTORES_REMOTE);
        }

        @Override
        public String toString() {
            return subtask + " attempt " + attempt + " on " + taskManager + " " + metrics;
        }
    }

    ClusterJobRun(StandaloneFlinkCluster cluster, long records, int keys, double recordsPerSecond)
            throws Exception {
        this(cluster, records, keys, recordsPerSecond, Map.of());
    }

    /**
     * A run submitted with settings of its own on top of the cluster's {@code config.yaml}, as
     * {@code flink run -D...} does (e.g. {@code execution.state-recovery.path}).
     */
    ClusterJobRun(
            StandaloneFlinkCluster cluster,
            long records,
            int keys,
            double recordsPerSecond,
            Map<String, String> submitSettings)
            throws Exception {
        this.cluster = cluster;
        this.rest = cluster.rest();
        this.records = records;
        this.keys = keys;
        this.releaseMarker = cluster.home().resolve("release-source");
        this.failureMarker = cluster.home().resolve("fail-a-task");
        Files.deleteIfExists(releaseMarker);
        Files.deleteIfExists(failureMarker);
        this.outputFile = cluster.home().resolve("output").resolve("summaries");
        Files.createDirectories(outputFile.getParent());
        Files.deleteIfExists(outputFile);

        Configuration clientConfig =
                GlobalConfiguration.loadConfiguration(cluster.confDir().toString());
        submitSettings.forEach(
                (key, value) ->
                        clientConfig.set(
                                ConfigOptions.key(key).stringType().noDefaultValue(), value));
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createRemoteEnvironment(
                        "127.0.0.1",
                        cluster.restPort(),
                        clientConfig,
                        System.getProperty("e2e.jobJar"));
        DataStream<String> summaries =
                ClusterTestJob.build(
                        env,
                        records,
                        keys,
                        recordsPerSecond,
                        releaseMarker.toString(),
                        failureMarker.toString());
        summaries
                .sinkTo(new SummaryFileSink(outputFile.toString()))
                .setParallelism(1)
                .name("summaries-file");
        client = env.executeAsync("local-recovery-e2e");
        jobId = client.getJobID().toString();
        log("submitted");
    }

    /**
     * Waits until the TaskManager has committed its local copies of the newest completed
     * checkpoint, in every scope of this job it holds. A TaskManager killed before that loses those
     * copies (correctly, its subtasks then restore from the primary): a test that expects local
     * restores after a kill must kill after this.
     */
    void awaitLocalCopiesOfLatestCheckpoint(String resourceId) throws Exception {
        cluster.waitUntil(
                () -> {
                    long latest = rest.latestCompletedCheckpointId(jobId);
                    return latest >= 0
                            && cluster.hasLocalCopies(resourceId, jobId, latest)
                            // and no newer checkpoint completed meanwhile
                            && latest == rest.latestCompletedCheckpointId(jobId);
                },
                TIMEOUT,
                "local copies of the newest checkpoint on " + resourceId);
    }

    void awaitCompletedCheckpoints(long atLeast) throws Exception {
        cluster.waitUntil(
                () -> rest.completedCheckpoints(jobId) >= atLeast,
                TIMEOUT,
                atLeast + " completed checkpoints of job " + jobId);
        log(atLeast + " checkpoints completed");
    }

    /**
     * Triggers a checkpoint through the REST API and waits until it completed (a refused or failed
     * one is triggered again): with periodic checkpoints far apart, no other checkpoint starts
     * between two of these calls.
     */
    long checkpointNow() throws Exception {
        checkpointsTriggered = true;
        long checkpointId = cluster.checkpointNow(jobId, TIMEOUT);
        log("checkpoint " + checkpointId + " completed (triggered)");
        return checkpointId;
    }

    long completedCheckpoints() {
        return rest.completedCheckpoints(jobId);
    }

    /**
     * Cancels the job, as {@code flink cancel} does, and waits until it is cancelled; the path of
     * its newest completed checkpoint, which the cluster retains on cancellation ({@code
     * execution.checkpointing.externalized-checkpoint-retention: RETAIN_ON_CANCELLATION}).
     */
    String cancelKeepingLatestCheckpoint() throws Exception {
        String path =
                rest.latestCompletedCheckpointPath(jobId)
                        .orElseThrow(
                                () ->
                                        new AssertionError(
                                                "job " + jobId + " has no completed checkpoint"));
        client.cancel().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        cluster.waitUntil(
                () -> rest.jobStatus(jobId).equals("CANCELED"),
                TIMEOUT,
                "job " + jobId + " to be cancelled");
        log("cancelled, keeping " + path);
        return path;
    }

    /** Makes one subtask of the keyed operator throw once. */
    void failOneTask() throws Exception {
        Files.writeString(failureMarker, "fail once");
    }

    boolean failureConsumed() {
        return !Files.exists(failureMarker);
    }

    /** Where each stateful subtask's current attempt runs. */
    Map<SubtaskId, Subtask> placement() {
        Map<SubtaskId, Subtask> placement = new HashMap<>();
        Map<String, String> vertices = rest.vertices(jobId);
        for (String vertex : STATEFUL_VERTICES) {
            String vertexId = vertices.get(vertex);
            if (vertexId == null) {
                continue;
            }
            for (Subtask subtask : rest.subtasks(jobId, vertexId)) {
                placement.put(new SubtaskId(vertex, subtask.index()), subtask);
            }
        }
        return placement;
    }

    /** Waits until every stateful subtask runs in an attempt newer than the given placement's. */
    Map<SubtaskId, Subtask> awaitRestarted(Map<SubtaskId, Subtask> before) throws Exception {
        cluster.waitUntil(
                () -> {
                    Map<SubtaskId, Subtask> now = placement();
                    if (now.size() != before.size()) {
                        return false;
                    }
                    for (Map.Entry<SubtaskId, Subtask> entry : now.entrySet()) {
                        Subtask old = before.get(entry.getKey());
                        Subtask current = entry.getValue();
                        if (old == null
                                || current.attempt() <= old.attempt()
                                || !current.status().equals("RUNNING")) {
                            return false;
                        }
                    }
                    return rest.jobStatus(jobId).equals("RUNNING");
                },
                TIMEOUT,
                "every stateful subtask of job " + jobId + " to run again after the failure");
        log("restarted");
        return placement();
    }

    /**
     * Rescales the job in place, as the autoscaler does: sets the parallelism of its parallel
     * vertices (those running with the keyed operator's) in the resource requirements and waits
     * until every stateful subtask runs with the new parallelism. The adaptive scheduler restarts
     * the job from its newest checkpoint.
     */
    void rescale(int parallelism) throws Exception {
        Map<String, String> vertices = rest.vertices(jobId);
        Map<String, Integer> current = rest.parallelismUpperBounds(jobId);
        int keyed = current.get(vertices.get(ClusterTestJob.KEYED_OPERATOR));
        Map<String, Integer> target = new HashMap<>();
        current.forEach(
                (vertex, bound) -> target.put(vertex, bound == keyed ? parallelism : bound));
        rest.setParallelism(jobId, target);
        log("resource requirements set: parallelism " + keyed + " -> " + parallelism);
        // since Flink 2.0 (FLIP-461) the adaptive scheduler rescales when the next checkpoint
        // completes, and restores from it: with the periodic ones a day apart, the test triggers it
        awaitTriggeringCheckpoints(
                () -> runsWith(parallelism),
                checkpointsTriggered,
                "job " + jobId + " to run with parallelism " + parallelism);
        log("rescaled to " + parallelism);
    }

    /**
     * Whether the job runs with the given parallelism: every stateful subtask of it is running, but
     * a source subtask given no split after a scale-out, which finishes at once.
     */
    private boolean runsWith(int parallelism) {
        Map<SubtaskId, Subtask> now = placement();
        if (now.size() != STATEFUL_VERTICES.size() * parallelism) {
            return false;
        }
        for (Map.Entry<SubtaskId, Subtask> entry : now.entrySet()) {
            String status = entry.getValue().status();
            boolean source = entry.getKey().vertex().equals(STATEFUL_VERTICES.get(0));
            if (!status.equals("RUNNING") && !(source && status.equals("FINISHED"))) {
                return false;
            }
        }
        return rest.jobStatus(jobId).equals("RUNNING");
    }

    /**
     * The plugin's metrics of every stateful subtask's current attempt, once the JobManager's
     * metric fetcher has seen each of them restore and two reads agree.
     */
    Map<SubtaskId, Restore> restoreMetrics() throws Exception {
        return restoreMetrics(now -> now.values().stream().allMatch(r -> r.restores() > 0));
    }

    /**
     * The plugin's metrics of every stateful subtask's current attempt, once the JobManager's
     * metric fetcher shows the expected restores and two reads agree. After a scale-out, a subtask
     * that was given no state restores nothing: the test says which restores it expects.
     */
    Map<SubtaskId, Restore> restoreMetrics(Predicate<Map<SubtaskId, Restore>> expectedRestores)
            throws Exception {
        Map<String, String> vertices = rest.vertices(jobId);
        Map<SubtaskId, Restore>[] last = new Map[1];
        try {
            cluster.waitUntil(
                    () -> {
                        Map<SubtaskId, Restore> now = readRestores(vertices);
                        boolean complete =
                                expectedRestores.test(now)
                                        && last[0] != null
                                        && restoreCounts(now).equals(restoreCounts(last[0]));
                        last[0] = now;
                        if (!complete) {
                            sleep(700);
                        }
                        return complete;
                    },
                    Duration.ofMinutes(1),
                    "the restore metrics of every stateful subtask of job " + jobId);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; last read: " + last[0], e);
        }
        log("restore metrics read");
        return last[0];
    }

    private static Map<SubtaskId, Map<String, Long>> restoreCounts(
            Map<SubtaskId, Restore> restores) {
        Map<SubtaskId, Map<String, Long>> counts = new HashMap<>();
        restores.forEach((id, restore) -> counts.put(id, restore.restoreCounts()));
        return counts;
    }

    private Map<SubtaskId, Restore> readRestores(Map<String, String> vertices) {
        Map<SubtaskId, Restore> result = new HashMap<>();
        for (Map.Entry<SubtaskId, Subtask> entry : placement().entrySet()) {
            SubtaskId id = entry.getKey();
            Subtask subtask = entry.getValue();
            Map<String, Long> metrics =
                    rest.subtaskMetrics(
                            jobId,
                            vertices.get(id.vertex()),
                            id.index(),
                            METRICS.stream().map(m -> GROUP_PREFIX + m).toList());
            Map<String, Long> shortNames = new HashMap<>();
            metrics.forEach((k, v) -> shortNames.put(k.substring(GROUP_PREFIX.length()), v));
            result.put(id, new Restore(id, subtask.attempt(), subtask.taskManager(), shortNames));
        }
        return result;
    }

    /**
     * Waits for the condition; meanwhile, if {@code trigger}, keeps one checkpoint triggered at a
     * time (a failed or refused one is triggered again at the next poll).
     */
    private void awaitTriggeringCheckpoints(BooleanSupplier condition, boolean trigger, String what)
            throws Exception {
        String[] request = {null};
        cluster.waitUntil(
                () -> {
                    if (condition.getAsBoolean()) {
                        return true;
                    }
                    if (trigger) {
                        try {
                            if (request[0] == null
                                    || rest.triggeredCheckpoint(jobId, request[0]) >= 0) {
                                request[0] = rest.triggerCheckpoint(jobId).orElse(null);
                            }
                        } catch (IllegalStateException e) {
                            request[0] = null; // failed: trigger another at the next poll
                        }
                    }
                    return false;
                },
                TIMEOUT,
                what);
    }

    /** Lets the source run to its end; the job's sorted output. */
    List<String> releaseAndCollect() throws Exception {
        Files.writeString(releaseMarker, "go");
        log("released");
        // finished tasks wait for a final checkpoint: trigger them if the test took over
        // checkpointing (checkpointNow), one at a time
        awaitTriggeringCheckpoints(
                () -> rest.jobStatus(jobId).equals("FINISHED"),
                checkpointsTriggered,
                "job " + jobId + " to finish");
        List<String> lines = new ArrayList<>(Files.readAllLines(outputFile));
        lines.sort(null);
        log("output collected");
        return lines;
    }

    List<String> expectedOutput() {
        return ClusterTestJob.expectedOutput(records, keys);
    }

    @Override
    public void close() throws Exception {
        try {
            if (!rest.jobStatus(jobId).equals("FINISHED")) {
                client.cancel().get(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            // the cluster is stopped next anyway
        }
    }

    private final long started = System.nanoTime();

    /** Progress on stdout (in the failsafe report), to see where a slow run spends its time. */
    void log(String what) {
        System.out.printf(
                "[%6.1f s] job %s: %s%n", (System.nanoTime() - started) / 1e9, jobId, what);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
