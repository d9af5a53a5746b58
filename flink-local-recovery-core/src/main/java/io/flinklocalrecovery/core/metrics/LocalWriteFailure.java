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

import org.apache.flink.annotation.Internal;
import org.apache.flink.util.ExceptionUtils;

import javax.annotation.Nullable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/** Why a local copy was not kept. Each value is counted in its own metric. */
@Internal
public enum LocalWriteFailure {
    /** The local checkpoint directory could not be created. */
    DIRECTORY_NOT_CREATABLE("directoryNotCreatable"),
    /** Writing or closing a local file failed (an I/O error other than a full disk). */
    WRITE_ERROR("writeError"),
    /** The local file system is full (or the user's disk quota is used up). */
    DISK_FULL("diskFull"),
    /** The TaskManager's local write buffer was full; the copy was dropped, not waited for. */
    BUFFER_FULL("bufferFull"),
    /**
     * A RocksDB native checkpoint waited to be taken into the store when a newer one of the same
     * subtask arrived, or the TaskManager's commit backlog was full: the local disk is slower than
     * the checkpoints; the older copy was dropped.
     */
    COMMIT_BACKLOG("commitBacklog"),
    /** The manifest of a local checkpoint could not be written. */
    MANIFEST_WRITE_ERROR("manifestWriteError"),
    /** The local copy does not have the size of the primary copy. */
    SIZE_MISMATCH("sizeMismatch"),
    /**
     * The local copy did not fit the disk budget (size limit or reserve of its directory), even
     * after evicting the copies least likely to be restored.
     */
    OVER_BUDGET("overBudget");

    /** An error that knows which reason it is counted under. */
    public interface Classified {
        LocalWriteFailure reason();
    }

    private final String metricName;

    LocalWriteFailure(String metricName) {
        this.metricName = metricName;
    }

    public String getMetricName() {
        return metricName;
    }

    /**
     * Below this many usable bytes, the file system of a failed local write is taken to be full
     * whatever the error said: a write refused for a full disk leaves less than a write buffer.
     */
    static final long NEARLY_FULL_BELOW_BYTES = 1L << 20;

    /** The usable bytes of the file system a path is on; tests substitute their own. */
    @FunctionalInterface
    interface UsableSpace {
        long of(Path path) throws IOException;
    }

    /**
     * The reason to count for an error of a local write into {@code writtenIn}: the reason of a
     * {@link Classified} error in the cause chain; {@link #DISK_FULL} when the file system said it
     * is full (ENOSPC, EDQUOT, anywhere in the chain), or when the error did not say why but the
     * file system of {@code writtenIn} (or of its nearest existing parent) has almost no usable
     * space left, since the operating system's message for a full disk is in the TaskManager's
     * locale ({@code LANG}), RocksDB's too; else {@code otherwise}. An {@link Error} (out of
     * memory, say) is never a full disk. Runs on the writer or commit thread that failed, never on
     * a task thread.
     */
    public static LocalWriteFailure of(
            @Nullable Throwable error, LocalWriteFailure otherwise, Path writtenIn) {
        return of(error, otherwise, writtenIn, LocalWriteFailure::usableSpace);
    }

    static LocalWriteFailure of(
            @Nullable Throwable error,
            LocalWriteFailure otherwise,
            Path writtenIn,
            UsableSpace space) {
        LocalWriteFailure told = toldBy(error);
        if (told != null) {
            return told;
        }
        if (error != null
                && !ExceptionUtils.findThrowable(error, Error.class).isPresent()
                && isNearlyFull(writtenIn, space)) {
            return DISK_FULL;
        }
        return otherwise;
    }

    @Nullable
    private static LocalWriteFailure toldBy(@Nullable Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof Classified) {
                return ((Classified) t).reason();
            }
            String message = t.getMessage();
            if (message != null) {
                String lower = message.toLowerCase(Locale.ROOT);
                if (lower.contains("no space left on device")
                        || lower.contains("disk quota exceeded")) {
                    return DISK_FULL;
                }
            }
        }
        return null;
    }

    private static boolean isNearlyFull(Path writtenIn, UsableSpace space) {
        try {
            return space.of(writtenIn) < NEARLY_FULL_BELOW_BYTES;
        } catch (IOException | RuntimeException e) {
            // the file system cannot tell: the error keeps the reason it came with
            return false;
        }
    }

    /** The usable bytes of the file system of {@code path}, or of its nearest existing parent. */
    static long usableSpace(Path path) throws IOException {
        Path existing = path.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            throw new NoSuchFileException(path.toString());
        }
        return Files.getFileStore(existing).getUsableSpace();
    }
}
