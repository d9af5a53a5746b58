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

import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;

import io.flinklocalrecovery.core.metrics.LocalRecoveryMetrics;
import io.flinklocalrecovery.e2e.cluster.ClusterJobRun.Restore;
import io.flinklocalrecovery.e2e.cluster.ClusterJobRun.SubtaskId;
import io.flinklocalrecovery.e2e.cluster.ClusterLocalRecoveryITCase.Backend;
import io.flinklocalrecovery.testutils.cluster.StandaloneFlinkCluster;
import io.flinklocalrecovery.testutils.job.ClusterTestJob;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * In-place rescaling on a real standalone cluster under the adaptive scheduler ({@code
 * jobmanager.scheduler: adaptive}), the way the Flink Kubernetes operator's autoscaler rescales:
 * the job's resource requirements are changed through the REST API ({@code PUT
 * /jobs/<id>/resource-requirements}), and the scheduler restarts the job with the new parallelism
 * from its newest checkpoint, on the same TaskManager. Every restore of the rescaled job, keyed
 * state (several old handles per new subtask when scaling in, a wider old handle when scaling out)
 * and the source's operator state, must come from the plugin's local copies only; the output must
 * be exact.
 *
 * <p>Each run rescales once: the REST API shows a subtask's metrics of its newest attempt that has
 * reported, so a second rescale would read the first one's restores until the new attempts report.
 * With one rescale, every subtask that exists after it had restored nothing before it.
 */
class ClusterRescaleITCase {

    private static final long RECORDS = Long.getLong("e2e.records", 40_000);
    private static final int KEYS = Integer.getInteger("e2e.keys", 32);
    private static final double RATE =
            Double.parseDouble(System.getProperty("e2e.recordsPerSecond", "200"));

    /** One TaskManager with a slot for each subtask of the largest parallelism. */
    private static final int SLOTS = 4;

    private StandaloneFlinkCluster cluster;

    @AfterEach
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    static Stream<Arguments> rescales() {
        return Stream.of(Backend.values())
                .flatMap(
                        backend ->
                                Stream.of(
                                        // scale-in: each new subtask merges two old handles
                                        Arguments.of(backend, 4, 2),
                                        // uneven scale-out: a new subtask's range is part of
                                        // one wider old handle, and one source subtask gets no
                                        // split
                                        Arguments.of(backend, 2, 3)));
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @MethodSource("rescales")
    void restoresEverySubtaskLocallyAfterInPlaceRescale(
            Backend backend, int from, int to, TestInfo test) throws Exception {
        Map<String, String> config =
                new HashMap<>(ClusterLocalRecoveryITCase.pluginConfig(backend));
        config.put("jobmanager.scheduler", "adaptive");
        config.put("jobmanager.adaptive-scheduler.executing.cooldown-after-rescaling", "0 ms");
        config.put(
                "jobmanager.adaptive-scheduler.executing.resource-stabilization-timeout", "0 ms");
        config.put("taskmanager.numberOfTaskSlots", String.valueOf(SLOTS));
        config.put("parallelism.default", String.valueOf(from));
        // only checkpoints triggered by the test: none may complete between the check that the
        // local copies of the newest one are committed and the rescale, which restores from it
        config.put("execution.checkpointing.interval", "1 d");
        cluster = StandaloneFlinkCluster.create(ClusterLocalRecoveryITCase.workDir(test), config);
        cluster.startJobManager();
        cluster.startTaskManager("tm-1");
        cluster.waitForTaskManagers("tm-1");

        try (ClusterJobRun run = new ClusterJobRun(cluster, RECORDS, KEYS, RATE)) {
            run.checkpointNow();
            run.checkpointNow();
            assertThat(run.placement()).hasSize(ClusterJobRun.STATEFUL_VERTICES.size() * from);
            run.awaitLocalCopiesOfLatestCheckpoint("tm-1");

            run.rescale(to);
            // the source's state is one split per old subtask: after a scale-out, the new
            // subtasks beyond the old parallelism get none
            int sourcesWithState = Math.min(from, to);
            Map<SubtaskId, Restore> restores =
                    run.restoreMetrics(
                            now ->
                                    restoredSubtasks(now, keyedVertex()) == to
                                            && restoredSubtasks(now, sourceVertex())
                                                    >= sourcesWithState);

            assertThat(restores).hasSize(ClusterJobRun.STATEFUL_VERTICES.size() * to);
            assertThat(restoredSubtasks(restores, sourceVertex())).isEqualTo(sourcesWithState);
            for (Restore restore : restores.values()) {
                if (restore.restores() == 0) {
                    assertThat(restore.subtask().vertex())
                            .as("%s: only a source subtask may start without state", restore)
                            .isEqualTo(sourceVertex());
                    continue;
                }
                assertThat(restore.taskManager()).as(restore.toString()).isEqualTo("tm-1");
                ClusterLocalRecoveryITCase.assertRestoredLocally(restore);
            }
            // the rescale restores: those whose handles show it (see KeyedRescale)
            int maxParallelism = KeyGroupRangeAssignment.computeDefaultMaxParallelism(from);
            for (Restore restore : restores.values()) {
                boolean keyed = restore.subtask().vertex().equals(keyedVertex());
                boolean rescale =
                        keyed
                                && (backend == Backend.ROCKSDB_INCREMENTAL
                                        || oldSubtasksOverlapping(
                                                        maxParallelism,
                                                        from,
                                                        to,
                                                        restore.subtask().index())
                                                > 1);
                assertThat(restore.get(LocalRecoveryMetrics.RESCALE_RESTORES))
                        .as(restore.toString())
                        .isEqualTo(rescale ? 1 : 0);
                assertThat(restore.get(LocalRecoveryMetrics.RESCALE_RESTORED_BYTES_LOCAL))
                        .as(restore.toString())
                        .isEqualTo(
                                rescale
                                        ? restore.get(LocalRecoveryMetrics.RESTORED_BYTES_LOCAL)
                                        : 0);
                assertThat(restore.get(LocalRecoveryMetrics.RESCALE_RESTORED_BYTES_REMOTE))
                        .as(restore.toString())
                        .isZero();
            }
            assertThat(run.releaseAndCollect()).isEqualTo(run.expectedOutput());
        }
    }

    /**
     * How many subtasks of the old parallelism held key groups of the new subtask: Flink gives it
     * one handle per such subtask. The heap backend's handles (key-group offsets into one stream)
     * are cut to the new subtask's range, so one handle after a scale-out looks like an unchanged
     * restore; RocksDB's incremental handles keep their range.
     */
    private static int oldSubtasksOverlapping(int maxParallelism, int from, int to, int index) {
        KeyGroupRange range =
                KeyGroupRangeAssignment.computeKeyGroupRangeForOperatorIndex(
                        maxParallelism, to, index);
        int overlapping = 0;
        for (int old = 0; old < from; old++) {
            KeyGroupRange oldRange =
                    KeyGroupRangeAssignment.computeKeyGroupRangeForOperatorIndex(
                            maxParallelism, from, old);
            if (oldRange.getIntersection(range).getNumberOfKeyGroups() > 0) {
                overlapping++;
            }
        }
        return overlapping;
    }

    private static long restoredSubtasks(Map<SubtaskId, Restore> restores, String vertex) {
        return restores.values().stream()
                .filter(r -> r.subtask().vertex().equals(vertex) && r.restores() > 0)
                .count();
    }

    private static String keyedVertex() {
        return ClusterTestJob.KEYED_OPERATOR;
    }

    private static String sourceVertex() {
        return ClusterJobRun.STATEFUL_VERTICES.get(0);
    }
}
