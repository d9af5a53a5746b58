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
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.executiongraph.AccessExecution;
import org.apache.flink.runtime.executiongraph.AccessExecutionJobVertex;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.executiongraph.ArchivedExecutionGraph;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.CommonTestUtils;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;

import io.flinklocalrecovery.testutils.flinkline.FlinkLineJobEnvironment;
import io.flinklocalrecovery.testutils.minicluster.InPlaceRescale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.flinklocalrecovery.testutils.minicluster.Waits.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the rescale tests take for granted from {@link InPlaceRescale#withAdaptiveScheduler}: a job
 * submitted while fewer slots than its parallelism are free waits for the rest instead of starting
 * on the first slot offered and rescaling (restarting) when the others come. Started on one slot,
 * the job's tasks would be on attempt 1 after the second TaskManager came, and the rescale tests'
 * "no failure" assertion failed on a busy machine (Flink 1.20, whose adapter once set the
 * stabilization timeout to zero).
 */
class AdaptiveSchedulerStartITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setConfiguration(
                                    InPlaceRescale.withAdaptiveScheduler(new Configuration()))
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(1)
                            .build());

    @Test
    void aJobWaitsForItsDesiredSlotsBeforeItStarts(@InjectMiniCluster MiniCluster miniCluster)
            throws Exception {
        StreamExecutionEnvironment env = FlinkLineJobEnvironment.of(new Configuration());
        env.setParallelism(2);
        env.fromSource(
                        new DataGeneratorSource<>(
                                index -> index,
                                Long.MAX_VALUE,
                                RateLimiterStrategy.perSecond(10),
                                Types.LONG),
                        WatermarkStrategy.noWatermarks(),
                        "paced")
                .sinkTo(new DiscardingSink<>());
        JobClient client = env.executeAsync("two-subtasks-on-one-slot");
        JobID jobId = client.getJobID();
        try {
            // the one slot is the job's (enough to run it, not its desired parallelism) before
            // the second TaskManager comes
            waitUntil(
                    () -> miniCluster.requestClusterOverview().join().getNumSlotsAvailable() == 0,
                    "the job to hold the only slot");
            miniCluster.startTaskManager();
            CommonTestUtils.waitForAllTaskRunning(miniCluster, jobId, false);

            ArchivedExecutionGraph graph = miniCluster.getArchivedExecutionGraph(jobId).get();
            for (AccessExecutionJobVertex vertex : graph.getAllVertices().values()) {
                assertThat(vertex.getParallelism()).as("%s", vertex.getName()).isEqualTo(2);
                for (AccessExecutionVertex subtask : vertex.getTaskVertices()) {
                    AccessExecution attempt = subtask.getCurrentExecutionAttempt();
                    assertThat(attempt.getAttemptNumber())
                            .as("%s: started once", subtask.getTaskNameWithSubtaskIndex())
                            .isZero();
                }
            }
        } finally {
            client.cancel().get();
        }
    }
}
