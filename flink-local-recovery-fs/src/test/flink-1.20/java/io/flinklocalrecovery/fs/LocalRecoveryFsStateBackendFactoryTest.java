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

import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.IllegalConfigurationException;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.runtime.state.CheckpointStorage;
import org.apache.flink.runtime.state.CheckpointStorageLoader;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.StateBackendLoader;
import org.apache.flink.runtime.state.filesystem.FsCheckpointStorageAccess;
import org.apache.flink.runtime.state.filesystem.FsStateBackend;

import io.flinklocalrecovery.core.config.LocalRecoveryMode;
import io.flinklocalrecovery.core.config.LocalRecoveryOptions;
import io.flinklocalrecovery.core.config.LocalRecoverySettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Tests for {@link LocalRecoveryFsStateBackendFactory} and its checkpoint storage (Flink 1.20). */
@SuppressWarnings("deprecation")
class LocalRecoveryFsStateBackendFactoryTest {

    @TempDir Path dir;

    private Configuration pluginConfig() {
        Configuration config = new Configuration();
        config.setString(
                StateBackendOptions.STATE_BACKEND.key(),
                LocalRecoveryFsStateBackendFactory.class.getName());
        config.setString(LocalRecoveryOptions.LOCAL_RECOVERY.key(), "ENABLE_FILE_BASED");
        config.setString("execution.state-recovery.from-local", "true");
        config.setString("execution.checkpointing.local-backup.enabled", "false");
        return config;
    }

    @Test
    void stateBackendTypeLoadsTheWrappedFsStateBackend() throws Exception {
        Configuration config = pluginConfig();
        config.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir.toUri().toString());

        StateBackend backend =
                StateBackendLoader.loadStateBackendFromConfig(
                        config, getClass().getClassLoader(), null);

        assertThat(backend).isInstanceOf(LocalRecoveryFsStateBackend.class);
        LocalRecoveryFsStateBackend ours = (LocalRecoveryFsStateBackend) backend;
        assertThat(ours.getDelegate()).isInstanceOf(FsStateBackend.class);
        assertThat(ours.getSettings().getMode()).isEqualTo(LocalRecoveryMode.ENABLE_FILE_BASED);
        assertThat(Path.of(((FsStateBackend) ours.getDelegate()).getCheckpointPath().toUri()))
                .isEqualTo(dir);
    }

    @Test
    void theJobKeepsTheCheckpointDirectoryOfTheConfiguration() throws Exception {
        Configuration config = pluginConfig();
        config.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir.toUri().toString());
        StateBackend backend =
                new LocalRecoveryFsStateBackendFactory()
                        .createFromConfig(config, getClass().getClassLoader());

        CheckpointStorage storage =
                CheckpointStorageLoader.load(
                        null,
                        backend,
                        new Configuration(),
                        config,
                        getClass().getClassLoader(),
                        null);

        assertThat(storage).isSameAs(backend);
        assertThat(storage.createCheckpointStorage(new JobID()))
                .isInstanceOf(FsCheckpointStorageAccess.class);
    }

    @Test
    void aBackendSetInTheProgramKeepsItsOwnCheckpointDirectory() throws Exception {
        Path own = dir.resolve("own");
        LocalRecoveryFsStateBackend backend =
                new LocalRecoveryFsStateBackend(
                        new FsStateBackend(own.toUri()),
                        LocalRecoverySettings.fromConfig(pluginConfig()));
        Configuration cluster = new Configuration();
        cluster.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir.toUri().toString());

        CheckpointStorage storage =
                CheckpointStorageLoader.load(
                        null,
                        backend,
                        new Configuration(),
                        cluster,
                        getClass().getClassLoader(),
                        null);

        assertThat(storage).isSameAs(backend);
        JobID job = new JobID();
        storage.createCheckpointStorage(job).initializeBaseLocationsForCheckpoint();
        assertThat(own.resolve(job.toString())).isDirectory();
        assertThat(dir.resolve(job.toString())).doesNotExist();
    }

    @Test
    void withoutACheckpointDirectoryItRefusesToStart() {
        assertThatThrownBy(
                        () ->
                                new LocalRecoveryFsStateBackendFactory()
                                        .createFromConfig(
                                                pluginConfig(), getClass().getClassLoader()))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessageContaining(CheckpointingOptions.CHECKPOINTS_DIRECTORY.key());
    }

    @Test
    void theConfigTrapIsRefusedWithTheFix() {
        Configuration config = new Configuration();
        config.setString(LocalRecoveryOptions.LOCAL_RECOVERY.key(), "ENABLE_FILE_BASED");
        config.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir.toUri().toString());

        assertThatThrownBy(
                        () ->
                                new LocalRecoveryFsStateBackendFactory()
                                        .createFromConfig(config, getClass().getClassLoader()))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessageContaining("execution.state-recovery.from-local: true")
                .hasMessageContaining("execution.checkpointing.local-backup.enabled: false");
    }
}
