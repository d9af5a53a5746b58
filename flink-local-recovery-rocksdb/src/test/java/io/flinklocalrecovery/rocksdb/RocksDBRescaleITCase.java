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

import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;

import io.flinklocalrecovery.core.backend.LocalRecoveryRuntime;
import io.flinklocalrecovery.rocksdb.testjob.TestJobConfig;
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
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rescaling a RocksDB job through its retained checkpoint on one TaskManager: cancelled with one
 * parallelism, submitted again with another, it restores every subtask from local copies only. A
 * scale-in (and the uneven 3 to 2) merges several RocksDB handles per subtask; a scale-out clips
 * one wider handle; both with incremental and with full checkpoints. Output exact, restore sources
 * from the plugin's metrics.
 */
class RocksDBRescaleITCase {

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

    @ParameterizedTest(name = "{0} -> {1}, incremental = {2}")
    @CsvSource({
        "2, 1, true",
        "1, 2, true",
        "3, 2, true",
        "2, 1, false",
        "1, 2, false",
        "3, 2, false"
    })
    void rescalesThroughARetainedCheckpointFromLocalCopiesOnly(
            int from, int to, boolean incremental, @InjectMiniCluster MiniCluster miniCluster)
            throws Exception {
        Configuration config =
                TestJobConfig.rocksDBLocalRecovery(
                        "ENABLE_FILE_BASED",
                        1,
                        incremental,
                        "ROCKSDB",
                        tmp.resolve("local"),
                        tmp.resolve("checkpoints").toUri().toString());

        RetainedCheckpointRescale.Result result =
                new RetainedCheckpointRescale(miniCluster, REPORTER, config, RECORDS, RATE)
                        .run(from, to);

        assertThat(result.rescaled.output).isEqualTo(StatefulTestJob.expectedOutput(RECORDS));
        RetainedCheckpointRescale.assertRestoredOnlyFromLocalCopies(
                REPORTER, result.rescaled.jobId, to);
    }

    /**
     * 4 -> 2 (each subtask merges two RocksDB handles), then 2 -> 3 (uneven): in place, same
     * TaskManager.
     */
    @ParameterizedTest(name = "incremental = {0}")
    @ValueSource(booleans = {true, false})
    void rescalesInPlaceUnderTheAdaptiveSchedulerFromLocalCopiesOnly(
            boolean incremental, @InjectMiniCluster MiniCluster miniCluster) throws Exception {
        Configuration config =
                TestJobConfig.rocksDBLocalRecovery(
                        "ENABLE_FILE_BASED",
                        1,
                        incremental,
                        "ROCKSDB",
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
                        TestJobConfig.rocksDBLocalRecovery(
                                "ENABLE_FILE_BASED",
                                1,
                                true,
                                "ROCKSDB",
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
