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

import io.flinklocalrecovery.core.backend.LocalRecoveryRuntime;
import io.flinklocalrecovery.core.config.LocalRecoveryMode;
import io.flinklocalrecovery.core.config.LocalRecoveryOptions;
import io.flinklocalrecovery.core.config.LocalRecoverySettings;
import io.flinklocalrecovery.core.metrics.LocalRecoveryMetrics;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** What the runs of Flink's backend test suites through our wrappers share. */
public final class ConformanceSupport {

    /** How long the local copies of a snapshot may take to be committed after it. */
    public static final Duration COMMIT_DEADLINE = Duration.ofSeconds(20);

    private ConformanceSupport() {}

    /** Whether the condition held within {@link #COMMIT_DEADLINE}, polled every 5 ms. */
    public static boolean await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + COMMIT_DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    /** The local-recovery runtime of the suite's TaskManager, which must be available. */
    public static LocalRecoveryRuntime runtime(Environment env, LocalRecoverySettings settings) {
        LocalRecoveryRuntime runtime =
                LocalRecoveryRuntime.forTaskManager(env.getTaskManagerInfo(), settings);
        assertThat(runtime.isAvailable()).as("local recovery runtime").isTrue();
        return runtime;
    }

    /** The metrics the backends of this task count in (registered on first use). */
    public static LocalRecoveryMetrics metrics(Environment env, LocalRecoverySettings settings) {
        return LocalRecoveryMetrics.forTask(
                env.getMetricGroup(), runtime(env, settings).store()::getBytesHeld);
    }

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
