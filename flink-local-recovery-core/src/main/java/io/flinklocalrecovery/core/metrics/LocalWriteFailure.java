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

import javax.annotation.Nullable;

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
     * The reason to count for an error of a local write: {@link #DISK_FULL} when the file system
     * said it is full (ENOSPC, EDQUOT, anywhere in the cause chain), the reason of a {@link
     * Classified} error in the chain, else {@code otherwise}.
     */
    public static LocalWriteFailure of(@Nullable Throwable error, LocalWriteFailure otherwise) {
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
        return otherwise;
    }
}
