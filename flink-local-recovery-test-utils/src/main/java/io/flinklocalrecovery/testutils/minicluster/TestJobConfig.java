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

import org.apache.flink.configuration.Configuration;

import io.flinklocalrecovery.core.config.LocalRecoveryOptions;

import java.nio.file.Path;
import java.time.Duration;

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
        config.setString("state.backend.type", backendFactory);
        config.setString("state.backend.local-recovery", mode);
        config.setString("execution.state-recovery.from-local", "true");
        config.setString("execution.checkpointing.local-backup.enabled", "false");
        config.setString("state.backend.local-recovery.dirs", localDir.toString());
        config.setString(
                "state.backend.local-recovery.retained-checkpoints", String.valueOf(retained));
        config.setString("execution.checkpointing.dir", checkpointDir);
        config.setString("execution.checkpointing.interval", "100 ms");
        config.setString("execution.checkpointing.data-inline-threshold", "0 b");
        config.setString("restart-strategy.type", "fixed-delay");
        config.setString("restart-strategy.fixed-delay.attempts", "5");
        config.setString("restart-strategy.fixed-delay.delay", "0 s");
        config.setString("parallelism.default", "2");
        // the tests check that nothing is left once a job has ended; how long the copies of a job
        // that left are kept has tests of its own
        config.set(LocalRecoveryOptions.RELEASED_COPIES_LIFETIME, Duration.ZERO);
        return config;
    }
}
