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

import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;

import io.flinklocalrecovery.core.backend.LocalRecoveryRuntime;
import io.flinklocalrecovery.fs.testjob.TestJobConfig;
import io.flinklocalrecovery.testutils.minicluster.FailureTrigger;
import io.flinklocalrecovery.testutils.minicluster.InPlaceRescale;
import io.flinklocalrecovery.testutils.minicluster.LocalRecoveryJobRuns;
import io.flinklocalrecovery.testutils.minicluster.LocalRecoveryJobRuns.JobRun;
import io.flinklocalrecovery.testutils.minicluster.RetainedCheckpointRescale;
import io.flinklocalrecovery.testutils.minicluster.StatefulTestJob;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rescaling a heap job through its retained checkpoint on one TaskManager: cancelled with one
 * parallelism, submitted again with another, it restores every subtask from local copies only,
 * found by primary handle id: keyed state split or merged by key groups, operator list state
 * redistributed, union-list and broadcast state given to every subtask. Output exact, restore
 * sources from the plugin's metrics.
 */
class HeapRescaleITCase {

    private static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setConfiguration(
                                    InPlaceRescale.withAdaptiveScheduler(
                                            REPORTER.addToConfiguration(new Configuration())))
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(4)
                            .build());

    private static final long RECORDS = 6_000;
    private static final double RATE = 1_000;

    @TempDir Path tmp;

    @AfterEach
    void tearDown() {
        LocalRecoveryRuntime.shutDownAll();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"2, 1", "1, 2", "3, 2"})
    void rescalesThroughARetainedCheckpointFromLocalCopiesOnly(
            int from, int to, @InjectMiniCluster MiniCluster miniCluster) throws Exception {
        Configuration config =
                TestJobConfig.heapLocalRecovery(
                        "ENABLE_FILE_BASED",
                        1,
                        tmp.resolve("local"),
                        tmp.resolve("checkpoints").toUri().toString());

        RetainedCheckpointRescale.Result result =
                new RetainedCheckpointRescale(miniCluster, REPORTER, config, RECORDS, RATE)
                        .run(from, to);

        assertThat(result.rescaled.output).isEqualTo(StatefulTestJob.expectedOutput(RECORDS));
        RetainedCheckpointRescale.assertRestoredOnlyFromLocalCopies(
                REPORTER, result.rescaled.jobId, to);
    }

    /** 4 -> 2 (each subtask merges two), then 2 -> 3 (uneven): in place, same TaskManager. */
    @Test
    void rescalesInPlaceUnderTheAdaptiveSchedulerFromLocalCopiesOnly(
            @InjectMiniCluster MiniCluster miniCluster) throws Exception {
        Configuration config =
                TestJobConfig.heapLocalRecovery(
                        "ENABLE_FILE_BASED",
                        1,
                        tmp.resolve("local"),
                        tmp.resolve("checkpoints").toUri().toString());

        JobRun run = new InPlaceRescale(miniCluster, REPORTER, config, RECORDS, RATE).run(4, 2, 3);

        assertThat(run.output).isEqualTo(StatefulTestJob.expectedOutput(RECORDS));
        InPlaceRescale.assertEveryRestoreLocal(REPORTER, run.jobId, 2 + 3, true);
    }

    /** A task failure under the adaptive scheduler: its restart restores locally too. */
    @Test
    void restoresLocallyAfterAFailureUnderTheAdaptiveScheduler() throws Exception {
        FailureTrigger.reset(3);
        JobRun run =
                LocalRecoveryJobRuns.run(
                        TestJobConfig.heapLocalRecovery(
                                "ENABLE_FILE_BASED",
                                1,
                                tmp.resolve("local"),
                                tmp.resolve("checkpoints").toUri().toString()),
                        RECORDS,
                        RATE,
                        "adaptive-scheduler-failure",
                        null);

        assertThat(run.output).isEqualTo(StatefulTestJob.expectedOutput(RECORDS));
        assertThat(FailureTrigger.failures()).isOne();
        InPlaceRescale.assertEveryRestoreLocal(REPORTER, run.jobId, 2, false);
    }
}
