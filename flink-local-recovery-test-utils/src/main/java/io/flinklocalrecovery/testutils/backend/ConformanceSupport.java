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
package io.flinklocalrecovery.testutils.backend;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.runtime.execution.Environment;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.runtime.state.KeyGroupRange;

import io.flinklocalrecovery.core.config.LocalRecoveryMode;
import io.flinklocalrecovery.core.config.LocalRecoveryOptions;
import io.flinklocalrecovery.core.config.LocalRecoverySettings;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** What the runs of Flink's backend test suites through our wrappers share. */
public final class ConformanceSupport {

    private ConformanceSupport() {}

    /** Local recovery on, with checksums, local copies in the given directory. */
    public static LocalRecoverySettings enabledSettings(Path localDir) {
        Configuration config = new Configuration();
        config.set(LocalRecoveryOptions.LOCAL_RECOVERY, LocalRecoveryMode.ENABLE_FILE_BASED.name());
        config.set(LocalRecoveryOptions.LOCAL_DIRECTORIES, List.of(localDir.toString()));
        config.set(LocalRecoveryOptions.WRITE_BUFFER_SIZE, MemorySize.ofMebiBytes(4));
        LocalRecoverySettings settings = LocalRecoverySettings.fromConfig(config);
        assertThat(settings.isEnabled()).isTrue();
        assertThat(settings.isVerifyChecksums()).isTrue();
        return settings;
    }

    /**
     * The suites build all backends of a rescaling test in one environment; a real job gives each
     * key-group range its own subtask. Returns a new environment for a partial range (to be closed
     * by the caller), or empty when the range is the whole job's.
     */
    public static Optional<MockEnvironment> subtaskEnvironment(
            Environment env, int numberOfKeyGroups, KeyGroupRange keyGroupRange) {
        if (keyGroupRange.getStartKeyGroup() == 0
                && keyGroupRange.getEndKeyGroup() == numberOfKeyGroups - 1) {
            return Optional.empty();
        }
        return Optional.of(
                MockEnvironment.builder()
                        .setJobID(env.getJobID())
                        .setTaskStateManager(env.getTaskStateManager())
                        .setTaskManagerRuntimeInfo(env.getTaskManagerInfo())
                        .setExecutionConfig(env.getExecutionConfig())
                        .setMetricGroup(env.getMetricGroup())
                        .setMaxParallelism(numberOfKeyGroups)
                        .setParallelism(numberOfKeyGroups)
                        .setSubtaskIndex(keyGroupRange.getStartKeyGroup())
                        .build());
    }

    /** Flips one byte of a file in place, keeping its size: bit rot a size check cannot see. */
    public static void flipByte(Path file, long position) throws IOException {
        try (FileChannel channel =
                FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, position);
            one.flip();
            byte flipped = (byte) (one.get() ^ 0x5a);
            channel.write(ByteBuffer.wrap(new byte[] {flipped}), position);
        }
    }
}
