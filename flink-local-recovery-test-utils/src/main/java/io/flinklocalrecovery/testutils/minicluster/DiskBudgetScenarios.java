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

import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.InMemoryReporter;

import io.flinklocalrecovery.core.config.LocalRecoveryOptions;
import io.flinklocalrecovery.core.metrics.LocalRecoveryMetrics;
import io.flinklocalrecovery.core.metrics.LocalWriteFailure;
import io.flinklocalrecovery.testutils.minicluster.DiskBudgetRuns.BytesHeldSampler;
import io.flinklocalrecovery.testutils.minicluster.DiskBudgetRuns.NoteCopiesWhileRestarting;
import io.flinklocalrecovery.testutils.minicluster.LocalRecoveryJobRuns.JobRun;

import java.nio.file.Path;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two disk-budget scenarios both backends' ITCases run, with one failure injected: a size limit
 * far below the state, and a reserve on a small file system (a tmpfs mount). Each asserts that
 * checkpoints and tasks are not affected, and what the budget did.
 */
public final class DiskBudgetScenarios {

    /** Records after which the injected failure comes. */
    private static final int FAILURE_AFTER_CHECKPOINTS = 40;

    private final MiniCluster cluster;
    private final InMemoryReporter reporter;
    private final long records;

    public DiskBudgetScenarios(MiniCluster cluster, InMemoryReporter reporter, long records) {
        this.cluster = cluster;
        this.reporter = reporter;
        this.records = records;
    }

    /**
     * The job under {@code limit}: the bytes held never exceed it at any sample, the restore is
     * local where the newest copy fit, and copies larger than the limit were refused.
     */
    public void underASizeLimit(Configuration config, MemorySize limit) throws Exception {
        config.set(LocalRecoveryOptions.DISK_SIZE_LIMIT, limit);
        FailureTrigger.reset(FAILURE_AFTER_CHECKPOINTS);
        NoteCopiesWhileRestarting noted = new NoteCopiesWhileRestarting(cluster);
        JobRun run;
        try (BytesHeldSampler sampler = new BytesHeldSampler()) {
            run = LocalRecoveryJobRuns.run(config, records, pace(), "disk-budget-it", noted);
            DiskBudgetRuns.assertKeptWithinTheBudget(
                    reporter, run, records, limit.getBytes(), sampler, noted);
        }
        assertThat(overBudget(run)).as("keyed copies larger than the limit, refused").isPositive();
    }

    /**
     * The local directory on a tmpfs of {@code size} with {@code reserve}: the reserve, read from
     * the real file system, keeps the copies to what is left; the output is exact, no task restarts
     * but for the injected failure, the restore is local where a copy of its checkpoint fit (on so
     * small a disk there may be none, depending on when it filled up), and copies were refused,
     * lost to the full disk or evicted. Skipped where mounting is not permitted.
     */
    public void withAReserveOnASmallFileSystem(
            Path mountPoint, String size, MemorySize reserve, Function<Path, Configuration> config)
            throws Exception {
        try (SmallFileSystem disk = SmallFileSystem.mount(mountPoint, size)) {
            Configuration job = config.apply(disk.path().resolve("local"));
            job.set(LocalRecoveryOptions.DISK_RESERVE_SIZE, reserve);
            FailureTrigger.reset(FAILURE_AFTER_CHECKPOINTS);
            NoteCopiesWhileRestarting noted = new NoteCopiesWhileRestarting(cluster);
            JobRun run = LocalRecoveryJobRuns.run(job, records, pace(), "disk-reserve-it", noted);

            assertThat(run.output).isEqualTo(StatefulTestJob.expectedOutput(records));
            LocalDiskFaults.assertNoRestartButTheInjectedOne(reporter, run.jobId);
            DiskBudgetRuns.assertRestoredLocallyWhereAnyCopyFit(reporter, run.jobId, noted);
            long lost =
                    overBudget(run)
                            + LocalDiskFaults.total(
                                    reporter,
                                    run.jobId,
                                    LocalRecoveryMetrics.nameOf(LocalWriteFailure.DISK_FULL))
                            + DiskBudgetRuns.evictions(reporter, run.jobId);
            assertThat(lost).as("copies refused, lost to the full disk or evicted").isPositive();
        }
    }

    /**
     * The source emits its records over twice as many checkpoints as the injected failure waits for
     * (a share after each checkpoint), so the failure comes in the middle of the run however slowly
     * a busy machine checkpoints; paced per second, a slow machine ran out of records first.
     */
    private RateLimiterStrategy pace() {
        return RateLimiterStrategy.perCheckpoint(
                (int) Math.max(1, records / (2L * FAILURE_AFTER_CHECKPOINTS)));
    }

    private long overBudget(JobRun run) {
        return LocalDiskFaults.total(
                reporter, run.jobId, LocalRecoveryMetrics.nameOf(LocalWriteFailure.OVER_BUDGET));
    }
}
