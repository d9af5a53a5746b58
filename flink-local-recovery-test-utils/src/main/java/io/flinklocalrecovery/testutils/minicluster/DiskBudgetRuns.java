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
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.InMemoryReporter;

import io.flinklocalrecovery.core.backend.LocalRecoveryRuntime;
import io.flinklocalrecovery.core.metrics.EvictionReason;
import io.flinklocalrecovery.core.metrics.FallbackReason;
import io.flinklocalrecovery.core.metrics.LocalRecoveryMetrics;
import io.flinklocalrecovery.core.metrics.LocalWriteFailure;
import io.flinklocalrecovery.core.store.LocalSnapshotScope;
import io.flinklocalrecovery.core.store.StoreDiskStatus;
import io.flinklocalrecovery.core.store.TaskLocalSnapshotStore;
import io.flinklocalrecovery.testutils.metrics.LocalRecoveryMetricsReader;
import io.flinklocalrecovery.testutils.metrics.LocalRecoveryMetricsReader.TaskAttempt;
import io.flinklocalrecovery.testutils.minicluster.LocalRecoveryJobRuns.JobRun;
import io.flinklocalrecovery.testutils.minicluster.LocalRecoveryJobRuns.WhileRunning;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import static io.flinklocalrecovery.testutils.minicluster.Waits.status;
import static io.flinklocalrecovery.testutils.minicluster.Waits.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A job under a disk budget far below its state (the MiniCluster ITCases of every backend): the
 * bytes held are sampled while it runs, the local copies of the restore checkpoint are noted while
 * the job waits to restart, and afterwards the checks are the same for every backend.
 */
public final class DiskBudgetRuns {

    private DiskBudgetRuns() {}

    /** Samples the bytes every local-recovery directory of the process holds, on its own thread. */
    public static final class BytesHeldSampler implements AutoCloseable {
        private final Thread thread;
        private final AtomicLong max = new AtomicLong();
        private final AtomicLong nonEmptySamples = new AtomicLong();
        private volatile boolean running = true;

        public BytesHeldSampler() {
            thread = new Thread(this::sample, "bytes-held-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        private void sample() {
            while (running) {
                for (LocalRecoveryRuntime runtime : LocalRecoveryRuntime.existing()) {
                    runtime.availableStore()
                            .ifPresent(
                                    store -> {
                                        StoreDiskStatus disk = store.diskStatus();
                                        for (int i = 0; i < disk.directories(); i++) {
                                            long held = disk.bytesHeld(i);
                                            max.accumulateAndGet(held, Math::max);
                                            if (held > 0) {
                                                nonEmptySamples.incrementAndGet();
                                            }
                                        }
                                    });
                }
                try {
                    Thread.sleep(2); // the sampling interval; nothing waits on it
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        /** The most bytes any directory held at any sample. */
        public long max() {
            return max.get();
        }

        /** Samples that saw local copies held (a sampler that saw none proves nothing). */
        public long nonEmptySamples() {
            return nonEmptySamples.get();
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join();
        }
    }

    /**
     * While the job waits to restart after the injected failure (the configuration needs a restart
     * delay), once no local copy is in flight: notes how many operator subtasks have a committed
     * local copy of the checkpoint the restore will use.
     */
    public static final class NoteCopiesWhileRestarting implements WhileRunning {
        private final MiniCluster cluster;
        private volatile long restoreCheckpoint = -1;
        private volatile int scopesWithCopy = -1;

        public NoteCopiesWhileRestarting(MiniCluster cluster) {
            this.cluster = cluster;
        }

        @Override
        public void run(JobClient client, JobID jobId) throws Exception {
            waitUntil(FailureTrigger::hasFailed, "the injected failure");
            waitUntil(() -> status(client) == JobStatus.RESTARTING, "the job to be restarting");
            waitUntil(
                    () -> LocalRecoveryJobRuns.noPendingLocalCheckpoints(jobId),
                    "local copies in flight to settle");
            long checkpointId = LocalRecoveryJobRuns.latestCompletedCheckpointId(cluster, jobId);
            int withCopy = 0;
            for (LocalRecoveryRuntime runtime : LocalRecoveryRuntime.existing()) {
                TaskLocalSnapshotStore store = runtime.store();
                for (LocalSnapshotScope scope : store.scopes(jobId.toHexString())) {
                    if (store.committedCheckpoints(scope).contains(checkpointId)) {
                        withCopy++;
                    }
                }
            }
            restoreCheckpoint = checkpointId;
            scopesWithCopy = withCopy;
        }

        /** Operator subtasks (keyed or operator state) that had a local copy to restore from. */
        public int scopesWithCopy() {
            return scopesWithCopy;
        }

        public long restoreCheckpoint() {
            return restoreCheckpoint;
        }
    }

    /**
     * What a budget far below the state may cost, and no more: the output is exact, no task
     * restarted but for the injected failure, the bytes held never exceeded the limit, copies were
     * evicted or refused for it (counted), and the restore was local wherever the newest copy fit.
     */
    public static void assertKeptWithinTheBudget(
            InMemoryReporter reporter,
            JobRun run,
            long records,
            long limit,
            BytesHeldSampler sampler,
            NoteCopiesWhileRestarting noted) {
        assertThat(run.output).isEqualTo(StatefulTestJob.expectedOutput(records));
        LocalDiskFaults.assertNoRestartButTheInjectedOne(reporter, run.jobId);
        assertThat(sampler.nonEmptySamples()).as("samples that saw local copies").isPositive();
        assertThat(sampler.max())
                .as("the most bytes held at any sample")
                .isLessThanOrEqualTo(limit);
        long overBudget =
                LocalDiskFaults.total(
                        reporter,
                        run.jobId,
                        LocalRecoveryMetrics.nameOf(LocalWriteFailure.OVER_BUDGET));
        assertThat(overBudget + evictions(reporter, run.jobId))
                .as("local copies refused or evicted for the budget")
                .isPositive();
        assertRestoredLocallyWhereTheCopyFit(reporter, run.jobId, noted);
    }

    /**
     * Every operator subtask that had a committed local copy of the restore checkpoint restored
     * from it, and no restore used a damaged copy: the only fallbacks are copies the budget cost.
     */
    public static void assertRestoredLocallyWhereTheCopyFit(
            InMemoryReporter reporter, JobID jobId, NoteCopiesWhileRestarting noted) {
        assertThat(noted.scopesWithCopy())
                .as(
                        "operator subtasks with a local copy of checkpoint %s",
                        noted.restoreCheckpoint())
                .isPositive();
        assertRestoredLocallyWhereAnyCopyFit(reporter, jobId, noted);
    }

    /**
     * As {@link #assertRestoredLocallyWhereTheCopyFit}, but the restore checkpoint may have no
     * local copy at all: on a full small file system, whether any copy of it fit depends on when
     * the disk filled up.
     */
    public static void assertRestoredLocallyWhereAnyCopyFit(
            InMemoryReporter reporter, JobID jobId, NoteCopiesWhileRestarting noted) {
        assertThat(noted.scopesWithCopy()).as("copies noted before the restore").isNotNegative();
        List<TaskAttempt> restored =
                LocalRecoveryMetricsReader.read(reporter, jobId).stream()
                        .filter(attempt -> attempt.attempt == 1 && attempt.restores() > 0)
                        .collect(Collectors.toList());
        long local = 0;
        for (TaskAttempt attempt : restored) {
            local +=
                    attempt.get(LocalRecoveryMetrics.RESTORES_LOCAL)
                            + attempt.get(LocalRecoveryMetrics.RESTORES_MIXED);
            assertThat(attempt.get(LocalRecoveryMetrics.FALLBACKS))
                    .as("%s: only missing copies fell back", attempt)
                    .isEqualTo(
                            attempt.get(LocalRecoveryMetrics.nameOf(FallbackReason.NO_LOCAL_COPY)));
        }
        assertThat(local)
                .as("restores from local copies, restored attempts %s", restored)
                .isGreaterThanOrEqualTo(noted.scopesWithCopy());
    }

    /** Evictions on the TaskManager, as any task of the job reports them (a TaskManager figure). */
    public static long evictions(InMemoryReporter reporter, JobID jobId) {
        return LocalRecoveryMetricsReader.read(reporter, jobId).stream()
                .mapToLong(
                        attempt -> {
                            long total = 0;
                            for (EvictionReason reason : EvictionReason.values()) {
                                total += attempt.get(LocalRecoveryMetrics.nameOf(reason));
                            }
                            return total;
                        })
                .max()
                .orElse(0);
    }
}
