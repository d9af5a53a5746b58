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
package io.flinklocalrecovery.core.restore;

import org.apache.flink.annotation.Internal;
import org.apache.flink.runtime.state.StreamStateHandle;

import io.flinklocalrecovery.core.metrics.FallbackReason;
import io.flinklocalrecovery.core.store.CopyOrigin;
import io.flinklocalrecovery.core.store.FileChecksums;
import io.flinklocalrecovery.core.store.LocalFileRef;
import io.flinklocalrecovery.core.store.TaskLocalSnapshotStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Files;
import java.util.Optional;

/**
 * Finds and verifies the local copy of a primary stream handle. A copy is only ever handed out when
 * it exists, has the size of the primary and of the moment it was written, and (unless switched
 * off) its CRC32C matches. A copy that fails is removed from the store.
 */
@Internal
public final class LocalCopyFinder {

    private static final Logger LOG = LoggerFactory.getLogger(LocalCopyFinder.class);

    /** Finds nothing: for TaskManagers whose local directories are unusable. */
    public static final LocalCopyFinder NONE = new LocalCopyFinder(null, false);

    @Nullable private final TaskLocalSnapshotStore store;
    private final boolean verifyChecksums;

    public LocalCopyFinder(@Nullable TaskLocalSnapshotStore store, boolean verifyChecksums) {
        this.store = store;
        this.verifyChecksums = verifyChecksums;
    }

    /** The outcome for one primary handle. */
    public static final class Result {
        private final StreamStateHandle local;
        private final FallbackReason reason;
        private final CopyOrigin origin;
        private final Runnable release;

        private Result(StreamStateHandle local, FallbackReason reason) {
            this(local, reason, CopyOrigin.OWN, () -> {});
        }

        private Result(
                StreamStateHandle local,
                FallbackReason reason,
                CopyOrigin origin,
                Runnable release) {
            this.local = local;
            this.reason = reason;
            this.origin = origin;
            this.release = release;
        }

        /** Whose copy the local handle reads: own, adopted or borrowed. */
        public CopyOrigin origin() {
            return origin;
        }

        /** Releases what the copy holds for the restore (a borrowed copy's links). */
        public void release() {
            release.run();
        }

        public Optional<StreamStateHandle> local() {
            return Optional.ofNullable(local);
        }

        /** Why there is no local handle; null when there is one. */
        public FallbackReason reason() {
            return reason;
        }
    }

    public Result find(StreamStateHandle primary) {
        if (store == null) {
            return new Result(null, FallbackReason.NO_LOCAL_COPY);
        }
        String primaryId = primary.getStreamStateHandleID().getKeyString();
        Optional<LocalFileRef> found = store.lookup(primaryId);
        if (!found.isPresent()) {
            // a copy another subtask just found damaged is reported with that cause
            FallbackReason reason =
                    store.invalidationCause(primaryId)
                            .map(FallbackReason::valueOf)
                            .orElse(FallbackReason.NO_LOCAL_COPY);
            LOG.debug("No local copy of {} ({}).", primaryId, reason);
            return new Result(null, reason);
        }
        LocalFileRef ref = found.get();
        long expected = ref.getEntry().getSize();
        try {
            if (!Files.isRegularFile(ref.getPath())
                    || Files.size(ref.getPath()) != expected
                    || (primary.getStateSize() >= 0 && primary.getStateSize() != expected)) {
                LOG.warn(
                        "Local copy {} is missing or does not have its recorded size of {} bytes; "
                                + "reading {} from the checkpoint storage.",
                        ref.getPath(),
                        expected,
                        primary.getStreamStateHandleID());
                return invalid(ref, FallbackReason.FILE_MISSING_OR_TRUNCATED);
            }
            if (verifyChecksums) {
                int actual = crc32c(ref);
                if (actual != ref.getEntry().getCrc32c()) {
                    LOG.warn(
                            "Local copy {} fails its checksum (CRC32C {} instead of {}); reading {} "
                                    + "from the checkpoint storage.",
                            ref.getPath(),
                            Integer.toHexString(actual),
                            Integer.toHexString(ref.getEntry().getCrc32c()),
                            primary.getStreamStateHandleID());
                    return invalid(ref, FallbackReason.CHECKSUM_MISMATCH);
                }
            }
        } catch (IOException e) {
            if (e instanceof ClosedByInterruptException || Thread.currentThread().isInterrupted()) {
                // the task is being cancelled: the copy is not damaged, keep it for the next
                // attempt
                throw new UncheckedIOException(
                        "Interrupted while verifying local copy " + ref.getPath(), e);
            }
            LOG.warn(
                    "Could not read local copy {} ({}); reading {} from the checkpoint storage.",
                    ref.getPath(),
                    e.getMessage(),
                    primary.getStreamStateHandleID());
            return invalid(ref, FallbackReason.FILE_MISSING_OR_TRUNCATED);
        }
        Runnable release =
                ref.getOrigin().getKind() == CopyOrigin.Kind.BORROWED
                        ? () -> store.releaseBorrowed(ref.getPath())
                        : () -> {};
        return new Result(
                new LocalFileStreamStateHandle(ref.getPath(), expected),
                null,
                ref.getOrigin(),
                release);
    }

    private Result invalid(LocalFileRef ref, FallbackReason reason) {
        store.invalidate(ref, reason.name());
        return new Result(null, reason);
    }

    private static int crc32c(LocalFileRef ref) throws IOException {
        return FileChecksums.crc32c(ref.getPath(), ref.getEntry().getSize());
    }
}
