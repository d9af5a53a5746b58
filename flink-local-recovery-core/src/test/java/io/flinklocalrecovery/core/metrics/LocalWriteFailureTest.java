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

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;

import static org.assertj.core.api.Assertions.assertThat;

/** A full disk is told apart from other write errors, wherever the file system says so. */
class LocalWriteFailureTest {

    @Test
    void aFullFileSystemOrQuotaIsADiskFull() {
        assertThat(
                        LocalWriteFailure.of(
                                new IOException("No space left on device"),
                                LocalWriteFailure.WRITE_ERROR))
                .isEqualTo(LocalWriteFailure.DISK_FULL);
        assertThat(
                        LocalWriteFailure.of(
                                new FileSystemException(
                                        "/local/chk_3/f", null, "Disk quota exceeded"),
                                LocalWriteFailure.WRITE_ERROR))
                .isEqualTo(LocalWriteFailure.DISK_FULL);
        // RocksDB and Flink wrap the cause
        assertThat(
                        LocalWriteFailure.of(
                                new UncheckedIOException(
                                        new IOException("No space left on device")),
                                LocalWriteFailure.MANIFEST_WRITE_ERROR))
                .isEqualTo(LocalWriteFailure.DISK_FULL);
    }

    @Test
    void otherErrorsKeepTheirReason() {
        assertThat(
                        LocalWriteFailure.of(
                                new IOException("Input/output error"),
                                LocalWriteFailure.WRITE_ERROR))
                .isEqualTo(LocalWriteFailure.WRITE_ERROR);
        assertThat(LocalWriteFailure.of(null, LocalWriteFailure.MANIFEST_WRITE_ERROR))
                .isEqualTo(LocalWriteFailure.MANIFEST_WRITE_ERROR);
    }
}
