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
package io.flinklocalrecovery.rocksdb;

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
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;

import io.flinklocalrecovery.core.backend.LocalRecoveryRuntime;
import io.flinklocalrecovery.core.config.LocalRecoveryOptions;
import io.flinklocalrecovery.core.metrics.FallbackReason;
import io.flinklocalrecovery.core.metrics.LocalRecoveryMetrics;
import io.flinklocalrecovery.core.metrics.LocalWriteFailure;
import io.flinklocalrecovery.rocksdb.testjob.TestJobConfig;
import io.flinklocalrecovery.testutils.flinkline.FlinkLineJobEnvironment;
import io.flinklocalrecovery.testutils.metrics.LocalRecoveryMetricsReader;
import io.flinklocalrecovery.testutils.metrics.LocalRecoveryMetricsReader.TaskAttempt;
import io.flinklocalrecovery.testutils.minicluster.FailureTrigger;
import io.flinklocalrecovery.testutils.minicluster.LocalDiskFaults;
import io.flinklocalrecovery.testutils.minicluster.LocalRecoveryJobRuns;
import io.flinklocalrecovery.testutils.minicluster.LocalRecoveryJobRuns.Damage;
import io.flinklocalrecovery.testutils.minicluster.LocalRecoveryJobRuns.DamageWhileRestarting;
import io.flinklocalrecovery.testutils.minicluster.LocalRecoveryJobRuns.Damaging;
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
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.flinklocalrecovery.testutils.minicluster.Waits.status;
import static io.flinklocalrecovery.testutils.minicluster.Waits.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real jobs on a MiniCluster with the RocksDB backend of the plugin: failures are injected after a
 * number of completed checkpoints, the output is compared with the failure-free output, and the
 * restore source is read from the plugin's metrics.
 */
class RocksDBLocalRecoveryITCase {

    private static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setConfiguration(REPORTER.addToConfiguration(new Configuration()))
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(4)
                            .build());

    // long enough for the injected failures even when the first job starts slowly
    private static final long RECORDS = 6_000;
    private static final double RATE = 1_000;

    /** Long enough for the checkpoints the local-disk fault tests wait for, also when busy. */
    private static final long FAULT_RECORDS = 12_000;

    @TempDir Path tmp;

    private Path localDir;
    private MiniCluster miniCluster;

    /** The checkpoint whose local copies {@link #runJobDamagingWhileRestarting} damaged. */
    private long damagedCheckpoint = -1;

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

    @ParameterizedTest(name = "incremental = {0}")
    @ValueSource(booleans = {true, false})
    void restoresFromLocalNativeCheckpointTwiceAndTheChainContinues(boolean incremental)
            throws Exception {
        // the second failure comes after two more completed checkpoints, each of which builds on
        // the locally restored backend (for incremental checkpoints: reusing uploaded files)
        FailureTrigger.reset(3, 2);
        JobRun run = runJob(config("ENABLE_FILE_BASED", 1, incremental, "ROCKSDB"), null);

        assertThat(run.output).isEqualTo(StatefulTestJob.expectedOutput(RECORDS));
        assertThat(FailureTrigger.failures()).isEqualTo(2);
        for (int attemptNumber = 1; attemptNumber <= 2; attemptNumber++) {
            for (int subtask = 0; subtask < 2; subtask++) {
                TaskAttempt keyed =
                        find(run.jobId, StatefulTestJob.KEYED_OPERATOR, subtask, attemptNumber);
                assertThat(keyed.get(LocalRecoveryMetrics.RESTORES_LOCAL))
                        .as(keyed.toString())
                        .isPositive();
                assertThat(keyed.get(LocalRecoveryMetrics.RESTORES_REMOTE))
                        .as(keyed.toString())
                        .isZero();
                assertThat(keyed.get(LocalRecoveryMetrics.RESTORES_MIXED))
                        .as(keyed.toString())
                        .isZero();
                assertThat(keyed.get(LocalRecoveryMetrics.FALLBACKS)).as(keyed.toString()).isZero();
                assertThat(keyed.get(LocalRecoveryMetrics.RESTORED_BYTES_LOCAL))
                        .as(keyed.toString())
                        .isPositive();
                assertThat(keyed.get(LocalRecoveryMetrics.RESTORED_BYTES_REMOTE))
                        .as(keyed.toString())
                        .isZero();
            }
        }
        waitUntil(() -> localJobDirectories().isEmpty(), "local copies released with the job");
    }

    /**
     * The local directory on a 2 MB file system that fills up (RocksDB's working directory
     * elsewhere). Before, RocksDB made its native checkpoint there, in the synchronous phase: the
     * checkpoint was declined, the task failed, and the job exhausted its restarts.
     */
    @ParameterizedTest(name = "incremental = {0}")
    @ValueSource(booleans = {true, false})
    void aFullLocalDiskCostsNoCheckpointAndNoTask(boolean incremental) throws Exception {
        try (SmallFileSystem disk = SmallFileSystem.mount(tmp.resolve("small-disk"), "2m")) {
            localDir = disk.path().resolve("local");
            FailureTrigger.reset(6);
            JobRun run = runFaultJob(incremental, LocalDiskFaults.fillAfterTwoCheckpoints(disk));

            LocalDiskFaults.assertOnlyLocalCopiesLost(
                    REPORTER, run, FAULT_RECORDS, LocalWriteFailure.DISK_FULL);
        }
    }

    /**
     * Every fsync of the local directory hangs: checkpoints go on completing, the injected
     * failure's restore does not wait for the disk, and the local commits that cannot keep up are
     * dropped and counted.
     */
    @ParameterizedTest(name = "incremental = {0}")
    @ValueSource(booleans = {true, false})
    void aHungLocalDiskDelaysNoCheckpointAndNoRestore(boolean incremental) throws Exception {
        FailureTrigger.reset(6);
        LocalDiskFaults.HangWhileRunning hang =
                LocalDiskFaults.hangAfterTwoCheckpoints(localDir, 3);
        JobRun run = runFaultJob(incremental, hang);

        LocalDiskFaults.assertOnlyLocalCopiesLost(
                REPORTER, run, FAULT_RECORDS, LocalWriteFailure.COMMIT_BACKLOG);
        assertThat(hang.completedWhileHung())
                .as("checkpoints while the disk hung")
                .isGreaterThanOrEqualTo(4);
    }

    @ParameterizedTest
    @EnumSource(Damage.class)
    void restoresExactlyWhenALocalSstFileIsDamaged(Damage damage) throws Exception {
        JobRun run =
                runJobDamagingWhileRestarting(
                        (jobId, checkpointId) ->
                                damageOneSstFilePerNativeCheckpoint(damage, checkpointId));

        assertThat(run.output).isEqualTo(StatefulTestJob.expectedOutput(RECORDS));
        assertThat(OperatorStateRecorder.restores())
                .extracting(restore -> restore.checkpointId)
                .as("the checkpoint restored is the one damaged")
                .containsOnly(damagedCheckpoint);
        for (int subtask = 0; subtask < 2; subtask++) {
            TaskAttempt keyed = find(run.jobId, StatefulTestJob.KEYED_OPERATOR, subtask, 1);
            assertThat(keyed.get(LocalRecoveryMetrics.RESTORES_LOCAL))
                    .as(keyed.toString())
                    .isZero();
            assertThat(keyed.get(LocalRecoveryMetrics.RESTORES_MIXED)).as(keyed.toString()).isOne();
            assertThat(keyed.get(LocalRecoveryMetrics.RESTORED_BYTES_LOCAL))
                    .as(keyed.toString())
                    .isPositive();
            assertThat(keyed.get(LocalRecoveryMetrics.RESTORED_BYTES_REMOTE))
                    .as(keyed.toString())
                    .isPositive();
            assertThat(keyed.get(LocalRecoveryMetrics.nameOf(damage.reason)))
                    .as(keyed.toString())
                    .isPositive();
        }
    }

    /**
     * Damage no file attribute shows (a disk returning wrong bytes): the plugin uses an unchanged
     * SST file it checksummed itself once without reading it, so here RocksDB's own block checksums
     * must catch the damage, either while the restore opens the database or when the restored task
     * reads a block, and the restore after that reads every file and takes the damaged ones from
     * the primary. The state must come out exact either way.
     */
    @Test
    void damageThatLeavesTheFileAttributesAloneIsCaughtAndRepairedFromThePrimary()
            throws Exception {
        JobRun run = runJobDamagingWhileRestarting(this::damageEverySstFileKeepingAttributes);

        assertThat(run.output).isEqualTo(StatefulTestJob.expectedOutput(RECORDS));
        List<TaskAttempt> all = LocalRecoveryMetricsReader.read(REPORTER, run.jobId);
        for (int subtask = 0; subtask < 2; subtask++) {
            int s = subtask;
            List<TaskAttempt> keyed =
                    all.stream()
                            .filter(
                                    a ->
                                            a.taskName.equals(StatefulTestJob.KEYED_OPERATOR)
                                                    && a.subtask == s
                                                    && a.attempt >= 1)
                            .collect(Collectors.toList());
            long caught =
                    keyed.stream()
                            .mapToLong(
                                    a ->
                                            a.get(
                                                            LocalRecoveryMetrics.nameOf(
                                                                    FallbackReason
                                                                            .CHECKSUM_MISMATCH))
                                                    + a.get(
                                                            LocalRecoveryMetrics.nameOf(
                                                                    FallbackReason.RESTORE_FAILED)))
                            .sum();
            long repaired =
                    keyed.stream()
                            .mapToLong(
                                    a ->
                                            a.get(LocalRecoveryMetrics.RESTORES_MIXED)
                                                    + a.get(LocalRecoveryMetrics.RESTORES_REMOTE))
                            .sum();
            assertThat(caught).as(keyed.toString()).isPositive();
            assertThat(repaired).as(keyed.toString()).isPositive();
        }
    }

    @Test
    void checkpointsCompleteAndRestoreIsRemoteWhenLocalDirectoryCannotBeCreated() throws Exception {
        Path blocker = tmp.resolve("not-a-directory");
        Files.writeString(blocker, "a regular file where the local directory should be");
        localDir = blocker.resolve("local");
        FailureTrigger.reset(3);
        JobRun run = runJob(config("ENABLE_FILE_BASED", 1, true, "ROCKSDB"), null);

        assertThat(run.output).isEqualTo(StatefulTestJob.expectedOutput(RECORDS));
        assertThat(FailureTrigger.completedCheckpoints()).isGreaterThanOrEqualTo(3);
        for (int subtask = 0; subtask < 2; subtask++) {
            TaskAttempt first = find(run.jobId, StatefulTestJob.KEYED_OPERATOR, subtask, 0);
            assertThat(
                            first.get(
                                    LocalRecoveryMetrics.nameOf(
                                            LocalWriteFailure.DIRECTORY_NOT_CREATABLE)))
                    .as(first.toString())
                    .isPositive();
            TaskAttempt keyed = find(run.jobId, StatefulTestJob.KEYED_OPERATOR, subtask, 1);
            assertThat(keyed.get(LocalRecoveryMetrics.RESTORES_LOCAL))
                    .as(keyed.toString())
                    .isZero();
            assertThat(keyed.get(LocalRecoveryMetrics.RESTORES_REMOTE))
                    .as(keyed.toString())
                    .isPositive();
            assertThat(keyed.get(LocalRecoveryMetrics.nameOf(FallbackReason.NO_LOCAL_COPY)))
                    .as(keyed.toString())
                    .isPositive();
        }
    }

    @Test
    void disabledWritesNoLocalFilesAndBehavesLikeThePlainBackend() throws Exception {
        FailureTrigger.reset(3);
        JobRun run = runJob(config("DISABLED", 1, true, "ROCKSDB"), null);

        assertThat(run.output).isEqualTo(StatefulTestJob.expectedOutput(RECORDS));
        assertThat(FailureTrigger.hasFailed()).isTrue();
        assertThat(localDir).doesNotExist();
        assertThat(LocalRecoveryMetricsReader.read(REPORTER, run.jobId)).isEmpty();
    }

    @ParameterizedTest(name = "timer service = {0}")
    @ValueSource(strings = {"ROCKSDB", "HEAP"})
    void timersFireExactlyOnceAtTheRightTimeAcrossFailures(String timerService) throws Exception {
        // every record registers a timer; the summaries count the timers that fired, and a timer
        // firing early or for another key fails the job (see AllStateKindsFunction)
        FailureTrigger.reset(3, 2);
        JobRun run = runJob(config("ENABLE_FILE_BASED", 1, true, timerService), null);

        assertThat(run.output).isEqualTo(StatefulTestJob.expectedOutput(RECORDS));
        assertThat(FailureTrigger.failures()).isEqualTo(2);
        for (int subtask = 0; subtask < 2; subtask++) {
            TaskAttempt keyed = find(run.jobId, StatefulTestJob.KEYED_OPERATOR, subtask, 1);
            assertThat(keyed.get(LocalRecoveryMetrics.RESTORES_LOCAL))
                    .as(keyed.toString())
                    .isPositive();
            assertThat(keyed.get(LocalRecoveryMetrics.FALLBACKS)).as(keyed.toString()).isZero();
        }
    }

    @Test
    void keepsOneLocalCheckpointPerScopeOverTwentyCheckpoints() throws Exception {
        FailureTrigger.reset(Integer.MAX_VALUE);
        Configuration config = config("ENABLE_FILE_BASED", 1, true, "ROCKSDB");
        StreamExecutionEnvironment env = FlinkLineJobEnvironment.of(config);
        StatefulTestJob.build(env, Long.MAX_VALUE, 500).sinkTo(new DiscardingSink<>());
        JobClient client = env.executeAsync("retention");
        Map<String, Integer> mostCheckpointDirs = new TreeMap<>();
        long mostBytes = 0;
        try {
            int seen = 0;
            while (seen < 20) {
                int target = seen + 1;
                waitUntil(
                        () -> FailureTrigger.completedCheckpoints() >= target,
                        "checkpoint " + target);
                seen = FailureTrigger.completedCheckpoints();
                for (Map.Entry<String, Integer> scope : checkpointDirsPerScope().entrySet()) {
                    mostCheckpointDirs.merge(scope.getKey(), scope.getValue(), Math::max);
                }
                mostBytes = Math.max(mostBytes, uniqueBytes(localDir));
            }
            waitUntil(
                    () -> checkpointDirsPerScope().values().stream().allMatch(n -> n <= 2),
                    "one confirmed local checkpoint per scope, plus at most one in progress");
        } finally {
            client.cancel().get();
        }
        waitUntil(() -> status(client) == JobStatus.CANCELED, "the job to be cancelled");
        // the newest confirmed checkpoint, at most two newer ones, and dropped ones whose
        // snapshots are still finishing (each deletes its own directory): how many of those
        // there are depends on the machine's load, but a leak would keep all twenty
        assertThat(mostCheckpointDirs).isNotEmpty();
        assertThat(mostCheckpointDirs.values()).allMatch(n -> n <= 8);
        assertThat(mostBytes).isPositive();
        waitUntil(() -> localJobDirectories().isEmpty(), "local copies to be removed");
    }

    // ------------------------------------------------------------------------

    private Configuration config(
            String mode, int retained, boolean incremental, String timerService) {
        return TestJobConfig.rocksDBLocalRecovery(
                mode,
                retained,
                incremental,
                timerService,
                localDir,
                tmp.resolve("checkpoints").toUri().toString());
    }

    /**
     * Runs the job with incremental checkpoints and one injected failure, and damages the local
     * copies of the checkpoint the restore uses while the job waits to restart.
     */
    private JobRun runJobDamagingWhileRestarting(Damaging damaging) throws Exception {
        FailureTrigger.reset(3);
        Configuration config = config("ENABLE_FILE_BASED", 1, true, "ROCKSDB");
        // time to damage the local files while the job waits to restart
        config.set(
                RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(2));
        DamageWhileRestarting damagingWhileRestarting =
                LocalRecoveryJobRuns.damageWhileRestarting(miniCluster, damaging);
        JobRun run = runJob(config, damagingWhileRestarting);
        damagedCheckpoint = damagingWhileRestarting.damagedCheckpoint();
        assertThat(damagedCheckpoint).as("a checkpoint was damaged").isPositive();
        return run;
    }

    /** The job of the local-disk fault tests: longer, one injected failure after 6 checkpoints. */
    /**
     * A run for the local-disk faults. The reserve is off: with it, the writers of the operator
     * state's copies see a disk that fills up and refuse them first (overBudget, {@link
     * RocksDBDiskBudgetITCase}), and these tests are about the disk that fails without warning.
     */
    private JobRun runFaultJob(boolean incremental, WhileRunning whileRunning) throws Exception {
        Configuration config = config("ENABLE_FILE_BASED", 1, incremental, "ROCKSDB");
        config.set(LocalRecoveryOptions.DISK_RESERVE_SIZE, MemorySize.ZERO);
        return LocalRecoveryJobRuns.run(
                config, FAULT_RECORDS, RATE, "rocksdb-local-disk-fault-it", whileRunning);
    }

    private static JobRun runJob(Configuration config, WhileRunning whileRunning) throws Exception {
        return LocalRecoveryJobRuns.run(
                config, RECORDS, RATE, "rocksdb-local-recovery-it", whileRunning);
    }

    private static TaskAttempt find(JobID jobId, String task, int subtask, int attempt) {
        return LocalRecoveryMetricsReader.read(REPORTER, jobId).stream()
                .filter(
                        a ->
                                a.taskName.equals(task)
                                        && a.subtask == subtask
                                        && a.attempt == attempt)
                .findFirst()
                .orElseThrow(
                        () ->
                                new AssertionError(
                                        "no metrics of "
                                                + task
                                                + "#"
                                                + subtask
                                                + " attempt "
                                                + attempt));
    }

    /**
     * In every native checkpoint directory of the keyed scopes of a checkpoint, damages the largest
     * SST file.
     */
    private void damageOneSstFilePerNativeCheckpoint(Damage damage, long checkpointId)
            throws IOException {
        for (Path dir : keyedNativeCheckpointDirectories(checkpointId)) {
            Path sst;
            try (Stream<Path> files = Files.list(dir)) {
                sst =
                        files.filter(p -> p.getFileName().toString().endsWith(".sst"))
                                .max(Comparator.comparingLong(RocksDBLocalRecoveryITCase::size))
                                .orElseThrow(() -> new AssertionError("no SST file in " + dir));
            }
            damage.applyTo(sst);
        }
    }

    /**
     * Flips one bit in every 512 bytes of every local SST file of a checkpoint, keeping sizes and
     * modification times.
     */
    private void damageEverySstFileKeepingAttributes(JobID jobId, long checkpointId)
            throws IOException {
        List<Path> ssts = new ArrayList<>();
        for (Path dir : keyedNativeCheckpointDirectories(checkpointId)) {
            try (Stream<Path> files = Files.list(dir)) {
                files.filter(p -> p.getFileName().toString().endsWith(".sst")).forEach(ssts::add);
            }
        }
        assertThat(ssts).as("local SST files").isNotEmpty();
        for (Path sst : ssts) {
            FileTime modified = Files.getLastModifiedTime(sst);
            try (RandomAccessFile raf = new RandomAccessFile(sst.toFile(), "rw")) {
                for (long at = 256; at < raf.length(); at += 512) {
                    raf.seek(at);
                    int b = raf.read();
                    raf.seek(at);
                    raf.write(b ^ 0x01);
                }
            }
            Files.setLastModifiedTime(sst, modified);
        }
    }

    /** The native checkpoint directories of the keyed scopes in a local checkpoint. */
    private List<Path> keyedNativeCheckpointDirectories(long checkpointId) throws IOException {
        List<Path> nativeDirs = new ArrayList<>();
        String checkpointDirName = "chk_" + checkpointId;
        // the store prunes other checkpoints meanwhile: an entry gone while walking is skipped
        Files.walkFileTree(
                localDir,
                new SimpleFileVisitor<Path>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                        Path parent = dir.getParent();
                        if (parent != null
                                && parent.getFileName().toString().equals(checkpointDirName)
                                && dir.toString().contains("_keyed")) {
                            nativeDirs.add(dir);
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException e) {
                        return FileVisitResult.CONTINUE;
                    }
                });
        assertThat(nativeDirs)
                .as("native checkpoint directories of checkpoint %d", checkpointId)
                .isNotEmpty();
        return nativeDirs;
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    private Map<String, Integer> checkpointDirsPerScope() {
        Map<String, Integer> counts = new TreeMap<>();
        if (!Files.exists(localDir)) {
            return counts;
        }
        try (Stream<Path> files = Files.walk(localDir, 5)) {
            files.filter(p -> p.getFileName().toString().startsWith("chk_"))
                    .forEach(p -> counts.merge(p.getParent().toString(), 1, Integer::sum));
        } catch (IOException | java.io.UncheckedIOException e) {
            // a directory deleted while walking: count again at the next poll
        }
        return counts;
    }

    /** Bytes of the files under a directory, each hard-linked file counted once. */
    private static long uniqueBytes(Path dir) {
        Map<Object, Long> inodes = new java.util.HashMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            files.filter(Files::isRegularFile)
                    .forEach(
                            p -> {
                                try {
                                    Object key =
                                            Files.readAttributes(
                                                            p,
                                                            java.nio.file.attribute
                                                                    .BasicFileAttributes.class)
                                                    .fileKey();
                                    inodes.put(key == null ? p : key, Files.size(p));
                                } catch (IOException e) {
                                    // deleted meanwhile
                                }
                            });
        } catch (IOException | java.io.UncheckedIOException e) {
            return 0;
        }
        return inodes.values().stream().mapToLong(Long::longValue).sum();
    }

    private List<Path> localJobDirectories() {
        return LocalRecoveryJobRuns.localJobDirectories(localDir);
    }
}
