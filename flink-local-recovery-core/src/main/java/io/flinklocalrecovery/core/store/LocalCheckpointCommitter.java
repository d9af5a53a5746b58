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

import io.flinklocalrecovery.core.store.JobCheckpoints.LocalCheckpoint;

import javax.annotation.concurrent.GuardedBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * The end of a pending local checkpoint: committed (its manifest written atomically, its files
 * indexed) or dropped (its directory deleted in the background). The manifest is written and
 * fsynced outside the store's lock, so a slow or hung local disk delays that one commit only, never
 * another task's begin, lookup, confirm or restore.
 */
final class LocalCheckpointCommitter {

    private final Object lock;
    private final CheckpointRegistry registry;
    private final StoreHousekeeping housekeeping;
    private final MetadataWriter metadataWriter;
    private final BudgetEnforcer budget;

    LocalCheckpointCommitter(
            Object lock,
            CheckpointRegistry registry,
            StoreHousekeeping housekeeping,
            MetadataWriter metadataWriter,
            BudgetEnforcer budget) {
        this.lock = lock;
        this.registry = registry;
        this.housekeeping = housekeeping;
        this.metadataWriter = metadataWriter;
        this.budget = budget;
    }

    /**
     * Commits a pending checkpoint; false, and its files deleted, when it is no longer wanted
     * (pruned, aborted, superseded, the store closed) or holds nothing.
     *
     * @throws OverBudgetException if the copy does not fit the disk budget; the files are deleted
     * @throws IOException if the manifest could not be written; the files are deleted then.
     */
    boolean commit(
            PendingLocalCheckpoint pending,
            List<LocalFileEntry> entries,
            List<LocalNativeCheckpoint> nativeCheckpoints)
            throws IOException {
        LocalCheckpointManifest manifest;
        synchronized (lock) {
            if (registry.lookupPending(pending) == null
                    || (entries.isEmpty() && nativeCheckpoints.isEmpty())
                    || registry.isClosed()) {
                drop(pending);
                return false;
            }
            manifest =
                    new LocalCheckpointManifest(
                            pending.getScope(),
                            pending.getCheckpointId(),
                            entries,
                            nativeCheckpoints);
        }
        // measured outside the lock: file-system calls on a slow disk must not hold the store
        DiskFootprint footprint = DiskFootprint.measure(pending.getDirectory(), manifest);
        long free = budget.freeSpaceEstimate(budget.rootOf(pending.getDirectory()));
        try {
            metadataWriter.write(
                    pending.getDirectory().resolve(TaskLocalSnapshotStore.MANIFEST),
                    manifest.toBytes());
        } catch (IOException | RuntimeException e) {
            synchronized (lock) {
                drop(pending);
            }
            throw e;
        }
        synchronized (lock) {
            LocalCheckpoint current = registry.lookupPending(pending);
            if (current == null || registry.isClosed()) {
                // pruned, aborted or superseded while its manifest was written
                drop(pending);
                return false;
            }
            try {
                budget.admit(current, footprint, free);
            } catch (OverBudgetException e) {
                drop(pending);
                throw e;
            }
            registry.committed(current, manifest, footprint);
            budget.writesEnded(pending);
            lock.notifyAll(); // wakes the store's awaitWritten
            for (Path dir : registry.prune(registry.existingJob(pending.getScope().getJobId()))) {
                if (dir != null) {
                    housekeeping.delete(dir);
                }
            }
            return true;
        }
    }

    /** Drops a pending checkpoint that will not complete (snapshot failed or was cancelled). */
    void discard(PendingLocalCheckpoint pending) {
        synchronized (lock) {
            drop(pending);
        }
    }

    /**
     * Waits until no local checkpoint of the job with this id is still being written (committed or
     * dropped), at most {@code maxWaitMillis}.
     *
     * @return whether none is pending any more
     */
    boolean awaitWritten(String jobId, long checkpointId, long maxWaitMillis)
            throws InterruptedException {
        long deadline = System.nanoTime() + maxWaitMillis * 1_000_000L;
        synchronized (lock) {
            while (isPending(jobId, checkpointId)) {
                long leftMillis = (deadline - System.nanoTime()) / 1_000_000L;
                if (leftMillis <= 0) {
                    return false;
                }
                lock.wait(leftMillis);
            }
            return true;
        }
    }

    @GuardedBy("lock")
    private boolean isPending(String jobId, long checkpointId) {
        JobCheckpoints job = registry.existingJob(jobId);
        return job != null && job.isPending(checkpointId);
    }

    /**
     * Forgets a pending checkpoint and deletes its directory, unless a later begin of the same
     * scope and checkpoint id took the directory over (a backend may be writing into it).
     */
    @GuardedBy("lock")
    private void drop(PendingLocalCheckpoint pending) {
        budget.writesEnded(pending);
        if (registry.lookupPending(pending) != null) {
            registry.remove(pending.getScope(), pending.getCheckpointId());
            lock.notifyAll();
        } else if (registry.isTakenOver(pending)) {
            return;
        }
        Path jobDir = pending.getDirectory().getParent().getParent();
        if (registry.existingJob(pending.getScope().getJobId()) == null
                && jobDir != null
                && Files.isDirectory(jobDir, LinkOption.NOFOLLOW_LINKS)) {
            // the job's copies were collected (released) while this one was written: its writer
            // created the job's directory again, and nobody else would remove it
            housekeeping.delete(jobDir);
        } else {
            housekeeping.delete(pending.getDirectory());
        }
    }
}
