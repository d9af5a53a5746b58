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

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.IllegalConfigurationException;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.runtime.state.StateBackendFactory;
import org.apache.flink.runtime.state.filesystem.FsStateBackend;
import org.apache.flink.runtime.state.filesystem.FsStateBackendFactory;

import io.flinklocalrecovery.core.config.FactorySettings;
import io.flinklocalrecovery.core.config.LocalRecoverySettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates Flink 1.20's {@link FsStateBackend} with this plugin's task-local recovery. Configure it
 * with {@code state.backend.type: io.flinklocalrecovery.fs.LocalRecoveryFsStateBackendFactory} and
 * {@code state.checkpoints.dir}; as Flink's own factory, it refuses a configuration without a
 * checkpoint directory rather than keep checkpoints in the JobManager's memory.
 *
 * <p>Cheap and free of side effects: it runs on the JobManager and in every task.
 */
@PublicEvolving
@SuppressWarnings("deprecation")
public class LocalRecoveryFsStateBackendFactory
        implements StateBackendFactory<LocalRecoveryFsStateBackend> {

    private static final Logger LOG =
            LoggerFactory.getLogger(LocalRecoveryFsStateBackendFactory.class);

    @Override
    public LocalRecoveryFsStateBackend createFromConfig(
            ReadableConfig config, ClassLoader classLoader) throws IllegalConfigurationException {
        LocalRecoverySettings settings = FactorySettings.read(config, LOG);
        FsStateBackend delegate = new FsStateBackendFactory().createFromConfig(config, classLoader);
        LOG.debug("Created the FsStateBackend {} with {}", delegate, settings);
        return new LocalRecoveryFsStateBackend(delegate, settings);
    }
}
