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

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;

import io.flinklocalrecovery.core.config.LocalRecoveryOptions;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The job configuration the integration tests share: the documented setup, fast checkpoints. */
public final class TestJobConfig {

    private TestJobConfig() {}

    /**
     * The documented setup for the given state backend factory, with every non-empty state stream
     * written as a file (so every handle can have a local copy) and checkpoints every 100 ms.
     */
    public static Configuration localRecovery(
            String backendFactory, String mode, int retained, Path localDir, String checkpointDir) {
        Configuration config = new Configuration();
        config.set(StateBackendOptions.STATE_BACKEND, backendFactory);
        config.set(LocalRecoveryOptions.LOCAL_RECOVERY, mode);
        config.set(StateRecoveryOptions.LOCAL_RECOVERY, true);
        config.set(CheckpointingOptions.LOCAL_BACKUP_ENABLED, false);
        config.set(LocalRecoveryOptions.LOCAL_DIRECTORIES, List.of(localDir.toString()));
        config.set(LocalRecoveryOptions.RETAINED_CHECKPOINTS, retained);
        config.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointDir);
        config.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(100));
        config.set(CheckpointingOptions.FS_SMALL_FILE_THRESHOLD, MemorySize.ZERO);
        config.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 5);
        config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ZERO);
        config.set(CoreOptions.DEFAULT_PARALLELISM, 2);
        // the tests check that nothing is left once a job has ended; how long the copies of a job
        // that left are kept has tests of its own
        config.set(LocalRecoveryOptions.RELEASED_COPIES_LIFETIME, Duration.ZERO);
        return config;
    }
}
