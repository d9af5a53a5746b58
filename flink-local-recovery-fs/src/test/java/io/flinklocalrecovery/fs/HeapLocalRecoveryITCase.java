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
package io.flinklocalrecovery.fs;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;

import io.flinklocalrecovery.core.backend.LocalRecoveryRuntime;
import io.flinklocalrecovery.core.config.LocalRecoveryOptions;
import io.flinklocalrecovery.core.metrics.FallbackReason;
import io.flinklocalrecovery.core.metrics.LocalRecoveryMetrics;
import io.flinklocalrecovery.core.metrics.LocalWriteFailure;
import io.flinklocalrecovery.fs.testjob.TestJobConfig;
import io.flinklocalrecovery.testutils.flinkline.FlinkLineJobEnvironment;
import io.flinklocalrecovery.testutils.metrics.LocalRecoveryMetricsReader;
import io.flinklocalrecovery.testutils.metrics.LocalRecoveryMetricsReader.TaskAttempt;
import io.flinklocalrecovery.testutils.minicluster.FailureTrigger;
import io.flinklocalrecovery.testutils.minicluster.LocalDiskFaults;
import io.flinklocalrecovery.testutils.minicluster.LocalRecoveryJobRuns;
import io.flinklocalrecovery.testutils.minicluster.LocalRecoveryJobRuns.Damage;
import io.flinklocalrecovery.testutils.minicluster.LocalRecoveryJobRuns.DamageWhileRestarting;
import io.flinklocalrecovery.testutils.minicluster.LocalRecoveryJobRuns.JobRun;
import io.flinklocalrecovery.testutils.minicluster.LocalRecoveryJobRuns.WhileRunning;
import io.flinklocalrecovery.testutils.minicluster.OperatorStateRecorder;
import io.flinklocalrecovery.testutils.minicluster.SmallFileSystem;
import io.flinklocalrecovery.testutils.minicluster.StatefulTestJob;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.flinklocalrecovery.testutils.minicluster.Waits.status;
import static io.flinklocalrecovery.testutils.minicluster.Waits.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real jobs on a MiniCluster with the heap backend of the plugin: failures are injected after a
 * number of completed checkpoints, the output is compared with the failure-free output, and the
 * restore source is read from the plugin's metrics.
 */
class HeapLocalRecoveryITCase {

    private static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setConfiguration(REPORTER.addToConfiguration(new Configuration()))
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(4)
                            .build());

    private static final long RECORDS = 3_000;
    private static final double RATE = 1_500;

    /** Long enough for the checkpoints the local-disk fault tests wait for, also when busy. */
    private static final long FAULT_RECORDS = 12_000;

    @TempDir Path tmp;

    private Path localDir;
    private MiniCluster miniCluster;

    @BeforeEach
    void setUp(@InjectMiniCluster MiniCluster miniCluster) {
        this.miniCluster = miniCluster;
        localDir = tmp.resolve("local");
        OperatorStateRecorder.reset();
    }

    @AfterEach
    void tearDown() {
        LocalRecoveryRuntime.shutDownAll();
    }

    @Test
    void restoresEverySubtaskFromLocalCopiesAfterTaskFailure() throws Exception {
        FailureTrigger.reset(3);
        JobRun run = runJob(config("ENABLE_FILE_BASED", 1), RECORDS, RATE, null);

        assertThat(run.output).isEqualTo(StatefulTestJob.expectedOutput(RECORDS));
        assertThat(FailureTrigger.hasFailed()).isTrue();
        assertOperatorStateRestoredExactly();

        List<TaskAttempt> restored = restoredAttempts(run.jobId);
        assertThat(restored)
                .extracting(a -> a.taskName + "#" + a.subtask)
                .as("every stateful subtask restored once")
                .containsAll(expectedRestoringSubtasks());
        for (TaskAttempt attempt : restored) {
            assertThat(attempt.get(LocalRecoveryMetrics.RESTORES_LOCAL))
                    .as(attempt.toString())
                    .isPositive();
            assertThat(attempt.get(LocalRecoveryMetrics.RESTORES_REMOTE))
                    .as(attempt.toString())
                    .isZero();
            assertThat(attempt.get(LocalRecoveryMetrics.RESTORES_MIXED))
                    .as(attempt.toString())
                    .isZero();
            assertThat(attempt.get(LocalRecoveryMetrics.FALLBACKS)).as(attempt.toString()).isZero();
            assertThat(attempt.get(LocalRecoveryMetrics.RESTORED_BYTES_LOCAL))
                    .as(attempt.toString())
                    .isPositive();
            assertThat(attempt.get(LocalRecoveryMetrics.RESTORED_BYTES_REMOTE))
                    .as(attempt.toString())
                    .isZero();
        }
        // the release runs asynchronously once the job has left the TaskManager
        waitUntil(() -> localJobDirectories().isEmpty(), "local copies released with the job");
    }

    @ParameterizedTest
    @EnumSource(Damage.class)
    void fallsBackToPrimaryWhenLocalFilesAreDamaged(Damage damage) throws Exception {
        FailureTrigger.reset(3);
        Configuration config = config("ENABLE_FILE_BASED", 1);
        // time to damage the local files while the job waits to restart
        config.set(
                RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(2));
        DamageWhileRestarting damaging = damageWhileRestarting(damage, file -> true);
        JobRun run = runJob(config, RECORDS, RATE, damaging);

        assertThat(run.output).isEqualTo(StatefulTestJob.expectedOutput(RECORDS));
        assertOperatorStateRestoredExactly();
        assertRestoredFrom(damaging.damagedCheckpoint());
        List<TaskAttempt> restored = restoredAttempts(run.jobId);
        assertThat(restored)
                .extracting(a -> a.taskName + "#" + a.subtask)
                .containsAll(expectedRestoringSubtasks());
        for (TaskAttempt attempt : restored) {
            assertThat(attempt.get(LocalRecoveryMetrics.RESTORES_LOCAL))
                    .as(attempt.toString())
                    .isZero();
            assertThat(attempt.get(LocalRecoveryMetrics.RESTORES_REMOTE))
                    .as(attempt.toString())
                    .isPositive();
            assertThat(attempt.get(LocalRecoveryMetrics.nameOf(damage.reason)))
                    .as(attempt.toString())
                    .isPositive();
        }
    }

    @Test
    void restoresMixedWhenOnlySomeLocalFilesAreDamaged() throws Exception {
        FailureTrigger.reset(3);
        Configuration config = config("ENABLE_FILE_BASED", 1);
        config.set(
                RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(2));
        // the operator state of subtask 0 only: union-list state hands it to both subtasks,
        // next to the intact copy of subtask 1
        DamageWhileRestarting damaging =
                damageWhileRestarting(
                        Damage.BIT_FLIPPED,
                        file ->
                                file.getParent()
                                        .getParent()
                                        .getFileName()
                                        .toString()
                                        .endsWith("_st_0_operator"));
        JobRun run = runJob(config, RECORDS, RATE, damaging);

        assertThat(run.output).isEqualTo(StatefulTestJob.expectedOutput(RECORDS));
        assertOperatorStateRestoredExactly();
        assertRestoredFrom(damaging.damagedCheckpoint());
        List<TaskAttempt> restored = restoredAttempts(run.jobId);
        for (int subtask = 0; subtask < 2; subtask++) {
            TaskAttempt operatorState =
                    find(restored, StatefulTestJob.OPERATOR_STATE_OPERATOR, subtask);
            assertThat(operatorState.get(LocalRecoveryMetrics.RESTORES_MIXED))
                    .as(operatorState.toString())
                    .isOne();
            assertThat(operatorState.get(LocalRecoveryMetrics.RESTORED_BYTES_LOCAL))
                    .as(operatorState.toString())
                    .isPositive();
            assertThat(operatorState.get(LocalRecoveryMetrics.RESTORED_BYTES_REMOTE))
                    .as(operatorState.toString())
                    .isPositive();
            assertThat(
                            operatorState.get(
                                    LocalRecoveryMetrics.nameOf(FallbackReason.CHECKSUM_MISMATCH)))
                    .as(operatorState.toString())
                    .isOne();
            TaskAttempt keyed = find(restored, StatefulTestJob.KEYED_OPERATOR, subtask);
            assertThat(keyed.get(LocalRecoveryMetrics.RESTORES_LOCAL))
                    .as(keyed.toString())
                    .isPositive();
            assertThat(keyed.get(LocalRecoveryMetrics.FALLBACKS)).as(keyed.toString()).isZero();
        }
        TaskAttempt source0 = find(restored, "Source: " + StatefulTestJob.SOURCE, 0);
        assertThat(source0.get(LocalRecoveryMetrics.RESTORES_REMOTE))
                .as(source0.toString())
                .isOne();
        TaskAttempt source1 = find(restored, "Source: " + StatefulTestJob.SOURCE, 1);
        assertThat(source1.get(LocalRecoveryMetrics.RESTORES_LOCAL)).as(source1.toString()).isOne();
    }

    /**
     * Damages local files of the checkpoint the restore will use while the job waits to restart
     * (restart delay), before any restore.
     */
    private DamageWhileRestarting damageWhileRestarting(Damage damage, Predicate<Path> which) {
        return LocalRecoveryJobRuns.damageWhileRestarting(
                miniCluster,
                (jobId, checkpointId) ->
                        damageLocalFiles(
                                damage,
                                which.and(
                                        file ->
                                                LocalRecoveryJobRuns.inLocalCheckpoint(
                                                        file, checkpointId))));
    }

    /** Every operator-state restore read the checkpoint whose local copies were damaged. */
    private static void assertRestoredFrom(long damagedCheckpoint) {
        assertThat(damagedCheckpoint).as("a checkpoint was damaged").isPositive();
        assertThat(OperatorStateRecorder.restores())
                .extracting(restore -> restore.checkpointId)
                .as("the checkpoint restored is the one damaged")
                .containsOnly(damagedCheckpoint);
    }

    private static TaskAttempt find(List<TaskAttempt> attempts, String task, int subtask) {
        return attempts.stream()
                .filter(a -> a.taskName.equals(task) && a.subtask == subtask)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no restore of " + task + "#" + subtask));
    }

    @Test
    void checkpointsCompleteAndRestoreIsRemoteWhenLocalDirectoryCannotBeCreated() throws Exception {
        Path blocker = tmp.resolve("not-a-directory");
        Files.writeString(blocker, "a regular file where the local directory should be");
        localDir = blocker.resolve("local");
        FailureTrigger.reset(3);
        JobRun run = runJob(config("ENABLE_FILE_BASED", 1), RECORDS, RATE, null);

        assertThat(run.output).isEqualTo(StatefulTestJob.expectedOutput(RECORDS));
        assertThat(FailureTrigger.completedCheckpoints()).isGreaterThanOrEqualTo(3);
        List<TaskAttempt> all = LocalRecoveryMetricsReader.read(REPORTER, run.jobId);
        assertThat(
                        all.stream()
                                .filter(a -> a.attempt == 0)
                                .mapToLong(
                                        a ->
                                                a.get(
                                                        LocalRecoveryMetrics.nameOf(
                                                                LocalWriteFailure
                                                                        .DIRECTORY_NOT_CREATABLE)))
                                .sum())
                .as("failures counted before the task failure")
                .isPositive();
        List<TaskAttempt> restored = restoredAttempts(run.jobId);
        assertThat(restored).isNotEmpty();
        for (TaskAttempt attempt : restored) {
            assertThat(attempt.get(LocalRecoveryMetrics.RESTORES_LOCAL))
                    .as(attempt.toString())
                    .isZero();
            assertThat(attempt.get(LocalRecoveryMetrics.RESTORES_REMOTE))
                    .as(attempt.toString())
                    .isPositive();
            assertThat(attempt.get(LocalRecoveryMetrics.nameOf(FallbackReason.NO_LOCAL_COPY)))
                    .as(attempt.toString())
                    .isPositive();
        }
        assertOperatorStateRestoredExactly();
    }

    /**
     * The local directory on a 2 MB file system that fills up: checkpoints go on, no task fails but
     * for the injected failure, and the lost local copies are counted as a full disk. The reserve
     * is off: with it, the writers see the disk fill and refuse the copies first (overBudget,
     * {@link HeapDiskBudgetITCase}), and this test is about the disk that fills without warning.
     */
    @Test
    void aFullLocalDiskCostsNoCheckpointAndNoTask() throws Exception {
        try (SmallFileSystem disk = SmallFileSystem.mount(tmp.resolve("small-disk"), "2m")) {
            localDir = disk.path().resolve("local");
            FailureTrigger.reset(6);
            Configuration config = config("ENABLE_FILE_BASED", 1);
            config.set(LocalRecoveryOptions.DISK_RESERVE_SIZE, MemorySize.ZERO);
            JobRun run =
                    runJob(
                            config,
                            FAULT_RECORDS,
                            RATE,
                            LocalDiskFaults.fillAfterTwoCheckpoints(disk));

            LocalDiskFaults.assertOnlyLocalCopiesLost(
                    REPORTER, run, FAULT_RECORDS, LocalWriteFailure.DISK_FULL);
            assertOperatorStateRestoredExactly();
        }
    }

    /**
     * Every fsync of the local directory hangs: checkpoints go on completing, the injected
     * failure's restore does not wait for the disk, and the local copies that no longer fit into
     * the write buffer are dropped and counted.
     */
    @Test
    void aHungLocalDiskDelaysNoCheckpointAndNoRestore() throws Exception {
        FailureTrigger.reset(6);
        Configuration config = config("ENABLE_FILE_BASED", 1);
        config.set(LocalRecoveryOptions.WRITE_BUFFER_SIZE, MemorySize.parse("1mb"));
        LocalDiskFaults.HangWhileRunning hang =
                LocalDiskFaults.hangAfterTwoCheckpoints(localDir, 3);
        JobRun run = runJob(config, FAULT_RECORDS, RATE, hang);

        LocalDiskFaults.assertOnlyLocalCopiesLost(
                REPORTER, run, FAULT_RECORDS, LocalWriteFailure.BUFFER_FULL);
        assertThat(hang.completedWhileHung())
                .as("checkpoints while the disk hung")
                .isGreaterThanOrEqualTo(4);
        assertOperatorStateRestoredExactly();
    }

    @Test
    void disabledWritesNoLocalFilesAndBehavesLikeThePlainBackend() throws Exception {
        FailureTrigger.reset(3);
        JobRun run = runJob(config("DISABLED", 1), RECORDS, RATE, null);

        assertThat(run.output).isEqualTo(StatefulTestJob.expectedOutput(RECORDS));
        assertThat(FailureTrigger.hasFailed()).isTrue();
        assertOperatorStateRestoredExactly();
        assertThat(localDir).doesNotExist();
        assertThat(LocalRecoveryMetricsReader.read(REPORTER, run.jobId)).isEmpty();
    }

    @ParameterizedTest(name = "retained local checkpoints = {0}")
    @org.junit.jupiter.params.provider.ValueSource(ints = {1, 3})
    void keepsOnlyTheNewestConfirmedLocalCheckpointsAndNothingAfterCancel(int retained)
            throws Exception {
        FailureTrigger.reset(Integer.MAX_VALUE);
        Configuration config = config("ENABLE_FILE_BASED", retained);
        StreamExecutionEnvironment env = FlinkLineJobEnvironment.of(config);
        StatefulTestJob.build(env, Long.MAX_VALUE, 500)
                .sinkTo(new org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink<>());
        JobClient client = env.executeAsync("retention");
        try {
            waitUntil(
                    () -> FailureTrigger.completedCheckpoints() >= retained + 4,
                    "enough completed checkpoints");
            waitUntil(
                    () -> retentionHolds(retained),
                    "exactly "
                            + retained
                            + " confirmed local checkpoint(s) per scope, plus at most "
                            + "the ones in progress");
        } finally {
            client.cancel().get();
        }
        waitUntil(() -> status(client) == JobStatus.CANCELED, "the job to be cancelled");
        waitUntil(() -> localJobDirectories().isEmpty(), "local copies to be removed");
    }

    @Test
    void copiesOfACancelledJobStayForTheReleasedLifetime() throws Exception {
        FailureTrigger.reset(Integer.MAX_VALUE);
        Configuration config = config("ENABLE_FILE_BASED", 1);
        config.set(LocalRecoveryOptions.RELEASED_COPIES_LIFETIME, Duration.ofHours(1));
        StreamExecutionEnvironment env = FlinkLineJobEnvironment.of(config);
        StatefulTestJob.build(env, Long.MAX_VALUE, 500)
                .sinkTo(new org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink<>());
        JobClient client = env.executeAsync("released-copies");
        try {
            waitUntil(() -> FailureTrigger.completedCheckpoints() >= 3, "three checkpoints");
            waitUntil(() -> retentionHolds(1), "a confirmed local checkpoint in every scope");
        } finally {
            client.cancel().get();
        }
        waitUntil(() -> status(client) == JobStatus.CANCELED, "the job to be cancelled");
        Path jobDir = localJobDirectories().get(0);
        // the release marker: the job has left the TaskManager
        waitUntil(
                () -> Files.isRegularFile(jobDir.resolve("_RELEASED")),
                "the job's copies to be marked released");

        Map<Path, Set<Long>> kept = committedLocalCheckpoints();
        assertThat(kept).as("local checkpoints kept after the job left").isNotEmpty();
        assertThat(kept.values()).allSatisfy(ids -> assertThat(ids).isNotEmpty());
        assertThat(
                        LocalRecoveryRuntime.existing().stream()
                                .mapToLong(runtime -> runtime.store().getBytesHeld())
                                .sum())
                .as("bytes held")
                .isPositive();
    }

    // ------------------------------------------------------------------------

    private Configuration config(String mode, int retained) {
        return TestJobConfig.heapLocalRecovery(
                mode, retained, localDir, tmp.resolve("checkpoints").toUri().toString());
    }

    private static JobRun runJob(
            Configuration config, long records, double rate, WhileRunning whileRunning)
            throws Exception {
        return LocalRecoveryJobRuns.run(config, records, rate, "local-recovery-it", whileRunning);
    }

    private List<TaskAttempt> restoredAttempts(JobID jobId) {
        return LocalRecoveryMetricsReader.read(REPORTER, jobId).stream()
                .filter(a -> a.attempt > 0 && a.restores() > 0)
                .collect(Collectors.toList());
    }

    private static List<String> expectedRestoringSubtasks() {
        List<String> subtasks = new ArrayList<>();
        for (String task :
                List.of(
                        StatefulTestJob.SOURCE,
                        StatefulTestJob.OPERATOR_STATE_OPERATOR,
                        StatefulTestJob.KEYED_OPERATOR)) {
            for (int subtask = 0; subtask < 2; subtask++) {
                subtasks.add(task + "#" + subtask);
            }
        }
        subtasks.replaceAll(
                s -> s.replace(StatefulTestJob.SOURCE, "Source: " + StatefulTestJob.SOURCE));
        return subtasks;
    }

    private static void assertOperatorStateRestoredExactly() {
        List<OperatorStateRecorder.Restore> restores = OperatorStateRecorder.restores();
        assertThat(restores).as("operator state restores").hasSize(2);
        for (OperatorStateRecorder.Restore restore : restores) {
            assertThat(restore.listCount)
                    .as(restore.toString())
                    .isEqualTo(
                            OperatorStateRecorder.snapshotCount(
                                    restore.checkpointId, restore.subtask));
            assertThat(restore.unionOwnCount).as(restore.toString()).isEqualTo(restore.listCount);
            if (restore.ruleSeen) {
                assertThat(restore.broadcastRule).as(restore.toString()).isEqualTo("rule-1");
            }
        }
    }

    private void damageLocalFiles(Damage damage, Predicate<Path> which) throws IOException {
        List<Path> files = localDataFiles().stream().filter(which).collect(Collectors.toList());
        assertThat(files).as("local files to damage").isNotEmpty();
        for (Path file : files) {
            damage.applyTo(file);
        }
    }

    private List<Path> localDataFiles() throws IOException {
        if (!Files.exists(localDir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(localDir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".data"))
                    .filter(
                            p -> {
                                try {
                                    return Files.size(p) > 0;
                                } catch (IOException e) {
                                    return false;
                                }
                            })
                    .collect(Collectors.toList());
        }
    }

    private List<Path> localJobDirectories() {
        return LocalRecoveryJobRuns.localJobDirectories(localDir);
    }

    /** Per scope directory: the local checkpoints with a manifest. */
    private Map<Path, Set<Long>> committedLocalCheckpoints() throws IOException {
        Map<Path, Set<Long>> result = new TreeMap<>();
        try (Stream<Path> files = Files.walk(localDir)) {
            for (Path manifest :
                    files.filter(p -> p.getFileName().toString().equals("_MANIFEST"))
                            .collect(Collectors.toList())) {
                Path checkpointDir = manifest.getParent();
                if (!checkpointDir.getFileName().toString().matches("chk_\\d+")) {
                    continue; // a pruned checkpoint on its way out
                }
                long id = Long.parseLong(checkpointDir.getFileName().toString().substring(4));
                result.computeIfAbsent(checkpointDir.getParent(), k -> new TreeSet<>()).add(id);
            }
        } catch (java.io.UncheckedIOException | java.nio.file.NoSuchFileException e) {
            return null; // pruned while walking: look again
        }
        return result;
    }

    private boolean retentionHolds(int retained) {
        try {
            Set<Long> confirmed = FailureTrigger.completedCheckpointIds();
            Map<Path, Set<Long>> committed = committedLocalCheckpoints();
            if (committed == null || committed.isEmpty()) {
                return false;
            }
            long newest = confirmed.stream().mapToLong(Long::longValue).max().orElse(-1);
            int activeScopes = 0;
            for (Set<Long> ids : committed.values()) {
                if (ids.stream().mapToLong(Long::longValue).max().orElse(-1) < newest - retained) {
                    // a finished task (the one-element rules source) snapshots no more
                    continue;
                }
                activeScopes++;
                long confirmedKept = ids.stream().filter(confirmed::contains).count();
                long unconfirmed = ids.size() - confirmedKept;
                long newestConfirmed =
                        confirmed.stream().mapToLong(Long::longValue).max().orElse(-1);
                boolean unconfirmedAreNewer =
                        ids.stream()
                                .filter(id -> !confirmed.contains(id))
                                .allMatch(id -> id > newestConfirmed);
                if (confirmedKept != retained || unconfirmed > 2 || !unconfirmedAreNewer) {
                    return false;
                }
            }
            // numbers source, operator-state operator and keyed operator, two subtasks each
            return activeScopes >= 6;
        } catch (IOException e) {
            return false;
        }
    }
}
