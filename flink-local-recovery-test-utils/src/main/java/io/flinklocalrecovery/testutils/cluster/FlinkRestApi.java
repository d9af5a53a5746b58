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
package io.flinklocalrecovery.testutils.cluster;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The few REST calls of Flink's monitoring API the tests need, on a loopback cluster. */
public final class FlinkRestApi {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String base;

    public FlinkRestApi(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    /** The response body as JSON, or empty when the server is not up or answers with an error. */
    public Optional<JsonNode> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    /** POSTs a JSON body; the response body as JSON, or empty on an error or no answer. */
    public Optional<JsonNode> post(String path, String body) {
        return send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** PUTs a JSON body; the response body as JSON, or empty on an error or no answer. */
    public Optional<JsonNode> put(String path, String body) {
        return send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    private Optional<JsonNode> send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response =
                    http.send(
                            request.timeout(Duration.ofSeconds(5)).build(),
                            HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                return Optional.empty();
            }
            return Optional.of(JSON.readTree(response.body()));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Triggers a checkpoint of the job; the trigger's request id, or empty if refused. */
    public Optional<String> triggerCheckpoint(String jobId) {
        return post("/jobs/" + jobId + "/checkpoints", "{}")
                .map(json -> json.path("request-id").asText(null));
    }

    /**
     * The outcome of a triggered checkpoint: its id once completed, -1 while in progress; throws
     * when it failed.
     */
    public long triggeredCheckpoint(String jobId, String requestId) {
        Optional<JsonNode> json = get("/jobs/" + jobId + "/checkpoints/" + requestId);
        if (json.isEmpty() || !json.get().path("status").path("id").asText().equals("COMPLETED")) {
            return -1;
        }
        JsonNode operation = json.get().path("operation");
        if (!operation.path("checkpointId").canConvertToLong()) {
            throw new IllegalStateException(
                    "checkpoint "
                            + requestId
                            + " failed: "
                            + operation.path("failureCause").path("serialized-throwable"));
        }
        return operation.path("checkpointId").asLong();
    }

    public boolean isUp() {
        return get("/overview").isPresent();
    }

    /** Resource ids of the registered TaskManagers, with their free slots. */
    public Map<String, Integer> taskManagers() {
        Map<String, Integer> result = new HashMap<>();
        get("/taskmanagers")
                .ifPresent(
                        json -> {
                            for (JsonNode tm : json.path("taskmanagers")) {
                                result.put(tm.path("id").asText(), tm.path("freeSlots").asInt());
                            }
                        });
        return result;
    }

    public String jobStatus(String jobId) {
        return get("/jobs/" + jobId).map(j -> j.path("state").asText()).orElse("UNKNOWN");
    }

    public long completedCheckpoints(String jobId) {
        return get("/jobs/" + jobId + "/checkpoints")
                .map(j -> j.path("counts").path("completed").asLong())
                .orElse(0L);
    }

    /** The id of the newest completed checkpoint, or -1. */
    public long latestCompletedCheckpointId(String jobId) {
        return get("/jobs/" + jobId + "/checkpoints")
                .map(j -> j.path("latest").path("completed").path("id").asLong(-1))
                .orElse(-1L);
    }

    /**
     * Where the newest completed checkpoint lies (its {@code _metadata}'s directory), the path a
     * job is resubmitted from; empty while there is none.
     */
    public Optional<String> latestCompletedCheckpointPath(String jobId) {
        return get("/jobs/" + jobId + "/checkpoints")
                .map(j -> j.path("latest").path("completed").path("external_path").asText(""))
                .filter(path -> !path.isEmpty());
    }

    /** Vertex name to vertex id. */
    public Map<String, String> vertices(String jobId) {
        Map<String, String> result = new HashMap<>();
        get("/jobs/" + jobId)
                .ifPresent(
                        json -> {
                            for (JsonNode vertex : json.path("vertices")) {
                                result.put(
                                        vertex.path("name").asText(), vertex.path("id").asText());
                            }
                        });
        return result;
    }

    /**
     * The upper bound of each vertex's parallelism in the job's resource requirements (vertex id to
     * parallelism), as the adaptive scheduler reads them; empty if the job has none.
     */
    public Map<String, Integer> parallelismUpperBounds(String jobId) {
        Map<String, Integer> result = new HashMap<>();
        get("/jobs/" + jobId + "/resource-requirements")
                .ifPresent(
                        json ->
                                json.fields()
                                        .forEachRemaining(
                                                vertex ->
                                                        result.put(
                                                                vertex.getKey(),
                                                                vertex.getValue()
                                                                        .path("parallelism")
                                                                        .path("upperBound")
                                                                        .asInt())));
        return result;
    }

    /**
     * Sets the job's resource requirements, as the autoscaler does: each vertex runs with exactly
     * the given parallelism (lower bound = upper bound), which the adaptive scheduler applies in
     * place by restarting the job from its newest checkpoint.
     *
     * @throws IllegalStateException if the JobManager refuses the requirements
     */
    public void setParallelism(String jobId, Map<String, Integer> parallelismByVertex) {
        StringBuilder body = new StringBuilder("{");
        parallelismByVertex.forEach(
                (vertex, parallelism) -> {
                    if (body.length() > 1) {
                        body.append(',');
                    }
                    body.append(
                            String.format(
                                    "\"%s\":{\"parallelism\":{\"lowerBound\":%d,\"upperBound\":%d}}",
                                    vertex, parallelism, parallelism));
                });
        body.append('}');
        if (put("/jobs/" + jobId + "/resource-requirements", body.toString()).isEmpty()) {
            throw new IllegalStateException(
                    "the JobManager refused the resource requirements "
                            + body
                            + " of job "
                            + jobId);
        }
    }

    /** One subtask's current attempt: where it runs and in which state. */
    public record Subtask(int index, int attempt, String status, String taskManager) {}

    public List<Subtask> subtasks(String jobId, String vertexId) {
        List<Subtask> result = new ArrayList<>();
        get("/jobs/" + jobId + "/vertices/" + vertexId)
                .ifPresent(
                        json -> {
                            for (JsonNode subtask : json.path("subtasks")) {
                                result.add(
                                        new Subtask(
                                                subtask.path("subtask").asInt(),
                                                subtask.path("attempt").asInt(),
                                                subtask.path("status").asText(),
                                                subtask.path("taskmanager-id").asText()));
                            }
                        });
        return result;
    }

    /** The metrics of a subtask's current attempt; absent metrics are left out. */
    public Map<String, Long> subtaskMetrics(
            String jobId, String vertexId, int subtask, List<String> names) {
        Map<String, Long> result = new HashMap<>();
        get("/jobs/"
                        + jobId
                        + "/vertices/"
                        + vertexId
                        + "/subtasks/"
                        + subtask
                        + "/metrics?get="
                        + String.join(",", names))
                .ifPresent(
                        json -> {
                            for (JsonNode metric : json) {
                                result.put(
                                        metric.path("id").asText(),
                                        Long.parseLong(metric.path("value").asText()));
                            }
                        });
        return result;
    }
}
