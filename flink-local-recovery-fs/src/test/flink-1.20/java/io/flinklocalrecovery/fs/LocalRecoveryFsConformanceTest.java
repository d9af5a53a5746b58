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

import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.runtime.state.ConfigurableStateBackend;
import org.apache.flink.runtime.state.FileStateBackendTest;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.filesystem.FsStateBackend;
import org.apache.flink.util.TernaryBoolean;

import io.flinklocalrecovery.core.backend.LocalRecoveryRuntime;
import io.flinklocalrecovery.core.config.LocalRecoverySettings;
import io.flinklocalrecovery.testutils.backend.ConformanceSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Flink 1.20's own suite of the {@link FsStateBackend} ({@link FileStateBackendTest}, i.e. all of
 * {@code StateBackendTestBase}) run through {@link LocalRecoveryFsStateBackend} with local recovery
 * ON. The backend writes every stream to a file (threshold 0), so every snapshot also gets local
 * copies and every restore goes through the local-first path; the suite's checkpoint storage is the
 * wrapper itself, as on a cluster.
 */
@SuppressWarnings("deprecation")
class LocalRecoveryFsConformanceTest extends FileStateBackendTest {

    @TempDir static Path classDir;

    @AfterEach
    void shutDownLocalRecovery() {
        LocalRecoveryRuntime.shutDownAll();
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

    private static LocalRecoverySettings settings() throws Exception {
        return ConformanceSupport.enabledSettings(Files.createTempDirectory(classDir, "local"));
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
