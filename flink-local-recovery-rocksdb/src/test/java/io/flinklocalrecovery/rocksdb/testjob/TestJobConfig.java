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
package io.flinklocalrecovery.rocksdb.testjob;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;

import io.flinklocalrecovery.rocksdb.LocalRecoveryRocksDBStateBackendFactory;

import java.nio.file.Path;

/** The shared test job configuration with the RocksDB backend of the plugin. */
public final class TestJobConfig {

    private TestJobConfig() {}

    public static Configuration rocksDBLocalRecovery(
            String mode,
            int retained,
            boolean incremental,
            String timerService,
            Path localDir,
            String checkpointDir) {
        Configuration config =
                io.flinklocalrecovery.testutils.minicluster.TestJobConfig.localRecovery(
                        LocalRecoveryRocksDBStateBackendFactory.class.getName(),
                        mode,
                        retained,
                        localDir,
                        checkpointDir);
        config.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, incremental);
        // RocksDBOptions moves between Flink lines (its package): the key as config.yaml has it
        config.setString("state.backend.rocksdb.timer-service.factory", timerService);
        return config;
    }
}
