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
package io.flinklocalrecovery.core.metrics;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import static org.assertj.core.api.Assertions.assertThat;

/** A full disk is told apart from other write errors, wherever and in whatever language. */
class LocalWriteFailureTest {

    private static final Path DIR = Paths.get("/local/tm_0/job/chk_3");

    /** glibc's text for ENOSPC in a German locale. */
    private static final String ENOSPC_DE = "Auf dem Gerät ist kein Speicherplatz mehr verfügbar";

    private static final LocalWriteFailure.UsableSpace ROOMY = path -> 10L << 30;
    private static final LocalWriteFailure.UsableSpace FULL = path -> 4096;

    @Test
    void aFullFileSystemOrQuotaIsADiskFull() {
        assertThat(
                        LocalWriteFailure.of(
                                new IOException("No space left on device"),
                                LocalWriteFailure.WRITE_ERROR,
                                DIR,
                                ROOMY))
                .isEqualTo(LocalWriteFailure.DISK_FULL);
        assertThat(
                        LocalWriteFailure.of(
                                new FileSystemException(
                                        "/local/chk_3/f", null, "Disk quota exceeded"),
                                LocalWriteFailure.WRITE_ERROR,
                                DIR,
                                ROOMY))
                .isEqualTo(LocalWriteFailure.DISK_FULL);
        // RocksDB and Flink wrap the cause
        assertThat(
                        LocalWriteFailure.of(
                                new UncheckedIOException(
                                        new IOException("No space left on device")),
                                LocalWriteFailure.MANIFEST_WRITE_ERROR,
                                DIR,
                                ROOMY))
                .isEqualTo(LocalWriteFailure.DISK_FULL);
    }

    @Test
    void aWriteThatFailedOnANearlyFullFileSystemIsADiskFullInAnyLanguage() {
        assertThat(
                        LocalWriteFailure.of(
                                new IOException(ENOSPC_DE),
                                LocalWriteFailure.WRITE_ERROR,
                                DIR,
                                FULL))
                .isEqualTo(LocalWriteFailure.DISK_FULL);
        // RocksDB's error is no IOException: "IO error: While appending to file: ...: <strerror>"
        assertThat(
                        LocalWriteFailure.of(
                                new RuntimeException(
                                        new Exception(
                                                "IO error: While appending to file: "
                                                        + DIR
                                                        + "/000012.sst: "
                                                        + ENOSPC_DE)),
                                LocalWriteFailure.WRITE_ERROR,
                                DIR,
                                FULL))
                .isEqualTo(LocalWriteFailure.DISK_FULL);
        assertThat(
                        LocalWriteFailure.of(
                                new FileSystemException(DIR.toString(), null, ENOSPC_DE),
                                LocalWriteFailure.DIRECTORY_NOT_CREATABLE,
                                DIR,
                                path -> LocalWriteFailure.NEARLY_FULL_BELOW_BYTES - 1))
                .isEqualTo(LocalWriteFailure.DISK_FULL);
    }

    @Test
    void otherErrorsKeepTheirReason() {
        assertThat(
                        LocalWriteFailure.of(
                                new IOException("Input/output error"),
                                LocalWriteFailure.WRITE_ERROR,
                                DIR,
                                ROOMY))
                .isEqualTo(LocalWriteFailure.WRITE_ERROR);
        assertThat(
                        LocalWriteFailure.of(
                                new IOException(ENOSPC_DE),
                                LocalWriteFailure.WRITE_ERROR,
                                DIR,
                                path -> LocalWriteFailure.NEARLY_FULL_BELOW_BYTES))
                .isEqualTo(LocalWriteFailure.WRITE_ERROR);
        assertThat(LocalWriteFailure.of(null, LocalWriteFailure.MANIFEST_WRITE_ERROR, DIR, FULL))
                .isEqualTo(LocalWriteFailure.MANIFEST_WRITE_ERROR);
    }

    @Test
    void anErrorOrAFileSystemThatCannotTellIsNoDiskFull() {
        // out of memory while writing on a nearly full disk: not the disk's fault
        assertThat(
                        LocalWriteFailure.of(
                                new RuntimeException(new OutOfMemoryError("Java heap space")),
                                LocalWriteFailure.WRITE_ERROR,
                                DIR,
                                FULL))
                .isEqualTo(LocalWriteFailure.WRITE_ERROR);
        assertThat(
                        LocalWriteFailure.of(
                                new IOException(ENOSPC_DE),
                                LocalWriteFailure.WRITE_ERROR,
                                DIR,
                                path -> {
                                    throw new IOException("Input/output error");
                                }))
                .isEqualTo(LocalWriteFailure.WRITE_ERROR);
    }

    @Test
    void aClassifiedErrorKeepsItsReasonOnAFullFileSystem() {
        class OverBudget extends IOException implements LocalWriteFailure.Classified {
            @Override
            public LocalWriteFailure reason() {
                return LocalWriteFailure.OVER_BUDGET;
            }
        }

        assertThat(
                        LocalWriteFailure.of(
                                new UncheckedIOException(new OverBudget()),
                                LocalWriteFailure.WRITE_ERROR,
                                DIR,
                                FULL))
                .isEqualTo(LocalWriteFailure.OVER_BUDGET);
    }

    @Test
    void theFileSystemIsAskedAtTheNearestDirectoryThatExists(@TempDir Path tmp) throws IOException {
        // a checkpoint directory that could not be created: its file system is the parent's
        Path neverCreated = tmp.resolve("tm_0/job/chk_3");

        assertThat(LocalWriteFailure.usableSpace(neverCreated)).isPositive();
        assertThat(Files.exists(neverCreated)).isFalse();
    }
}
