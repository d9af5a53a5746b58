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
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.MiniClusterExtension;

import io.flinklocalrecovery.core.backend.LocalRecoveryRuntime;
import io.flinklocalrecovery.core.store.LocalSnapshotScope;
import io.flinklocalrecovery.core.store.TaskLocalSnapshotStore;
import io.flinklocalrecovery.fs.testfs.FailingPrimaryFileSystem;
import io.flinklocalrecovery.fs.testjob.TestJobConfig;
import io.flinklocalrecovery.testutils.flinkline.FlinkLineJobEnvironment;
import io.flinklocalrecovery.testutils.minicluster.FailureTrigger;
import io.flinklocalrecovery.testutils.minicluster.OperatorStateRecorder;
import io.flinklocalrecovery.testutils.minicluster.StatefulTestJob;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.flinklocalrecovery.testutils.minicluster.Waits.status;
import static io.flinklocalrecovery.testutils.minicluster.Waits.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The primary copy is the ground truth: when the checkpoint storage fails, the checkpoint fails,
 * even though the local copy could be written, and no local copy of it is kept.
 */
class PrimaryStorageFailureITCase {

    private static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setConfiguration(REPORTER.addToConfiguration(new Configuration()))
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(4)
                            .build());

    @TempDir Path tmp;

    @BeforeAll
    static void registerFailingFileSystem() {
        FileSystem.initialize(new Configuration(), null);
    }

    @AfterEach
    void tearDown() {
        FailingPrimaryFileSystem.failStateFiles(false);
        LocalRecoveryRuntime.shutDownAll();
    }

    @Test
    void checkpointFailsWhenPrimaryFailsAndItsLocalCopyIsNotKept() throws Exception {
        FailureTrigger.reset(Integer.MAX_VALUE);
        OperatorStateRecorder.reset();
        Configuration config =
                TestJobConfig.heapLocalRecovery(
                        "ENABLE_FILE_BASED",
                        1,
                        tmp.resolve("local"),
                        FailingPrimaryFileSystem.SCHEME + "://" + tmp.resolve("checkpoints"));
        config.set(CheckpointingOptions.TOLERABLE_FAILURE_NUMBER, 1000);
        StreamExecutionEnvironment env = FlinkLineJobEnvironment.of(config);
        StatefulTestJob.build(env, Long.MAX_VALUE, 500).sinkTo(new DiscardingSink<>());
        JobClient client = env.executeAsync("primary-failure");
        JobID jobId = client.getJobID();
        try {
            waitUntil(() -> FailureTrigger.completedCheckpoints() >= 2, "two checkpoints");
            waitUntil(() -> committedLocalCheckpoints(jobId).size() > 0, "a local checkpoint");

            FailingPrimaryFileSystem.failStateFiles(true);
            long failedBefore = failedCheckpoints(jobId);
            waitUntil(
                    () -> failedCheckpoints(jobId) >= failedBefore + 3,
                    "three checkpoints failed by the primary storage");
            assertThat(FailingPrimaryFileSystem.injectedFailures()).isPositive();

            // every local checkpoint still held belongs to a checkpoint that completed
            waitUntil(
                    () ->
                            FailureTrigger.completedCheckpointIds()
                                    .containsAll(committedLocalCheckpoints(jobId)),
                    "only completed checkpoints to have local copies");
            assertThat(status(client)).isEqualTo(JobStatus.RUNNING);

            FailingPrimaryFileSystem.failStateFiles(false);
            int completedBefore = FailureTrigger.completedCheckpoints();
            waitUntil(
                    () -> FailureTrigger.completedCheckpoints() > completedBefore,
                    "checkpoints to complete again once the primary works");
        } finally {
            client.cancel().get();
        }
    }

    private static Set<Long> committedLocalCheckpoints(JobID jobId) {
        Set<Long> ids = new HashSet<>();
        for (LocalRecoveryRuntime runtime : LocalRecoveryRuntime.existing()) {
            TaskLocalSnapshotStore store = runtime.store();
            for (LocalSnapshotScope scope : store.scopes(jobId.toHexString())) {
                ids.addAll(store.committedCheckpoints(scope));
            }
        }
        return ids;
    }

    private static long failedCheckpoints(JobID jobId) {
        List<Tuple3<MetricGroup, String, Metric>> metrics =
                REPORTER.findJobMetricGroups(jobId, "numberOfFailedCheckpoints");
        long failed = 0;
        for (Tuple3<MetricGroup, String, Metric> metric : metrics) {
            if (metric.f2 instanceof Gauge) {
                failed = Math.max(failed, ((Number) ((Gauge<?>) metric.f2).getValue()).longValue());
            }
        }
        return failed;
    }
}
