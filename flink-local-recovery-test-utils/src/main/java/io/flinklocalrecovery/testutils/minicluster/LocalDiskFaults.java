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
package io.flinklocalrecovery.testutils.minicluster;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.InMemoryReporter;

import io.flinklocalrecovery.core.metrics.FallbackReason;
import io.flinklocalrecovery.core.metrics.LocalRecoveryMetrics;
import io.flinklocalrecovery.core.metrics.LocalWriteFailure;
import io.flinklocalrecovery.testutils.metrics.LocalRecoveryMetricsReader;
import io.flinklocalrecovery.testutils.metrics.LocalRecoveryMetricsReader.TaskAttempt;
import io.flinklocalrecovery.testutils.minicluster.LocalRecoveryJobRuns.JobRun;
import io.flinklocalrecovery.testutils.minicluster.LocalRecoveryJobRuns.WhileRunning;

import java.nio.file.Path;
import java.util.List;

import static io.flinklocalrecovery.testutils.minicluster.Waits.status;
import static io.flinklocalrecovery.testutils.minicluster.Waits.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Local-disk faults injected into a running MiniCluster job (the job of {@link
 * LocalRecoveryJobRuns}, with an injected task failure set up by {@link FailureTrigger}), and what
 * the tests check afterwards: the primary checkpoints go on, no task restarts but for the injected
 * failure, and the lost local copies are counted by reason.
 */
public final class LocalDiskFaults {

    private LocalDiskFaults() {}

    /** Fills the local disk once two checkpoints have completed with local copies. */
    public static WhileRunning fillAfterTwoCheckpoints(SmallFileSystem disk) {
        return (client, jobId) -> {
            waitUntil(() -> FailureTrigger.completedCheckpoints() >= 2, "two checkpoints");
            waitUntil(
                    () -> LocalRecoveryJobRuns.noPendingLocalCheckpoints(jobId),
                    "their local copies");
            disk.fill();
        };
    }

    /**
     * Hangs every fsync under a local directory once two checkpoints have completed, and keeps it
     * hung through the injected failure, the restore and {@code checkpointsAfterRestart} more
     * completed checkpoints; then the disk answers again.
     */
    public static HangWhileRunning hangAfterTwoCheckpoints(
            Path localDir, int checkpointsAfterRestart) {
        return new HangWhileRunning(localDir, checkpointsAfterRestart);
    }

    /** See {@link #hangAfterTwoCheckpoints}. */
    public static final class HangWhileRunning implements WhileRunning {
        private final Path localDir;
        private final int checkpointsAfterRestart;
        private volatile int completedWhileHung = -1;

        private HangWhileRunning(Path localDir, int checkpointsAfterRestart) {
            this.localDir = localDir;
            this.checkpointsAfterRestart = checkpointsAfterRestart;
        }

        @Override
        public void run(JobClient client, JobID jobId) throws Exception {
            waitUntil(() -> FailureTrigger.completedCheckpoints() >= 2, "two checkpoints");
            try (HungLocalDisk disk = HungLocalDisk.hang(localDir)) {
                waitUntil(() -> disk.hungThreads() > 0, "a local write to hang");
                int hungAt = FailureTrigger.completedCheckpoints();
                waitUntil(FailureTrigger::hasFailed, "the injected failure");
                waitUntil(() -> status(client) == JobStatus.RUNNING, "the job to run again");
                int restartedAt = FailureTrigger.completedCheckpoints();
                waitUntil(
                        () ->
                                FailureTrigger.completedCheckpoints()
                                        >= restartedAt + checkpointsAfterRestart,
                        "checkpoints after the restore while the local disk hangs");
                assertThat(disk.hungThreads())
                        .as("threads still waiting for the disk")
                        .isPositive();
                completedWhileHung = FailureTrigger.completedCheckpoints() - hungAt;
            }
        }

        /** Checkpoints that completed while the local disk hung. */
        public int completedWhileHung() {
            return completedWhileHung;
        }
    }

    /**
     * What a local-disk fault may cost, and no more: the job's output is exact, no task restarted
     * but for the injected failure, whose restore used no damaged local copy, and local copies were
     * lost, counted under {@code reason}.
     */
    public static void assertOnlyLocalCopiesLost(
            InMemoryReporter reporter, JobRun run, long records, LocalWriteFailure reason) {
        assertThat(run.output).isEqualTo(StatefulTestJob.expectedOutput(records));
        assertNoRestartButTheInjectedOne(reporter, run.jobId);
        assertRestoreUsedNoDamagedCopy(reporter, run.jobId);
        assertThat(total(reporter, run.jobId, LocalRecoveryMetrics.nameOf(reason)))
                .as("local copies lost, counted as %s", reason.getMetricName())
                .isPositive();
    }

    /**
     * The restore after the injected failure used no damaged local copy: every restored task
     * attempt is counted, and the only fallbacks are copies the fault cost ({@code noLocalCopy}),
     * never a truncated, bit-flipped or unreadable one that was committed anyway. How much was
     * local is the fault's timing: a full disk frees the space of the copies it broke, and later
     * small ones fit again.
     */
    public static void assertRestoreUsedNoDamagedCopy(InMemoryReporter reporter, JobID jobId) {
        List<TaskAttempt> restored =
                LocalRecoveryMetricsReader.read(reporter, jobId).stream()
                        .filter(attempt -> attempt.attempt == 1 && attempt.restores() > 0)
                        .collect(java.util.stream.Collectors.toList());
        assertThat(restored).as("restored task attempts").isNotEmpty();
        for (TaskAttempt attempt : restored) {
            for (FallbackReason reason : FallbackReason.values()) {
                if (reason != FallbackReason.NO_LOCAL_COPY) {
                    assertThat(attempt.get(LocalRecoveryMetrics.nameOf(reason)))
                            .as("%s: %s", attempt, reason)
                            .isZero();
                }
            }
            assertThat(attempt.get(LocalRecoveryMetrics.FALLBACKS))
                    .as(attempt.toString())
                    .isEqualTo(
                            attempt.get(LocalRecoveryMetrics.nameOf(FallbackReason.NO_LOCAL_COPY)));
        }
    }

    /** The injected failure restarted the tasks once; the local disk cost no restart. */
    public static void assertNoRestartButTheInjectedOne(InMemoryReporter reporter, JobID jobId) {
        assertThat(FailureTrigger.failures()).isOne();
        List<TaskAttempt> attempts = LocalRecoveryMetricsReader.read(reporter, jobId);
        assertThat(attempts).isNotEmpty();
        assertThat(attempts)
                .as("task attempts: the first and the one after the injected failure only")
                .allMatch(attempt -> attempt.attempt <= 1);
    }

    /** A metric summed over every task attempt of the job. */
    public static long total(InMemoryReporter reporter, JobID jobId, String metric) {
        return LocalRecoveryMetricsReader.read(reporter, jobId).stream()
                .mapToLong(attempt -> attempt.get(metric))
                .sum();
    }
}
