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
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.executiongraph.AccessExecutionJobVertex;
import org.apache.flink.runtime.jobgraph.JobResourceRequirements;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.CommonTestUtils;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.util.Preconditions;

import io.flinklocalrecovery.core.metrics.LocalRecoveryMetrics;
import io.flinklocalrecovery.testutils.flinkline.FlinkLineAdaptiveScheduler;
import io.flinklocalrecovery.testutils.metrics.LocalRecoveryMetricsReader;
import io.flinklocalrecovery.testutils.metrics.LocalRecoveryMetricsReader.TaskAttempt;
import io.flinklocalrecovery.testutils.minicluster.LocalRecoveryJobRuns.JobRun;
import org.junit.jupiter.api.Assumptions;

import static io.flinklocalrecovery.testutils.minicluster.Waits.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * In-place rescaling by Flink's adaptive scheduler on a MiniCluster: {@link StatefulTestJob} starts
 * with one parallelism, and once its keyed state holds records and checkpoints completed, its
 * resource requirements are changed (as the REST API's {@code PUT /jobs/<id>/resource-requirements}
 * and the autoscaler do), once per step: the scheduler restarts it with the new parallelism from
 * its newest checkpoint, on the same TaskManager. The job then runs to its end.
 */
public final class InPlaceRescale {

    /** Records in the keyed state before the first rescale. */
    private static final long RECORDS_BEFORE_RESCALE = 1_000;

    /** Checkpoints completed before each rescale (it restores from the newest). */
    private static final int CHECKPOINTS_BEFORE_EACH_RESCALE = 2;

    private final MiniCluster cluster;
    private final InMemoryReporter reporter;
    private final Configuration config;
    private final long records;
    private final double recordsPerSecond;

    public InPlaceRescale(
            MiniCluster cluster,
            InMemoryReporter reporter,
            Configuration config,
            long records,
            double recordsPerSecond) {
        this.cluster = cluster;
        this.reporter = reporter;
        this.config = config;
        this.records = records;
        this.recordsPerSecond = recordsPerSecond;
    }

    /**
     * A MiniCluster configuration with the adaptive scheduler, rescaling as soon as the resource
     * requirements change.
     */
    public static Configuration withAdaptiveScheduler(Configuration cluster) {
        return FlinkLineAdaptiveScheduler.rescalingAtOnce(cluster);
    }

    /**
     * Runs the job with {@code parallelisms[0]} subtasks and rescales it in place to each of the
     * following parallelisms in turn.
     */
    public JobRun run(int... parallelisms) throws Exception {
        Assumptions.assumeTrue(
                FlinkLineAdaptiveScheduler.IN_PLACE_RESCALE,
                "in-place rescaling of a MiniCluster job needs Flink 2.x");
        for (int parallelism : parallelisms) {
            Preconditions.checkArgument(parallelism > 1, "the parallel vertices are told by it");
        }
        FailureTrigger.reset(Integer.MAX_VALUE);
        Configuration job = new Configuration(config);
        job.set(CoreOptions.DEFAULT_PARALLELISM, parallelisms[0]);
        return LocalRecoveryJobRuns.run(
                job,
                records,
                recordsPerSecond,
                "in-place-rescale",
                (client, jobId) -> {
                    CommonTestUtils.waitForAllTaskRunning(cluster, jobId, true);
                    waitUntil(
                            () -> keyedRecordsIn(jobId) >= RECORDS_BEFORE_RESCALE,
                            RECORDS_BEFORE_RESCALE + " records in the keyed state");
                    for (int step = 1; step < parallelisms.length; step++) {
                        int checkpoints = FailureTrigger.completedCheckpoints();
                        waitUntil(
                                () ->
                                        FailureTrigger.completedCheckpoints()
                                                >= checkpoints + CHECKPOINTS_BEFORE_EACH_RESCALE,
                                "checkpoints before the rescale to " + parallelisms[step]);
                        rescale(jobId, parallelisms[step]);
                    }
                });
    }

    /**
     * Sets the parallelism of the job's parallel vertices (those running with the keyed one's
     * parallelism) and waits until the job runs so; the non-parallel ones (the rules source, the
     * collecting sink) keep theirs.
     */
    private void rescale(JobID jobId, int parallelism) throws Exception {
        AccessExecutionGraph graph = cluster.getExecutionGraph(jobId).get();
        int current = keyedParallelism(jobId);
        JobResourceRequirements.Builder requirements = JobResourceRequirements.newBuilder();
        for (AccessExecutionJobVertex vertex : graph.getAllVertices().values()) {
            int target = vertex.getParallelism() == current ? parallelism : vertex.getParallelism();
            requirements.setParallelismForJobVertex(vertex.getJobVertexId(), target, target);
        }
        FlinkLineAdaptiveScheduler.updateJobResourceRequirements(
                cluster, jobId, requirements.build());
        waitUntil(
                () -> keyedParallelism(jobId) == parallelism,
                "the adaptive scheduler to rescale the job to " + parallelism);
        CommonTestUtils.waitForAllTaskRunning(cluster, jobId, true);
    }

    private int keyedParallelism(JobID jobId) {
        try {
            for (AccessExecutionJobVertex vertex :
                    cluster.getExecutionGraph(jobId).get().getAllVertices().values()) {
                if (vertex.getName().startsWith(StatefulTestJob.KEYED_OPERATOR)) {
                    return vertex.getParallelism();
                }
            }
            return -1;
        } catch (Exception e) {
            return -1;
        }
    }

    private long keyedRecordsIn(JobID jobId) {
        return keyedRecordsIn(reporter, jobId);
    }

    /** Records the keyed operator of {@link StatefulTestJob} received, over all its subtasks. */
    static long keyedRecordsIn(InMemoryReporter reporter, JobID jobId) {
        return reporter.findOperatorMetricGroups(jobId, StatefulTestJob.KEYED_OPERATOR).stream()
                .mapToLong(o -> o.getIOMetricGroup().getNumRecordsInCounter().getCount())
                .sum();
    }

    /** Asserts that a task attempt read nothing from the checkpoint storage and fell back never. */
    static void assertNothingRemote(TaskAttempt attempt) {
        assertThat(attempt.get(LocalRecoveryMetrics.RESTORES_REMOTE)).as("%s", attempt).isZero();
        assertThat(attempt.get(LocalRecoveryMetrics.RESTORES_MIXED)).as("%s", attempt).isZero();
        assertThat(attempt.get(LocalRecoveryMetrics.FALLBACKS)).as("%s", attempt).isZero();
        assertThat(attempt.get(LocalRecoveryMetrics.RESTORED_BYTES_REMOTE))
                .as("%s", attempt)
                .isZero();
    }

    /**
     * Asserts that a keyed task attempt's rescale restore, if its handles show one (a heap
     * subtask's range within one old subtask's looks unchanged, see {@code KeyedRescale}), is
     * counted once, with every byte of it read from local copies.
     */
    static void assertLocalRescaleRestore(TaskAttempt attempt) {
        long rescales = attempt.get(LocalRecoveryMetrics.RESCALE_RESTORES);
        assertThat(rescales).as("%s", attempt).isBetween(0L, 1L);
        assertThat(attempt.get(LocalRecoveryMetrics.RESCALE_RESTORED_BYTES_LOCAL))
                .as("%s", attempt)
                .isEqualTo(
                        rescales == 0 ? 0 : attempt.get(LocalRecoveryMetrics.RESTORED_BYTES_LOCAL));
        assertThat(attempt.get(LocalRecoveryMetrics.RESCALE_RESTORED_BYTES_REMOTE))
                .as("%s", attempt)
                .isZero();
    }

    /**
     * Asserts, from the plugin's metrics, that the keyed subtasks restored at least {@code
     * restores} times (one per subtask of each rescaled parallelism) and every time from local
     * copies only, and that no restore of the job read the checkpoint storage. With {@code
     * rescaled}, every keyed restore must count as a local rescale restore; without, none may (a
     * restart with unchanged parallelism is no rescale).
     */
    public static void assertEveryRestoreLocal(
            InMemoryReporter reporter, JobID jobId, int restores, boolean rescaled) {
        int keyedRestores = 0;
        for (TaskAttempt attempt : LocalRecoveryMetricsReader.read(reporter, jobId)) {
            assertNothingRemote(attempt);
            if (attempt.taskName.startsWith(StatefulTestJob.KEYED_OPERATOR)
                    && attempt.restores() > 0) {
                keyedRestores++;
                assertThat(attempt.get(LocalRecoveryMetrics.RESTORED_BYTES_LOCAL))
                        .as("%s", attempt)
                        .isPositive();
                if (rescaled) {
                    assertLocalRescaleRestore(attempt);
                } else {
                    assertThat(attempt.get(LocalRecoveryMetrics.RESCALE_RESTORES))
                            .as("%s", attempt)
                            .isZero();
                }
            }
        }
        assertThat(keyedRestores).as("restores of keyed subtasks").isGreaterThanOrEqualTo(restores);
    }
}
