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
