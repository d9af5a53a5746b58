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

import io.flinklocalrecovery.core.metrics.LocalRecoveryMetrics;
import io.flinklocalrecovery.e2e.cluster.ClusterJobRun.Restore;
import io.flinklocalrecovery.e2e.cluster.ClusterJobRun.SubtaskId;
import io.flinklocalrecovery.e2e.cluster.ClusterLocalRecoveryITCase.Backend;
import io.flinklocalrecovery.testutils.cluster.FlinkRestApi.Subtask;
import io.flinklocalrecovery.testutils.cluster.StandaloneFlinkCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import static io.flinklocalrecovery.e2e.cluster.ClusterLocalRecoveryITCase.assertRestoredLocally;
import static io.flinklocalrecovery.e2e.cluster.ClusterLocalRecoveryITCase.busiestTaskManager;
import static io.flinklocalrecovery.e2e.cluster.ClusterLocalRecoveryITCase.subtasksOn;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The host-level store on real standalone clusters: every TaskManager of the "host" keeps its root
 * in one shared {@code state.backend.local-recovery.dirs}, so the copies of a TaskManager that is
 * gone are adopted, or borrowed from the live TaskManager that adopted them, by whichever
 * TaskManager runs its subtasks next. Each run checks the job's exact output and, through the REST
 * API, that every stateful subtask restored locally, and the moved ones from another TaskManager's
 * copies (the plugin's adopted and borrowed counters).
 *
 * <p>Checkpoints are triggered by the tests (the periodic ones a day apart), so that none completes
 * between the check that a TaskManager has committed its local copies of the newest one and its
 * loss: a loss in between would (correctly) cost its subtasks their local copies.
 */
class HostLevelStoreITCase {

    private static final long RECORDS = Long.getLong("e2e.records", 40_000);
    private static final int KEYS = Integer.getInteger("e2e.keys", 32);
    private static final double RATE =
            Double.parseDouble(System.getProperty("e2e.recordsPerSecond", "200"));

    private static final int STATEFUL_SUBTASKS_PER_TASK_MANAGER =
            2 * ClusterJobRun.STATEFUL_VERTICES.size();

    private final List<StandaloneFlinkCluster> clusters = new ArrayList<>();

    @AfterEach
    void stopClusters() {
        clusters.forEach(StandaloneFlinkCluster::close);
    }

    /**
     * Scenario 1: a TaskManager killed with {@code kill -9} and replaced by a new one with another
     * resource id and working directory, as a new pod of a native Kubernetes deployment or a new
     * YARN container is.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void aNewTaskManagerThatReplacesAKilledOneRestoresItsSubtasksLocally(
            Backend backend, TestInfo test) throws Exception {
        StandaloneFlinkCluster cluster =
                startCluster(
                        test, "cluster", hostLevelConfig(backend, test, "e2e"), "tm-1", "tm-2");
        try (ClusterJobRun run = new ClusterJobRun(cluster, RECORDS, KEYS, RATE)) {
            run.checkpointNow();
            run.checkpointNow();
            Map<SubtaskId, Subtask> before = run.placement();
            Set<SubtaskId> moved = subtasksOn(before, "tm-1");
            assertThat(moved)
                    .as("tm-1 runs a subtask of each stateful vertex in each of its two slots")
                    .hasSize(STATEFUL_SUBTASKS_PER_TASK_MANAGER);
            run.awaitLocalCopiesOfLatestCheckpoint("tm-1");

            cluster.kill("tm-1");
            cluster.startTaskManager("tm-new");
            cluster.waitForTaskManagers("tm-new");

            run.awaitRestarted(before);
            Map<SubtaskId, Restore> restores = run.restoreMetrics();
            for (SubtaskId subtask : moved) {
                Restore restore = restores.get(subtask);
                assertThat(restore.taskManager())
                        .as("%s runs on the newcomer (tm-2's slots are taken)", restore)
                        .isEqualTo("tm-new");
                assertRestoredFromAnotherTaskManagersCopies(restore);
            }
            restores.values().forEach(ClusterLocalRecoveryITCase::assertRestoredLocally);
            assertThat(cluster.localRoot("tm-1"))
                    .as("the root of the killed TaskManager, adopted")
                    .doesNotExist();
            assertThat(run.releaseAndCollect()).isEqualTo(run.expectedOutput());
        }
    }

    /**
     * Scenario 2: one of three TaskManagers is lost for good; its subtasks move to the spare slots
     * of the two others.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void subtasksMovedToTheSurvivorsOfALostTaskManagerRestoreLocally(Backend backend, TestInfo test)
            throws Exception {
        StandaloneFlinkCluster cluster =
                startCluster(
                        test,
                        "cluster",
                        hostLevelConfig(backend, test, "e2e"),
                        "tm-1",
                        "tm-2",
                        "tm-3");
        try (ClusterJobRun run = new ClusterJobRun(cluster, RECORDS, KEYS, RATE)) {
            run.checkpointNow();
            run.checkpointNow();
            Map<SubtaskId, Subtask> before = run.placement();
            // the TaskManager with the most stateful subtasks; the spare slots are elsewhere
            String victim = busiestTaskManager(before);
            Set<SubtaskId> moved = subtasksOn(before, victim);
            assertThat(moved).isNotEmpty();
            run.awaitLocalCopiesOfLatestCheckpoint(victim);

            cluster.kill(victim);
            run.awaitRestarted(before);
            Map<SubtaskId, Restore> restores = run.restoreMetrics();
            for (Restore restore : restores.values()) {
                if (moved.contains(restore.subtask())) {
                    assertThat(restore.taskManager()).as(restore.toString()).isNotEqualTo(victim);
                    assertRestoredFromAnotherTaskManagersCopies(restore);
                } else {
                    assertThat(restore.taskManager())
                            .as("%s stays on its TaskManager", restore)
                            .isEqualTo(before.get(restore.subtask()).taskManager());
                }
                assertRestoredLocally(restore);
            }
            assertThat(cluster.localRoot(victim))
                    .as("the root of the lost TaskManager, adopted")
                    .doesNotExist();
            assertThat(run.releaseAndCollect()).isEqualTo(run.expectedOutput());
        }
    }

    /**
     * Scenario 3: the job is cancelled with its newest checkpoint retained and submitted again from
     * it as a new job (a redeploy): the copies of the cancelled job, kept for the released-copies
     * lifetime, serve the new job, on whichever TaskManager each of its subtasks lands.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void aJobResubmittedFromItsRetainedCheckpointRestoresLocally(Backend backend, TestInfo test)
            throws Exception {
        Map<String, String> config = hostLevelConfig(backend, test, "e2e");
        config.put(
                "execution.checkpointing.externalized-checkpoint-retention",
                "RETAIN_ON_CANCELLATION");
        StandaloneFlinkCluster cluster = startCluster(test, "cluster", config, "tm-1", "tm-2");
        String firstJob;
        String retained;
        try (ClusterJobRun first = new ClusterJobRun(cluster, RECORDS, KEYS, RATE)) {
            firstJob = first.jobId;
            first.checkpointNow();
            first.checkpointNow();
            first.awaitLocalCopiesOfLatestCheckpoint("tm-1");
            first.awaitLocalCopiesOfLatestCheckpoint("tm-2");
            retained = first.cancelKeepingLatestCheckpoint();
        }

        try (ClusterJobRun second =
                new ClusterJobRun(
                        cluster,
                        RECORDS,
                        KEYS,
                        RATE,
                        Map.of("execution.state-recovery.path", retained))) {
            assertThat(second.jobId).isNotEqualTo(firstJob);
            Map<SubtaskId, Restore> restores = second.restoreMetrics();
            assertThat(restores).hasSize(2 * STATEFUL_SUBTASKS_PER_TASK_MANAGER);
            restores.values().forEach(ClusterLocalRecoveryITCase::assertRestoredLocally);
            assertThat(second.releaseAndCollect()).isEqualTo(second.expectedOutput());
        }
    }

    /**
     * Scenario 4: two clusters (cluster ids) share one host directory. Cluster b loses its only
     * TaskManager, leaving a dead root beside cluster a's roots; then cluster a loses one and gets
     * a newcomer. Cluster a adopts its own dead root and restores locally, and leaves cluster b's
     * root exactly as it was: not adopted (moved), deleted, written or linked.
     */
    @Test
    void twoClustersSharingOneDirectoryNeverTouchEachOthersRoots(TestInfo test) throws Exception {
        Map<String, String> configB = hostLevelConfig(Backend.HEAP, test, "cluster-b");
        configB.put("parallelism.default", "2");
        StandaloneFlinkCluster clusterB = startCluster(test, "cluster-b", configB, "tm-b1");
        StandaloneFlinkCluster clusterA =
                startCluster(
                        test,
                        "cluster-a",
                        hostLevelConfig(Backend.HEAP, test, "cluster-a"),
                        "tm-a1",
                        "tm-a2");
        try (ClusterJobRun runB = new ClusterJobRun(clusterB, RECORDS, KEYS, RATE);
                ClusterJobRun runA = new ClusterJobRun(clusterA, RECORDS, KEYS, RATE)) {
            runB.checkpointNow();
            runB.awaitLocalCopiesOfLatestCheckpoint("tm-b1");
            clusterB.kill("tm-b1");
            Path rootOfB = clusterB.localRoot("tm-b1");
            Map<String, String> filesOfB = filesIn(rootOfB);
            assertThat(filesOfB).as("the local copies of cluster b").isNotEmpty();

            runA.checkpointNow();
            runA.checkpointNow();
            Map<SubtaskId, Subtask> before = runA.placement();
            Set<SubtaskId> moved = subtasksOn(before, "tm-a1");
            runA.awaitLocalCopiesOfLatestCheckpoint("tm-a1");
            clusterA.kill("tm-a1");
            clusterA.startTaskManager("tm-a3");
            clusterA.waitForTaskManagers("tm-a3");

            runA.awaitRestarted(before);
            Map<SubtaskId, Restore> restores = runA.restoreMetrics();
            for (SubtaskId subtask : moved) {
                assertRestoredFromAnotherTaskManagersCopies(restores.get(subtask));
            }
            restores.values().forEach(ClusterLocalRecoveryITCase::assertRestoredLocally);
            assertThat(clusterA.localRoot("tm-a1"))
                    .as("cluster a's dead root, adopted by cluster a")
                    .doesNotExist();
            assertThat(filesIn(rootOfB))
                    .as("cluster b's dead root after cluster a adopted and restored")
                    .isEqualTo(filesOfB);
            assertThat(runA.releaseAndCollect()).isEqualTo(runA.expectedOutput());
            assertThat(filesIn(rootOfB))
                    .as("cluster b's dead root after cluster a's job finished")
                    .isEqualTo(filesOfB);
        }
    }

    /** Asserts that a subtask's restore read copies another TaskManager wrote. */
    private static void assertRestoredFromAnotherTaskManagersCopies(Restore restore) {
        assertThat(
                        restore.get(LocalRecoveryMetrics.RESTORED_HANDLES_ADOPTED)
                                + restore.get(LocalRecoveryMetrics.RESTORED_HANDLES_BORROWED))
                .as("handles restored from adopted or borrowed copies: %s", restore)
                .isPositive();
    }

    /**
     * The plugin's documented setup with one local-recovery directory for every TaskManager of the
     * "host" (outside every cluster's home, as a host path is), for the given cluster id, and
     * checkpoints triggered by the test only.
     */
    private static Map<String, String> hostLevelConfig(
            Backend backend, TestInfo test, String clusterId) {
        Map<String, String> config = ClusterLocalRecoveryITCase.pluginConfig(backend);
        config.put("state.backend.local-recovery.dirs", hostDirectory(test).toString());
        config.put("state.backend.local-recovery.cluster-id", clusterId);
        config.put("execution.checkpointing.interval", "1 d");
        return config;
    }

    private static Path hostDirectory(TestInfo test) {
        return ClusterLocalRecoveryITCase.workDir(test)
                .resolve("host-local-recovery")
                .toAbsolutePath();
    }

    private StandaloneFlinkCluster startCluster(
            TestInfo test, String name, Map<String, String> config, String... taskManagers)
            throws Exception {
        if (clusters.isEmpty()) {
            // left over from an earlier run of the test
            StandaloneFlinkCluster.deleteRecursively(hostDirectory(test));
        }
        StandaloneFlinkCluster cluster =
                StandaloneFlinkCluster.create(
                        ClusterLocalRecoveryITCase.workDir(test).resolve(name), config);
        clusters.add(cluster);
        cluster.startJobManager();
        for (String tm : taskManagers) {
            cluster.startTaskManager(tm);
        }
        cluster.waitForTaskManagers(taskManagers);
        return cluster;
    }

    /** Every file under a directory with its size, modification time and number of links. */
    private static Map<String, String> filesIn(Path root) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path file : (Iterable<Path>) all::iterator) {
                if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    files.put(
                            root.relativize(file).toString(),
                            Files.size(file)
                                    + " bytes, modified "
                                    + Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS)
                                    + ", links "
                                    + Files.getAttribute(
                                            file, "unix:nlink", LinkOption.NOFOLLOW_LINKS));
                }
            }
        }
        return files;
    }
}
