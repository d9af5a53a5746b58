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

import io.flinklocalrecovery.core.metrics.LocalWriteFailure;
import io.flinklocalrecovery.testutils.minicluster.SmallFileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A local write that fails on a really full disk is counted as {@code diskFull} whatever language
 * the operating system said it in (its message follows the TaskManager's locale): the file system
 * of the checkpoint directory, which was never created, is asked through its nearest existing
 * parent. On a small tmpfs ({@link SmallFileSystem}, root only; skipped elsewhere).
 */
class DiskFullInAnyLanguageTest {

    /** glibc's text for ENOSPC in a German locale. */
    private static final String ENOSPC_DE = "Auf dem Gerät ist kein Speicherplatz mehr verfügbar";

    @TempDir Path tmp;

    @Test
    void aWriteThatFailedOnAFullDiskIsADiskFullInAnyLanguage() throws Exception {
        try (SmallFileSystem disk = SmallFileSystem.mount(tmp.resolve("disk"), "4m")) {
            Path checkpoint = disk.path().resolve("tm_0/job_1/chk_3");
            assertThat(classify(checkpoint)).isEqualTo(LocalWriteFailure.WRITE_ERROR);

            disk.fill();

            assertThat(classify(checkpoint)).isEqualTo(LocalWriteFailure.DISK_FULL);
        }
    }

    private static LocalWriteFailure classify(Path writtenIn) {
        return LocalWriteFailure.of(
                new IOException(ENOSPC_DE), LocalWriteFailure.WRITE_ERROR, writtenIn);
    }
}
