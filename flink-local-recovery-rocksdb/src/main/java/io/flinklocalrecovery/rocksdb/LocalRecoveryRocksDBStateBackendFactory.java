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

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.IllegalConfigurationException;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.runtime.state.StateBackendFactory;

import io.flinklocalrecovery.core.config.FactorySettings;
import io.flinklocalrecovery.core.config.LocalRecoverySettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the embedded RocksDB state backend with this plugin's task-local recovery. Configure it
 * with {@code state.backend.type:
 * io.flinklocalrecovery.rocksdb.LocalRecoveryRocksDBStateBackendFactory}. Every RocksDB option
 * ({@code state.backend.rocksdb.*}, {@code execution.checkpointing.incremental}, managed memory) is
 * read by Flink's own RocksDB factory, exactly as without the plugin.
 *
 * <p>Cheap and free of side effects: it runs on the JobManager and in every task; directories are
 * only touched by the tasks, when local copies are written.
 */
@PublicEvolving
public class LocalRecoveryRocksDBStateBackendFactory
        implements StateBackendFactory<LocalRecoveryRocksDBStateBackend> {

    private static final Logger LOG =
            LoggerFactory.getLogger(LocalRecoveryRocksDBStateBackendFactory.class);

    @Override
    public LocalRecoveryRocksDBStateBackend createFromConfig(
            ReadableConfig config, ClassLoader classLoader) throws IllegalConfigurationException {
        LocalRecoverySettings settings = FactorySettings.read(config, LOG);
        LocalRecoveryRocksDBStateBackend backend =
                new LocalRecoveryRocksDBStateBackend(
                        RocksDBBackends.fromConfig(config, classLoader), settings);
        LOG.debug("Created the RocksDB state backend with {}", settings);
        return backend;
    }
}
