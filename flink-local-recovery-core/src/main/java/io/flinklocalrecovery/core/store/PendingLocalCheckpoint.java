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
package io.flinklocalrecovery.core.store;

import org.apache.flink.annotation.Internal;

import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local checkpoint being written. Its directory is created lazily by the first local file, on the
 * writer threads, so that nothing local happens before the checkpoint is acknowledged.
 */
@Internal
public final class PendingLocalCheckpoint {

    private final LocalSnapshotScope scope;
    private final long checkpointId;
    private final Path directory;

    /**
     * Bytes the store's writers have put into its files so far, while it is pending: the disk
     * budget counts them ({@link BudgetEnforcer#admitWrite}); -1 once it is committed or dropped.
     */
    private final AtomicLong written = new AtomicLong();

    PendingLocalCheckpoint(LocalSnapshotScope scope, long checkpointId, Path directory) {
        this.scope = scope;
        this.checkpointId = checkpointId;
        this.directory = directory;
    }

    public LocalSnapshotScope getScope() {
        return scope;
    }

    public long getCheckpointId() {
        return checkpointId;
    }

    public Path getDirectory() {
        return directory;
    }

    /**
     * Adds bytes a writer is about to write.
     *
     * @return the bytes written so far, these included; -1 once the checkpoint is committed or
     *     dropped (nothing is added then)
     */
    long addWritten(long bytes) {
        while (true) {
            long current = written.get();
            if (current < 0) {
                return -1;
            }
            if (written.compareAndSet(current, current + bytes)) {
                return current + bytes;
            }
        }
    }

    /** The bytes written so far; 0 once committed or dropped. */
    long written() {
        return Math.max(0, written.get());
    }

    /** Ends the counting (committed or dropped) and returns the bytes it counted. */
    long endWrites() {
        return Math.max(0, written.getAndSet(-1));
    }

    /** A fresh, safe name for the next local file of this checkpoint. */
    public String newFileName() {
        return UUID.randomUUID() + ".data";
    }

    @Override
    public String toString() {
        return scope + "/chk_" + checkpointId;
    }
}
