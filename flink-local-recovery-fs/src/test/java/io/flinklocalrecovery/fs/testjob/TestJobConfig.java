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
package io.flinklocalrecovery.fs.testjob;

import org.apache.flink.configuration.Configuration;

import io.flinklocalrecovery.fs.LocalRecoveryHashMapStateBackendFactory;

import java.nio.file.Path;

/** The shared test job configuration with the heap backend of the plugin. */
public final class TestJobConfig {

    private TestJobConfig() {}

    public static Configuration heapLocalRecovery(
            String mode, int retained, Path localDir, String checkpointDir) {
        return io.flinklocalrecovery.testutils.minicluster.TestJobConfig.localRecovery(
                LocalRecoveryHashMapStateBackendFactory.class.getName(),
                mode,
                retained,
                localDir,
                checkpointDir);
    }
}
