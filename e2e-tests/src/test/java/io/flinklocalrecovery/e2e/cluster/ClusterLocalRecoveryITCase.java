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

import io.flinklocalrecovery.core.metrics.FallbackReason;
import io.flinklocalrecovery.core.metrics.LocalRecoveryMetrics;
import io.flinklocalrecovery.e2e.cluster.ClusterJobRun.Restore;
import io.flinklocalrecovery.e2e.cluster.ClusterJobRun.SubtaskId;
import io.flinklocalrecovery.testutils.cluster.FlinkRestApi.Subtask;
import io.flinklocalrecovery.testutils.cluster.StandaloneFlinkCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The plugin dropped into the {@code lib/} folder of a real standalone session cluster (separate
 * JobManager and TaskManager processes), with failures a production cluster sees: a task failure, a
 * TaskManager killed with {@code kill -9} or stopped and restarted with the same identity, and a
 * TaskManager lost for good with a spare one present (with each TaskManager's copies in its own
 * working directory; {@link HostLevelStoreITCase} shares one directory per host). Each run checks
 * the job's exact output and, through the REST API, where every stateful subtask restored from.
 */
class ClusterLocalRecoveryITCase {

    /** The plugin's two backends, configured only through the cluster's config.yaml. */
    enum Backend {
        HEAP("io.flinklocalrecovery.fs.LocalRecoveryHashMapStateBackendFactory", "false"),
        ROCKSDB_INCREMENTAL(
                "io.flinklocalrecovery.rocksdb.LocalRecoveryRocksDBStateBackendFactory", "true");

        final String factory;
        final String incremental;

        Backend(String factory, String incremental) {
            this.factory = factory;
            this.incremental = incremental;
        }
    }

    private static final long RECORDS = Long.getLong("e2e.records", 40_000);
    private static final int KEYS = Integer.getInteger("e2e.keys", 32);
    private static final double RATE =
            Double.parseDouble(System.getProperty("e2e.recordsPerSecond", "200"));

    private StandaloneFlinkCluster cluster;

    @AfterEach
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void restoresEverySubtaskLocallyAfterTaskFailure(Backend backend, TestInfo test)
            throws Exception {
        cluster = startCluster(backend, test, "tm-1", "tm-2");
        try (ClusterJobRun run = new ClusterJobRun(cluster, RECORDS, KEYS, RATE)) {
            run.awaitCompletedCheckpoints(2);
            Map<SubtaskId, Subtask> before = run.placement();
            run.failOneTask();
            Map<SubtaskId, Subtask> after = run.awaitRestarted(before);
            assertThat(run.failureConsumed()).isTrue();

            Map<SubtaskId, Restore> restores = run.restoreMetrics();
            assertThat(restores.keySet()).hasSize(2 * 4);
            for (Restore restore : restores.values()) {
                assertThat(restore.taskManager())
                        .as("%s stays on its TaskManager", restore)
                        .isEqualTo(before.get(restore.subtask()).taskManager());
                assertRestoredLocally(restore);
            }
            assertThat(after.keySet()).isEqualTo(before.keySet());
            assertThat(run.releaseAndCollect()).isEqualTo(run.expectedOutput());
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void restoresBothSlotsLocallyAfterTaskManagerIsKilledAndRestarted(
            Backend backend, TestInfo test) throws Exception {
        restoresBothSlotsLocallyAfterTaskManagerRestart(backend, test, () -> cluster.kill("tm-1"));
    }

    /**
     * SIGTERM, the way Kubernetes, systemd and every rolling restart stop a process: the
     * TaskManager's shutdown releases the job's class loader, and the local copies must survive
     * that.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void restoresBothSlotsLocallyAfterTaskManagerIsStoppedGracefullyAndRestarted(
            Backend backend, TestInfo test) throws Exception {
        restoresBothSlotsLocallyAfterTaskManagerRestart(
                backend, test, () -> cluster.stopGracefully("tm-1", Duration.ofMinutes(1)));
    }

    /** A process step of a test. */
    @FunctionalInterface
    private interface ProcessStep {
        void run() throws Exception;
    }

    private void restoresBothSlotsLocallyAfterTaskManagerRestart(
            Backend backend, TestInfo test, ProcessStep stopTaskManager) throws Exception {
        // Only checkpoints triggered by the test (the periodic ones a day apart), so that none
        // completes between the check that tm-1 has committed its local copies of the newest one
        // and the stop: a stop in between would (correctly) cost those subtasks their local
        // copies of the checkpoint restored.
        Map<String, String> config = new java.util.HashMap<>(pluginConfig(backend));
        config.put("execution.checkpointing.interval", "1 d");
        cluster = startCluster(config, test, "tm-1", "tm-2");
        try (ClusterJobRun run = new ClusterJobRun(cluster, RECORDS, KEYS, RATE)) {
            run.checkpointNow();
            run.checkpointNow();
            Map<SubtaskId, Subtask> before = run.placement();
            Set<SubtaskId> onStopped = subtasksOn(before, "tm-1");
            assertThat(onStopped)
                    .as("tm-1 runs a subtask of each stateful vertex in each of its two slots")
                    .hasSize(2 * ClusterJobRun.STATEFUL_VERTICES.size());

            run.awaitLocalCopiesOfLatestCheckpoint("tm-1");
            stopTaskManager.run();
            // a registration of the new process before the JobManager noticed the loss would be
            // closed by the stale heartbeat
            cluster.waitUntil(
                    () -> !cluster.rest().taskManagers().containsKey("tm-1"),
                    Duration.ofMinutes(1),
                    "the JobManager to notice the loss of tm-1");
            cluster.startTaskManager("tm-1");
            cluster.waitForTaskManagers("tm-1");

            run.awaitRestarted(before);
            Map<SubtaskId, Restore> restores = run.restoreMetrics();
            for (SubtaskId subtask : onStopped) {
                Restore restore = restores.get(subtask);
                assertThat(restore.taskManager())
                        .as("%s is scheduled back onto the restarted tm-1", restore)
                        .isEqualTo("tm-1");
                assertRestoredLocally(restore);
            }
            for (Restore restore : restores.values()) {
                assertRestoredLocally(restore);
            }
            assertThat(run.releaseAndCollect()).isEqualTo(run.expectedOutput());
        }
    }

    /**
     * Without a local-recovery directory shared by the TaskManagers of the host (the default: a
     * directory inside each TaskManager's working directory), the copies of a lost TaskManager are
     * lost with it, as they are with a lost machine: its subtasks, moved elsewhere, restore from
     * the checkpoint storage, and nothing else is lost. With a shared directory they restore
     * locally ({@link HostLevelStoreITCase}). The outcome does not depend on the backend: run on
     * one.
     */
    @ParameterizedTest
    @EnumSource(value = Backend.class, names = "HEAP")
    void restoresMovedSubtasksFromPrimaryWhenTaskManagerIsLost(Backend backend, TestInfo test)
            throws Exception {
        cluster = startCluster(backend, test, "tm-1", "tm-2", "tm-3");
        try (ClusterJobRun run = new ClusterJobRun(cluster, RECORDS, KEYS, RATE)) {
            run.awaitCompletedCheckpoints(2);
            Map<SubtaskId, Subtask> before = run.placement();
            // the TaskManager with the most stateful subtasks; the spare slots are elsewhere
            String victim = busiestTaskManager(before);
            Set<SubtaskId> moved = subtasksOn(before, victim);
            assertThat(moved).isNotEmpty();

            cluster.kill(victim);
            run.awaitRestarted(before);
            Map<SubtaskId, Restore> restores = run.restoreMetrics();
            for (Restore restore : restores.values()) {
                if (moved.contains(restore.subtask())) {
                    assertThat(restore.taskManager()).as(restore.toString()).isNotEqualTo(victim);
                    assertThat(restore.get(LocalRecoveryMetrics.RESTORES_REMOTE))
                            .as(restore.toString())
                            .isPositive();
                    assertThat(restore.get(LocalRecoveryMetrics.RESTORES_LOCAL))
                            .as(restore.toString())
                            .isZero();
                    assertThat(restore.get(LocalRecoveryMetrics.RESTORES_MIXED))
                            .as(restore.toString())
                            .isZero();
                    assertThat(restore.get(LocalRecoveryMetrics.RESTORED_BYTES_LOCAL))
                            .as(restore.toString())
                            .isZero();
                    assertThat(restore.get(LocalRecoveryMetrics.RESTORED_BYTES_REMOTE))
                            .as(restore.toString())
                            .isPositive();
                    assertThat(
                                    restore.get(
                                            LocalRecoveryMetrics.nameOf(
                                                    FallbackReason.NO_LOCAL_COPY)))
                            .as(restore.toString())
                            .isPositive();
                } else {
                    assertThat(restore.taskManager())
                            .as("%s stays on its TaskManager", restore)
                            .isEqualTo(before.get(restore.subtask()).taskManager());
                    assertRestoredLocally(restore);
                }
            }
            assertThat(run.releaseAndCollect()).isEqualTo(run.expectedOutput());
        }
    }

    /** Asserts a subtask's restore used local copies only: no remote byte, no fallback. */
    static void assertRestoredLocally(Restore restore) {
        assertThat(restore.get(LocalRecoveryMetrics.RESTORES_LOCAL))
                .as(restore.toString())
                .isPositive();
        assertThat(restore.get(LocalRecoveryMetrics.RESTORES_MIXED))
                .as(restore.toString())
                .isZero();
        assertThat(restore.get(LocalRecoveryMetrics.RESTORES_REMOTE))
                .as(restore.toString())
                .isZero();
        assertThat(restore.get(LocalRecoveryMetrics.FALLBACKS)).as(restore.toString()).isZero();
        assertThat(restore.get(LocalRecoveryMetrics.RESTORED_BYTES_LOCAL))
                .as(restore.toString())
                .isPositive();
        assertThat(restore.get(LocalRecoveryMetrics.RESTORED_BYTES_REMOTE))
                .as(restore.toString())
                .isZero();
    }

    /** The TaskManager that runs the most stateful subtasks. */
    static String busiestTaskManager(Map<SubtaskId, Subtask> placement) {
        return placement.values().stream()
                .collect(Collectors.groupingBy(Subtask::taskManager, Collectors.counting()))
                .entrySet()
                .stream()
                .max(Map.Entry.comparingByValue())
                .orElseThrow()
                .getKey();
    }

    static Set<SubtaskId> subtasksOn(Map<SubtaskId, Subtask> placement, String tm) {
        return placement.entrySet().stream()
                .filter(e -> e.getValue().taskManager().equals(tm))
                .map(Map.Entry::getKey)
                .collect(Collectors.toSet());
    }

    /** The documented setup of the plugin, in config.yaml, on a cluster of the given TMs. */
    static Map<String, String> pluginConfig(Backend backend) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("state.backend.type", backend.factory);
        config.put("state.backend.local-recovery", "ENABLE_FILE_BASED");
        config.put("execution.state-recovery.from-local", "true");
        config.put("execution.checkpointing.local-backup.enabled", "false");
        config.put("execution.checkpointing.incremental", backend.incremental);
        config.put("parallelism.default", "4");
        return config;
    }

    static Path workDir(TestInfo test) {
        String name =
                test.getTestClass().map(Class::getSimpleName).orElse("test")
                        + "-"
                        + test.getTestMethod().map(m -> m.getName()).orElse("run")
                        + "-"
                        + test.getDisplayName().replaceAll("[^A-Za-z0-9_-]", "");
        return Paths.get(System.getProperty("e2e.workDir", "target/cluster-e2e")).resolve(name);
    }

    private static StandaloneFlinkCluster startCluster(
            Backend backend, TestInfo test, String... taskManagers) throws Exception {
        return startCluster(pluginConfig(backend), test, taskManagers);
    }

    private static StandaloneFlinkCluster startCluster(
            Map<String, String> config, TestInfo test, String... taskManagers) throws Exception {
        StandaloneFlinkCluster cluster = StandaloneFlinkCluster.create(workDir(test), config);
        try {
            cluster.startJobManager();
            for (String tm : taskManagers) {
                cluster.startTaskManager(tm);
            }
            cluster.waitForTaskManagers(taskManagers);
            return cluster;
        } catch (Throwable t) {
            cluster.close();
            throw t;
        }
    }
}
