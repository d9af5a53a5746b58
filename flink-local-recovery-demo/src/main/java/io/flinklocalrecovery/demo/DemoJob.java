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
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;

import io.flinklocalrecovery.core.metrics.LocalRecoveryMetrics;
import io.flinklocalrecovery.testutils.cluster.FlinkRestApi;
import io.flinklocalrecovery.testutils.cluster.FlinkRestApi.Subtask;
import io.flinklocalrecovery.testutils.cluster.StandaloneFlinkCluster;
import io.flinklocalrecovery.testutils.job.DemoStateJob;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The demo's job ({@link DemoStateJob}) submitted to a {@link DemoCluster} the way {@code flink
 * run} would, and what the demo reads about it through the REST API: its subtasks and their state
 * timestamps, the checkpoints, and the task metrics of the current attempts (the plugin's {@code
 * localRecovery.*} and the job's key checks).
 */
@Internal
final class DemoJob implements AutoCloseable {

    private static final String PLUGIN_PREFIX = LocalRecoveryMetrics.GROUP + ".";
    private static final String JOB_PREFIX = DemoStateJob.STATE_OPERATOR + ".";
    private static final List<String> PLUGIN_METRICS =
            List.of(
                    LocalRecoveryMetrics.RESTORES_LOCAL,
                    LocalRecoveryMetrics.RESTORES_MIXED,
                    LocalRecoveryMetrics.RESTORES_REMOTE,
                    LocalRecoveryMetrics.RESTORED_BYTES_LOCAL,
                    LocalRecoveryMetrics.RESTORED_BYTES_REMOTE,
                    LocalRecoveryMetrics.FALLBACKS);
    private static final List<String> CHECK_METRICS =
            List.of(
                    DemoStateJob.ATTEMPT,
                    DemoStateJob.KEYS_CORRECT,
                    DemoStateJob.VALUES_WRONG,
                    DemoStateJob.KEYS_MISSING);

    private final StandaloneFlinkCluster cluster;
    private final FlinkRestApi rest;
    private final JobClient client;
    private final String jobId;
    private final Path failureMarker;
    private final long numKeys;

    /** Vertex name to id; the stateful one is "state-builder -> discard" (chained). */
    private Map<String, String> vertices = Map.of();

    private String stateVertex;

    DemoJob(DemoCluster demoCluster, DemoSettings settings, String name) throws Exception {
        this.cluster = demoCluster.flink();
        this.rest = cluster.rest();
        this.numKeys = settings.numKeys;
        this.failureMarker = cluster.home().resolve("fail-a-task");
        Files.deleteIfExists(failureMarker);
        Configuration clientConfig =
                GlobalConfiguration.loadConfiguration(cluster.confDir().toString());
        clientConfig.set(PipelineOptions.NAME, name);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createRemoteEnvironment(
                        "127.0.0.1", cluster.restPort(), clientConfig, settings.jobJar.toString());
        DemoStateJob.build(
                env,
                settings.numKeys,
                settings.parallelism,
                settings.valueBytes,
                DemoSettings.RECORDS_PER_SECOND_AFTER_BUILD,
                failureMarker.toString());
        this.client = env.executeAsync(name);
        this.jobId = client.getJobID().toString();
    }

    String id() {
        return jobId;
    }

    /** Waits until the job's vertices are known. */
    void awaitVertices(DemoWaits waits) throws Exception {
        waits.until(
                "the job's vertices",
                () -> {
                    vertices = rest.vertices(jobId);
                    stateVertex =
                            vertices.entrySet().stream()
                                    .filter(v -> v.getKey().startsWith(DemoStateJob.STATE_OPERATOR))
                                    .map(Map.Entry::getValue)
                                    .findFirst()
                                    .orElse(null);
                    return stateVertex != null;
                });
    }

    /** The keys created so far, over every subtask of the stateful operator. */
    long keysCreated() {
        long created = 0;
        for (Subtask subtask : stateSubtasks().values()) {
            created +=
                    metrics(subtask.index(), List.of(JOB_PREFIX + DemoStateJob.KEYS_CREATED))
                            .getOrDefault(JOB_PREFIX + DemoStateJob.KEYS_CREATED, 0L);
        }
        return created;
    }

    /** Triggers a checkpoint and waits until it completed; its id. */
    long checkpointNow(DemoWaits waits) throws Exception {
        return cluster.checkpointNow(jobId, waits.deadline().timeLeft());
    }

    /** Whether every TaskManager committed its local copies of the checkpoint. */
    boolean localCopiesCommitted(long checkpointId) {
        return DemoCluster.TASK_MANAGERS.stream()
                .allMatch(tm -> cluster.hasLocalCopies(tm, jobId, checkpointId));
    }

    /** The local copies the plugin could not keep, summed over every subtask of the job. */
    long localWriteFailures() {
        String id = PLUGIN_PREFIX + LocalRecoveryMetrics.LOCAL_WRITE_FAILURES;
        long failures = 0;
        for (String vertex : vertices.values()) {
            failures +=
                    rest.get(
                                    "/jobs/"
                                            + jobId
                                            + "/vertices/"
                                            + vertex
                                            + "/subtasks/metrics?get="
                                            + id
                                            + "&agg=sum")
                            .map(json -> json.path(0).path("sum").asLong(0))
                            .orElse(0L);
        }
        return failures;
    }

    /** The size of the checkpoint (all of it, incremental or not), from its statistics. */
    long checkpointBytes(long checkpointId) {
        return rest.get("/jobs/" + jobId + "/checkpoints/details/" + checkpointId)
                .map(json -> json.path("state_size").asLong())
                .orElse(-1L);
    }

    /** Makes one subtask of the stateful operator throw once. */
    void injectTaskFailure() throws Exception {
        Files.writeString(failureMarker, "fail once");
    }

    /** The stateful operator's subtasks, by index: attempt, status, TaskManager. */
    Map<Integer, Subtask> stateSubtasks() {
        Map<Integer, Subtask> result = new TreeMap<>();
        for (Subtask subtask : rest.subtasks(jobId, stateVertex)) {
            result.put(subtask.index(), subtask);
        }
        return result;
    }

    /** The attempt of every subtask of every vertex, by "vertex#index". */
    Map<String, Integer> attempts() {
        Map<String, Integer> result = new TreeMap<>();
        for (String vertex : vertices.values()) {
            for (Subtask subtask : rest.subtasks(jobId, vertex)) {
                result.put(vertex + "#" + subtask.index(), subtask.attempt());
            }
        }
        return result;
    }

    /** Whether every subtask of every vertex runs in an attempt newer than {@code before}. */
    boolean allRunningAgain(Map<String, Integer> before) {
        failIfEnded();
        int seen = 0;
        for (String vertex : vertices.values()) {
            for (Subtask subtask : rest.subtasks(jobId, vertex)) {
                Integer old = before.get(vertex + "#" + subtask.index());
                if (old == null
                        || subtask.attempt() <= old
                        || !subtask.status().equals("RUNNING")) {
                    return false;
                }
                seen++;
            }
        }
        return seen == before.size();
    }

    /** When the last subtask of the job switched to RUNNING (epoch ms, JobManager clock). */
    long lastRunningTimestamp() {
        long last = -1;
        for (String vertex : vertices.values()) {
            for (JsonNode timestamps : subtaskTimestamps(vertex).values()) {
                last = Math.max(last, timestamps.path("RUNNING").asLong(-1));
            }
        }
        return last;
    }

    /**
     * How every subtask of the stateful operator restored in its current attempt ({@code
     * attempts}), once the JobManager has the attempt's metrics and timestamps; empty until then.
     * Without the plugin the bytes are each subtask's state size in the restored checkpoint.
     */
    Optional<List<SubtaskRestore>> restores(
            Map<Integer, Subtask> attempts, boolean plugin, long restoredCheckpoint) {
        Map<Integer, JsonNode> timestamps = subtaskTimestamps(stateVertex);
        Map<Integer, Long> checkpointed =
                plugin ? Map.of() : subtaskCheckpointBytes(restoredCheckpoint);
        List<String> names = new ArrayList<>();
        names.add(JOB_PREFIX + DemoStateJob.ATTEMPT);
        PLUGIN_METRICS.forEach(m -> names.add(PLUGIN_PREFIX + m));
        List<SubtaskRestore> result = new ArrayList<>();
        for (Subtask subtask : attempts.values()) {
            Map<String, Long> m = metrics(subtask.index(), names);
            long local = m.getOrDefault(PLUGIN_PREFIX + LocalRecoveryMetrics.RESTORES_LOCAL, 0L);
            long mixed = m.getOrDefault(PLUGIN_PREFIX + LocalRecoveryMetrics.RESTORES_MIXED, 0L);
            long remote = m.getOrDefault(PLUGIN_PREFIX + LocalRecoveryMetrics.RESTORES_REMOTE, 0L);
            long restores = local + mixed + remote;
            JsonNode times = timestamps.get(subtask.index());
            long initializing = times == null ? -1 : times.path("INITIALIZING").asLong(-1);
            long running = times == null ? -1 : times.path("RUNNING").asLong(-1);
            if (m.getOrDefault(JOB_PREFIX + DemoStateJob.ATTEMPT, -1L) != subtask.attempt()
                    || (plugin && restores == 0)
                    || (!plugin && !checkpointed.containsKey(subtask.index()))
                    || initializing <= 0
                    || running < initializing) {
                return Optional.empty();
            }
            long restoreMillis = running - initializing;
            result.add(
                    new SubtaskRestore(
                            subtask.index(),
                            subtask.taskManager(),
                            restoreMillis,
                            plugin ? SubtaskRestore.sourceOf(local, mixed, remote) : "remote",
                            m.getOrDefault(
                                    PLUGIN_PREFIX + LocalRecoveryMetrics.RESTORED_BYTES_LOCAL, 0L),
                            plugin
                                    ? m.getOrDefault(
                                            PLUGIN_PREFIX
                                                    + LocalRecoveryMetrics.RESTORED_BYTES_REMOTE,
                                            0L)
                                    : checkpointed.get(subtask.index()),
                            m.getOrDefault(PLUGIN_PREFIX + LocalRecoveryMetrics.FALLBACKS, 0L),
                            plugin));
        }
        return Optional.of(result);
    }

    /**
     * The checks of the restored keys by the current attempts ({@code attempts}); counts of a
     * subtask whose metrics the JobManager has not fetched for that attempt yet are left out.
     */
    RestoredStateCheck stateCheck(Map<Integer, Subtask> attempts) {
        long correct = 0;
        long wrong = 0;
        long missing = 0;
        List<String> names = CHECK_METRICS.stream().map(m -> JOB_PREFIX + m).toList();
        for (Subtask subtask : attempts.values()) {
            Map<String, Long> m = metrics(subtask.index(), names);
            if (m.getOrDefault(JOB_PREFIX + DemoStateJob.ATTEMPT, -1L) == subtask.attempt()) {
                correct += m.getOrDefault(JOB_PREFIX + DemoStateJob.KEYS_CORRECT, 0L);
                wrong += m.getOrDefault(JOB_PREFIX + DemoStateJob.VALUES_WRONG, 0L);
                missing += m.getOrDefault(JOB_PREFIX + DemoStateJob.KEYS_MISSING, 0L);
            }
        }
        return new RestoredStateCheck(numKeys, correct + wrong + missing, wrong, missing);
    }

    /** Throws if the job ended (it never should): with the root exception. */
    void failIfEnded() {
        String status = rest.jobStatus(jobId);
        if (status.matches("FAILED|CANCELED|FINISHED")) {
            String cause =
                    rest.get("/jobs/" + jobId + "/exceptions")
                            .map(j -> j.path("root-exception").asText())
                            .orElse("(no exception)");
            throw new IllegalStateException("The job ended unexpectedly: " + status + "\n" + cause);
        }
    }

    private Map<String, Long> metrics(int subtask, List<String> names) {
        return rest.subtaskMetrics(jobId, stateVertex, subtask, names);
    }

    /** The current attempt's state timestamps ({@code CREATED} ... {@code RUNNING}) by subtask. */
    private Map<Integer, JsonNode> subtaskTimestamps(String vertex) {
        Map<Integer, JsonNode> result = new TreeMap<>();
        rest.get("/jobs/" + jobId + "/vertices/" + vertex + "/subtasktimes")
                .ifPresent(
                        json -> {
                            for (JsonNode subtask : json.path("subtasks")) {
                                result.put(
                                        subtask.path("subtask").asInt(),
                                        subtask.path("timestamps"));
                            }
                        });
        return result;
    }

    /** Each stateful subtask's state size in a completed checkpoint, from its statistics. */
    private Map<Integer, Long> subtaskCheckpointBytes(long checkpointId) {
        Map<Integer, Long> result = new TreeMap<>();
        Optional<JsonNode> json =
                rest.get(
                        "/jobs/"
                                + jobId
                                + "/checkpoints/details/"
                                + checkpointId
                                + "/subtasks/"
                                + stateVertex);
        json.ifPresent(
                j -> {
                    for (JsonNode subtask : j.path("subtasks")) {
                        if (subtask.has("state_size")) {
                            result.put(
                                    subtask.path("index").asInt(),
                                    subtask.path("state_size").asLong());
                        }
                    }
                });
        return result;
    }

    @Override
    public void close() {
        if (!rest.jobStatus(jobId).matches("CANCELED|FAILED|FINISHED|UNKNOWN")) {
            try {
                client.cancel().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                // the cluster is stopped next anyway
            }
        }
    }
}
