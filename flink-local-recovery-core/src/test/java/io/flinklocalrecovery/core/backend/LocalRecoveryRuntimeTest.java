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
package io.flinklocalrecovery.core.backend;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.taskmanager.TaskManagerRuntimeInfo;
import org.apache.flink.runtime.util.TestingTaskManagerRuntimeInfo;

import io.flinklocalrecovery.core.config.LocalRecoveryMode;
import io.flinklocalrecovery.core.config.LocalRecoveryOptions;
import io.flinklocalrecovery.core.config.LocalRecoverySettings;
import io.flinklocalrecovery.core.snapshot.LocalFileOutputFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalRecoveryRuntimeTest {

    @TempDir Path tmp;

    private final AtomicLong now = new AtomicLong(1_000_000);

    @AfterEach
    void tearDown() {
        LocalRecoveryProcess.get().reset();
    }

    @Test
    void unusableDirectoriesAreTriedAgainOnceTheRetryIntervalPassed() throws Exception {
        LocalRecoveryProcess.get().setClockForTests(now::get);
        Path blocker = tmp.resolve("not-yet-mounted");
        Files.writeString(blocker, "a regular file where the directory should be");
        List<Path> roots = List.of(blocker.resolve("local"));

        assertThat(open(roots).isAvailable()).isFalse();

        // fixed, but not tried again at once
        Files.delete(blocker);
        now.addAndGet(LocalRecoveryProcess.RETRY_FAILED_AFTER.toMillis() - 1);
        assertThat(open(roots).isAvailable()).isFalse();

        now.addAndGet(1);
        assertThat(open(roots).isAvailable()).isTrue();
    }

    @Test
    void aResetForgetsWhatTheProcessHeldAsANewTaskManagerProcessWould() throws Exception {
        LocalRecoveryProcess.get().setClockForTests(now::get);
        Path blocker = tmp.resolve("broken-then-fixed");
        Files.writeString(blocker, "a regular file where the directory should be");
        List<Path> broken = List.of(blocker.resolve("local"));
        assertThat(open(broken).isAvailable()).isFalse();
        LocalRecoveryRuntime open = open(List.of(tmp.resolve("ok")));
        assertThat(LocalRecoveryRuntime.existing()).containsExactly(open);
        assertThat(LocalRecoveryProcess.get().firstDirectoryWarning("w")).isTrue();
        assertThat(LocalRecoveryProcess.get().firstDirectoryWarning("w")).isFalse();
        AtomicLong forgotten = new AtomicLong();
        LocalRecoveryProcess.get().onReset(forgotten::incrementAndGet);

        LocalRecoveryProcess.get().reset();

        assertThat(LocalRecoveryRuntime.existing()).isEmpty();
        assertThat(open.store().getRoots()).isNotEmpty();
        // the closed store's lock is free: a new store opens on the same root
        LocalRecoveryRuntime reopened = open(List.of(tmp.resolve("ok")));
        assertThat(reopened).isNotSameAs(open);
        assertThat(reopened.isAvailable()).isTrue();
        // failed roots are tried again at once, warnings are logged again, others forget too
        Files.delete(blocker);
        assertThat(open(broken).isAvailable()).isTrue();
        assertThat(LocalRecoveryProcess.get().firstDirectoryWarning("w")).isTrue();
        assertThat(forgotten).hasValue(1);
    }

    @Test
    void anUnavailableRuntimeHasNoStoreAndIgnoresTheBookkeeping() throws Exception {
        LocalRecoveryRuntime unavailable = LocalRecoveryRuntime.UNAVAILABLE;

        unavailable.confirm("job", 1);
        unavailable.abort("job", 2);
        assertThat(unavailable.awaitWritten("job", 1, 10_000)).isTrue();
        assertThat(unavailable.bytesHeld()).isZero();
        assertThat(unavailable.availableStore()).isEmpty();
        assertThatThrownBy(unavailable::store).isInstanceOf(IllegalStateException.class);
    }

    /**
     * On the standalone cluster the client's config file reached every task and every TaskManager
     * wrote into the client's (JobManager's) directory.
     */
    @Test
    void theLocalDirectoriesOfATaskManagerAreItsOwnWhateverTheJobSets() {
        Configuration taskManagerConfig = new Configuration();
        taskManagerConfig.set(
                LocalRecoveryOptions.LOCAL_DIRECTORIES,
                List.of(tmp.resolve("tm-disk-1").toString(), tmp.resolve("tm-disk-2").toString()));
        TaskManagerRuntimeInfo taskManager = taskManager(taskManagerConfig);

        List<Path> roots =
                LocalRecoveryRuntime.resolveRoots(
                        taskManager, settingsWithDirectories(tmp.resolve("client-disk")));

        assertThat(roots)
                .containsExactly(
                        tmp.resolve("tm-disk-1").resolve("tm_1"),
                        tmp.resolve("tm-disk-2").resolve("tm_1"));
    }

    @Test
    void aJobsLocalDirectoriesAreUsedWhereTheTaskManagerHasNone() {
        List<Path> roots =
                LocalRecoveryRuntime.resolveRoots(
                        taskManager(new Configuration()),
                        settingsWithDirectories(tmp.resolve("job-disk")));

        assertThat(roots).containsExactly(tmp.resolve("job-disk").resolve("tm_1"));
    }

    @Test
    void withoutAnyDirectoryTheWorkingDirectoryIsUsed() {
        List<Path> roots =
                LocalRecoveryRuntime.resolveRoots(
                        taskManager(new Configuration()), settingsWithDirectories());

        assertThat(roots)
                .containsExactly(
                        tmp.resolve("tm_1").resolve(LocalRecoveryRuntime.DEFAULT_SUBDIRECTORY));
    }

    /** A TaskManager whose working directory is {@code tmp/tm_1} (temporary files in tmp/). */
    private TaskManagerRuntimeInfo taskManager(Configuration config) {
        Path tmpWorkingDirectory = tmp.resolve("tm_1").resolve("tmp");
        return new TestingTaskManagerRuntimeInfo(
                config,
                new String[] {tmpWorkingDirectory.toString()},
                "localhost",
                tmpWorkingDirectory.toFile());
    }

    private static LocalRecoverySettings settingsWithDirectories(Path... directories) {
        List<String> dirs = new java.util.ArrayList<>();
        for (Path dir : directories) {
            dirs.add(dir.toString());
        }
        return new LocalRecoverySettings(
                LocalRecoveryMode.ENABLE_FILE_BASED, dirs, 1, true, 1 << 20);
    }

    private static LocalRecoveryRuntime open(List<Path> roots) {
        return LocalRecoveryRuntime.forRoots(
                roots,
                new LocalRecoverySettings(
                        LocalRecoveryMode.ENABLE_FILE_BASED, List.of(), 1, true, 1 << 20),
                LocalFileOutputFactory.DEFAULT);
    }
}
