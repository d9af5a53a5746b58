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

import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.runtime.execution.Environment;
import org.apache.flink.runtime.state.CheckpointableKeyedStateBackend;
import org.apache.flink.runtime.state.ConfigurableStateBackend;
import org.apache.flink.runtime.state.FileStateBackendTest;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.filesystem.FsStateBackend;
import org.apache.flink.util.TernaryBoolean;

import io.flinklocalrecovery.core.backend.LocalRecoveryRuntime;
import io.flinklocalrecovery.core.config.LocalRecoverySettings;
import io.flinklocalrecovery.testutils.backend.ConformanceSupport;
import io.flinklocalrecovery.testutils.backend.KeyedRestoreAudit;
import io.flinklocalrecovery.testutils.backend.SubtaskEnvironments;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Flink 1.20's own suite of the {@link FsStateBackend} ({@link FileStateBackendTest}, i.e. all of
 * {@code StateBackendTestBase}) run through {@link LocalRecoveryFsStateBackend} with local recovery
 * ON. The backend writes every stream to a file (threshold 0), so every snapshot also gets local
 * copies; the suite's checkpoint storage is the wrapper itself, as on a cluster. Every restore of
 * file handles first waits (with a deadline) until their local copies are committed, then asserts
 * that it was counted as a local one ({@link KeyedRestoreAudit}): the suite's restores really go
 * through the local-first path.
 */
@SuppressWarnings("deprecation")
class LocalRecoveryFsConformanceTest extends FileStateBackendTest {

    @TempDir static Path classDir;

    /** How the suite's restores of handles with local copies went (logged at the end). */
    private static final KeyedRestoreAudit AUDIT = new KeyedRestoreAudit();

    /** Per test: local directories of its own, hence a runtime of its own. */
    private Path localDir;

    private final SubtaskEnvironments subtasks = new SubtaskEnvironments();

    @AfterEach
    void shutDownLocalRecovery() {
        subtasks.close();
        LocalRecoveryRuntime.shutDownAll();
    }

    @AfterAll
    static void logSuiteRestores() {
        AUDIT.logSummary();
    }

    @Override
    protected ConfigurableStateBackend getStateBackend() throws Exception {
        FsStateBackend flinks = (FsStateBackend) super.getStateBackend();
        FsStateBackend everyStreamAFile =
                new FsStateBackend(
                        flinks.getCheckpointPath().toUri(),
                        null,
                        0,
                        -1,
                        TernaryBoolean.fromBoolean(flinks.isUsingAsynchronousSnapshots()));
        return new ConfigurableLocalRecoveryFsBackend(everyStreamAFile, settings());
    }

    /**
     * The suite builds the backends of its rescaling tests (one per key-group range) all in one
     * environment, i.e. as one subtask, which writes the same local checkpoint several times. Each
     * such backend gets a subtask of its own here, as in a job.
     */
    @Override
    protected <K> CheckpointableKeyedStateBackend<K> createKeyedBackend(
            TypeSerializer<K> keySerializer,
            int numberOfKeyGroups,
            KeyGroupRange keyGroupRange,
            Environment env)
            throws Exception {
        return super.createKeyedBackend(
                keySerializer,
                numberOfKeyGroups,
                keyGroupRange,
                subtasks.subtaskFor(env, numberOfKeyGroups, keyGroupRange));
    }

    @Override
    protected <K> CheckpointableKeyedStateBackend<K> restoreKeyedBackend(
            TypeSerializer<K> keySerializer,
            int numberOfKeyGroups,
            KeyGroupRange keyGroupRange,
            List<KeyedStateHandle> state,
            Environment env)
            throws Exception {
        KeyedRestoreAudit.Restore restore =
                AUDIT.begin(
                        state,
                        ConformanceSupport.runtime(env, settings()).store(),
                        ConformanceSupport.metrics(env, settings()),
                        true);
        CheckpointableKeyedStateBackend<K> backend =
                super.restoreKeyedBackend(
                        keySerializer, numberOfKeyGroups, keyGroupRange, state, env);
        restore.ended();
        return backend;
    }

    private LocalRecoverySettings settings() {
        if (localDir == null) {
            try {
                localDir = Files.createTempDirectory(classDir, "local");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return ConformanceSupport.enabledSettings(localDir);
    }

    /** The suite configures its backend; configuring keeps the local-recovery settings. */
    private static final class ConfigurableLocalRecoveryFsBackend
            extends LocalRecoveryFsStateBackend implements ConfigurableStateBackend {

        private static final long serialVersionUID = 1L;

        ConfigurableLocalRecoveryFsBackend(
                FsStateBackend delegate, LocalRecoverySettings settings) {
            super(delegate, settings);
        }

        @Override
        public StateBackend configure(ReadableConfig config, ClassLoader classLoader) {
            return new ConfigurableLocalRecoveryFsBackend(
                    ((FsStateBackend) getDelegate()).configure(config, classLoader), getSettings());
        }
    }
}
