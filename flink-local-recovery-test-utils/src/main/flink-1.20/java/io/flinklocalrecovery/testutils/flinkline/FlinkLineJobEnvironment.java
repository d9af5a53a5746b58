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
package io.flinklocalrecovery.testutils.flinkline;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.fs.Path;
import org.apache.flink.runtime.state.storage.FileSystemCheckpointStorage;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The environment of a test job with the given job configuration (Flink 1.20). Flink 1.20 turns a
 * job's {@code state.checkpoints.dir} into a checkpoint storage defined by the application and
 * configures that with the <em>cluster</em> configuration only ({@code CheckpointStorageLoader},
 * "for backwards compatibility"), so the job's inline threshold would be lost: the storage is set
 * here with the job's threshold, as the job configuration means it on Flink 2.x.
 */
public final class FlinkLineJobEnvironment {

    private FlinkLineJobEnvironment() {}

    public static StreamExecutionEnvironment of(Configuration jobConfig) {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(jobConfig);
        String checkpointDir = jobConfig.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY);
        if (checkpointDir != null
                && jobConfig
                        .getOptional(CheckpointingOptions.FS_SMALL_FILE_THRESHOLD)
                        .isPresent()) {
            env.getCheckpointConfig()
                    .setCheckpointStorage(
                            new FileSystemCheckpointStorage(
                                    new Path(checkpointDir),
                                    (int)
                                            jobConfig
                                                    .get(
                                                            CheckpointingOptions
                                                                    .FS_SMALL_FILE_THRESHOLD)
                                                    .getBytes(),
                                    -1));
        }
        return env;
    }
}
