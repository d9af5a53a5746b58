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
package io.flinklocalrecovery.rocksdb;

import org.apache.flink.runtime.state.StreamStateHandle;

import io.flinklocalrecovery.core.metrics.FallbackReason;
import io.flinklocalrecovery.core.store.ChecksumMemo;
import io.flinklocalrecovery.core.store.FileChecksums;
import io.flinklocalrecovery.core.store.LocalFileEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Verifies one file of a local RocksDB checkpoint before a restore uses it: the copy of this very
 * primary handle, present, of its recorded size and, when checked, of its recorded CRC32C. An SST
 * file whose checksum this process computed by reading it and which is unchanged since is used once
 * without reading it again ({@link ChecksumMemo}).
 */
final class LocalNativeFileVerifier {

    private static final Logger LOG = LoggerFactory.getLogger(LocalNativeFileVerifier.class);

    @Nullable private final ChecksumMemo checksumMemo;

    /**
     * @param checksumMemo null: every checked file is read
     */
    LocalNativeFileVerifier(@Nullable ChecksumMemo checksumMemo) {
        this.checksumMemo = checksumMemo;
    }

    /**
     * Why a local file cannot be used, or null if it can. The file must be the copy of this very
     * primary handle: a directory found by backend id and checkpoint id may belong to another
     * history (a job started from another job's retained checkpoint inherits its backend id), whose
     * files can have the same names and sizes.
     */
    @Nullable
    FallbackReason verify(
            Path file,
            @Nullable LocalFileEntry entry,
            StreamStateHandle primaryHandle,
            long primarySize,
            boolean checkCrc) {
        if (entry == null) {
            return FallbackReason.NO_LOCAL_COPY;
        }
        String primaryId = primaryHandle.getStreamStateHandleID().getKeyString();
        if (!entry.getPrimaryHandleId().equals(primaryId)) {
            LOG.info(
                    "Local file {} is the copy of {}, not of {}: it is not used.",
                    file,
                    entry.getPrimaryHandleId(),
                    primaryId);
            return FallbackReason.NO_LOCAL_COPY;
        }
        try {
            if (!Files.isRegularFile(file)
                    || Files.size(file) != entry.getSize()
                    || (primarySize >= 0 && primarySize != entry.getSize())) {
                LOG.warn(
                        "Local file {} is missing or does not have its recorded size of {} bytes.",
                        file,
                        entry.getSize());
                return FallbackReason.FILE_MISSING_OR_TRUNCATED;
            }
            boolean memoizable =
                    checksumMemo != null
                            && file.getFileName()
                                    .toString()
                                    .endsWith(NativeCheckpointRecorder.SST_SUFFIX);
            if (checkCrc
                    && memoizable
                    && checksumMemo.consume(file, entry.getSize(), entry.getCrc32c())) {
                LOG.debug("Local file {} is unchanged since this process read it.", file);
                return null;
            }
            if (checkCrc) {
                int actual = FileChecksums.crc32c(file, entry.getSize());
                if (actual != entry.getCrc32c()) {
                    LOG.warn(
                            "Local file {} fails its checksum (CRC32C {} instead of {}).",
                            file,
                            Integer.toHexString(actual),
                            Integer.toHexString(entry.getCrc32c()));
                    return FallbackReason.CHECKSUM_MISMATCH;
                }
                if (memoizable) {
                    checksumMemo.remember(file, entry.getSize(), actual);
                }
            }
            return null;
        } catch (IOException e) {
            if (e instanceof ClosedByInterruptException || Thread.currentThread().isInterrupted()) {
                // the task is being cancelled: the file is not damaged
                throw new UncheckedIOException("Interrupted while verifying " + file, e);
            }
            LOG.warn("Could not read local file {} ({}).", file, e.getMessage());
            return FallbackReason.FILE_MISSING_OR_TRUNCATED;
        }
    }
}
