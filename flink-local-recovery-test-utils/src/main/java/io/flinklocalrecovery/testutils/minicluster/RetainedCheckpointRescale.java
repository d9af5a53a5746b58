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
import org.apache.flink.api.common.time.Deadline;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.checkpoint.CheckpointException;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.CommonTestUtils;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.ExceptionUtils;

import io.flinklocalrecovery.core.config.LocalRecoveryOptions;
import io.flinklocalrecovery.core.metrics.LocalRecoveryMetrics;
import io.flinklocalrecovery.testutils.flinkline.FlinkLineJobEnvironment;
import io.flinklocalrecovery.testutils.metrics.LocalRecoveryMetricsReader;
import io.flinklocalrecovery.testutils.metrics.LocalRecoveryMetricsReader.TaskAttempt;
import io.flinklocalrecovery.testutils.minicluster.LocalRecoveryJobRuns.JobRun;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;

import static io.flinklocalrecovery.testutils.minicluster.Waits.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A rescale through a retained checkpoint on a MiniCluster: {@link StatefulTestJob} runs with one
 * parallelism until some checkpoints with local copies completed, is cancelled (its checkpoints
 * retained, its local copies kept for the released-copies lifetime), and is submitted again as a
 * new job with another parallelism, restored from the newest completed checkpoint whose local
 * copies of every keyed and operator scope are committed, and run to its end.
 */
public final class RetainedCheckpointRescale {

    /** Records in the keyed state of the first job before its checkpoint. */
    private static final long RECORDS_BEFORE_CHECKPOINT = 1_000;

    private final MiniCluster cluster;
    private final InMemoryReporter reporter;
    private final Configuration config;
    private final long records;
    private final double recordsPerSecond;

    /**
     * @param config the job configuration of the test (backend, local recovery, checkpoints)
     */
    public RetainedCheckpointRescale(
            MiniCluster cluster,
            InMemoryReporter reporter,
            Configuration config,
            long records,
            double recordsPerSecond) {
        this.cluster = cluster;
        this.reporter = reporter;
        this.config = new Configuration(config);
        // the checkpoints and their local copies outlive the cancelled job
        this.config.set(
                CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        // checkpoints triggered by the test only
        this.config.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofDays(1));
        this.config.set(LocalRecoveryOptions.RELEASED_COPIES_LIFETIME, Duration.ofMinutes(10));
        this.records = records;
        this.recordsPerSecond = recordsPerSecond;
    }

    /** What a rescale did: the first job, the restored checkpoint and the second job's run. */
    public static final class Result {
        public final JobID firstJob;
        public final long restoredCheckpoint;
        public final JobRun rescaled;

        Result(JobID firstJob, long restoredCheckpoint, JobRun rescaled) {
            this.firstJob = firstJob;
            this.restoredCheckpoint = restoredCheckpoint;
            this.rescaled = rescaled;
        }
    }

    /** Runs the first job with {@code from} subtasks, then the restored one with {@code to}. */
    public Result run(int from, int to) throws Exception {
        FailureTrigger.reset(Integer.MAX_VALUE);
        Configuration first = new Configuration(config);
        first.set(CoreOptions.DEFAULT_PARALLELISM, from);
        StreamExecutionEnvironment env = FlinkLineJobEnvironment.of(first);
        StatefulTestJob.build(env, records, recordsPerSecond).sinkTo(new DiscardingSink<>());
        JobClient client = env.executeAsync("rescale-from-" + from);
        JobID firstJob = client.getJobID();
        // the rules source finishes at once
        CommonTestUtils.waitForAllTaskRunning(cluster, firstJob, true);
        waitUntil(
                () -> keyedRecordsIn(firstJob) >= RECORDS_BEFORE_CHECKPOINT,
                RECORDS_BEFORE_CHECKPOINT + " records in the keyed state of the first job");
        // the only checkpoint (periodic ones are a day apart): the one the second job restores
        String path = triggerCheckpoint(firstJob);
        long checkpointId = LocalRecoveryJobRuns.latestCompletedCheckpointId(cluster, firstJob);
        waitUntil(
                () -> LocalRecoveryJobRuns.noPendingLocalCheckpoints(firstJob),
                "the local copies of checkpoint " + checkpointId + " to be committed");
        client.cancel().get();
        waitUntil(
                () -> Waits.status(client) == JobStatus.CANCELED, "the first job to be cancelled");

        Configuration second = new Configuration(config);
        second.set(CoreOptions.DEFAULT_PARALLELISM, to);
        second.set(StateRecoveryOptions.SAVEPOINT_PATH, path);
        // no checkpoint of its own: after a scale-out one source subtask may have no split and
        // finish at once, and Flink declines checkpoints of a job whose union-list operator is
        // partly finished (PartialFinishingNotSupportedByStateException)
        second.removeConfig(CheckpointingOptions.CHECKPOINTING_INTERVAL);
        JobRun rescaled =
                LocalRecoveryJobRuns.run(
                        second, records, recordsPerSecond, "rescale-to-" + to, null);
        return new Result(firstJob, checkpointId, rescaled);
    }

    /**
     * Triggers a checkpoint until one completes: a checkpoint that meets the finishing rules source
     * is declined ("task is closing"), the next one is not.
     */
    private String triggerCheckpoint(JobID jobId) throws Exception {
        Deadline deadline = Deadline.fromNow(Waits.TIMEOUT);
        while (true) {
            try {
                return cluster.triggerCheckpoint(jobId).get();
            } catch (ExecutionException e) {
                if (!ExceptionUtils.findThrowable(e, CheckpointException.class).isPresent()
                        || deadline.isOverdue()) {
                    throw e;
                }
            }
        }
    }

    private long keyedRecordsIn(JobID jobId) {
        return InPlaceRescale.keyedRecordsIn(reporter, jobId);
    }

    /**
     * Asserts, from the plugin's metrics, that every keyed subtask of the rescaled job restored
     * once and only from local copies (no remote byte, no fallback), and that the operator state
     * (list, union-list and broadcast, redistributed) was restored locally too.
     */
    public static void assertRestoredOnlyFromLocalCopies(
            InMemoryReporter reporter, JobID jobId, int parallelism) {
        List<TaskAttempt> attempts = LocalRecoveryMetricsReader.read(reporter, jobId);
        long operatorStateLocal = 0;
        int keyed = 0;
        for (TaskAttempt attempt : attempts) {
            assertThat(attempt.attempt).as("%s: no failure", attempt).isZero();
            InPlaceRescale.assertNothingRemote(attempt);
            // a task is named after its chain: with parallelism 1 the collecting sink joins the
            // keyed one
            if (attempt.taskName.startsWith(StatefulTestJob.KEYED_OPERATOR)) {
                keyed++;
                assertThat(attempt.get(LocalRecoveryMetrics.RESTORES_LOCAL))
                        .as("%s", attempt)
                        .isOne();
                assertThat(attempt.get(LocalRecoveryMetrics.RESTORED_BYTES_LOCAL))
                        .as("%s", attempt)
                        .isPositive();
                InPlaceRescale.assertLocalRescaleRestore(attempt);
            } else if (attempt.taskName.startsWith(StatefulTestJob.OPERATOR_STATE_OPERATOR)) {
                operatorStateLocal += attempt.get(LocalRecoveryMetrics.RESTORES_LOCAL);
            }
        }
        assertThat(keyed).as("keyed subtasks with metrics").isEqualTo(parallelism);
        assertThat(operatorStateLocal).as("local restores of the operator state").isPositive();
    }
}
