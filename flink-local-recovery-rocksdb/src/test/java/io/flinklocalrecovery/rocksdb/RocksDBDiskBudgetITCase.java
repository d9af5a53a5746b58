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
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;

import io.flinklocalrecovery.core.backend.LocalRecoveryRuntime;
import io.flinklocalrecovery.rocksdb.testjob.TestJobConfig;
import io.flinklocalrecovery.testutils.minicluster.DiskBudgetScenarios;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The RocksDB backend (incremental checkpoints, hard-linked native copies) under a disk budget far
 * below its state: checkpoints go on, no task restarts but for the injected failure, the bytes held
 * never exceed the limit, evictions and refused copies are counted, and the restore is local
 * wherever the newest copy fit.
 */
class RocksDBDiskBudgetITCase {

    private static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setConfiguration(REPORTER.addToConfiguration(new Configuration()))
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(4)
                            .build());

    /**
     * The keyed state grows with every record; each native copy also holds RocksDB's OPTIONS and
     * MANIFEST files, some kilobytes.
     */
    private static final long RECORDS = 12_000;

    /**
     * Far below the state: room for the operator copies and, at first, the keyed ones (about 60 KB
     * each).
     */
    private static final MemorySize LIMIT = MemorySize.parse("160kb");

    @TempDir Path tmp;

    private MiniCluster miniCluster;

    @BeforeEach
    void setUp(@InjectMiniCluster MiniCluster miniCluster) {
        this.miniCluster = miniCluster;
    }

    @AfterEach
    void tearDown() {
        LocalRecoveryRuntime.shutDownAll();
    }

    @Test
    void aSizeLimitFarBelowTheStateCostsNoCheckpointAndNoTask() throws Exception {
        scenarios().underASizeLimit(config(tmp.resolve("local")), LIMIT);
    }

    /**
     * The local directory on a 256 KB tmpfs with a 128 KB reserve' (RocksDB's working directory is
     * elsewhere: the native copies are copied in, not linked): the reserve, read from the real file
     * system, keeps the copies to what is left; nothing else changes.
     */
    @Test
    void aReserveOnASmallFileSystemCostsNoCheckpointAndNoTask() throws Exception {
        scenarios()
                .withAReserveOnASmallFileSystem(
                        tmp.resolve("small-disk"), "256k", MemorySize.parse("128kb"), this::config);
    }

    private DiskBudgetScenarios scenarios() {
        return new DiskBudgetScenarios(miniCluster, REPORTER, RECORDS);
    }

    private Configuration config(Path localDir) {
        Configuration config =
                TestJobConfig.rocksDBLocalRecovery(
                        "ENABLE_FILE_BASED",
                        1,
                        true,
                        "ROCKSDB",
                        localDir,
                        tmp.resolve("checkpoints").toUri().toString());
        // time to note the local copies while the job waits to restart
        config.set(
                RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(2));
        return config;
    }
}
