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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The store's bookkeeping: the local checkpoints of every job, from pending to committed to
 * dropped, and the copy index kept in step with it. Each change returns the directories that are no
 * longer wanted; the caller retires them ({@link StoreHousekeeping}). Not thread-safe: every call
 * holds the store's lock.
 *
 * <p>A pending checkpoint that is dropped returns no directory: its owner deletes it when it
 * finishes (commit or discard find it gone), because a backend may be writing into it at this very
 * moment (RocksDB's native checkpoint, which fails the checkpoint if its directory disappears).
 */
final class CheckpointRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointRegistry.class);

    private final Map<String, JobCheckpoints> jobs = new HashMap<>();
    private final CopyIndex index;
    private final DiskUsage usage;
    private final int defaultRetainedCheckpoints;
    private boolean closed;
    private long commitSequence;

    CheckpointRegistry(CopyIndex index, DiskUsage usage, int defaultRetainedCheckpoints) {
        this.index = index;
        this.usage = usage;
        this.defaultRetainedCheckpoints = defaultRetainedCheckpoints;
    }

    /** The store is closing: nothing is committed, released or begun any more. */
    void close() {
        closed = true;
    }

    boolean isClosed() {
        return closed;
    }

    /** The job's bookkeeping, created with the default retention if the job is new here. */
    JobCheckpoints job(String jobId) {
        return jobs.computeIfAbsent(jobId, id -> new JobCheckpoints(defaultRetainedCheckpoints));
    }

    /** Bytes held on disk, every distinct file once. */
    long bytesHeld() {
        return usage.bytesHeld();
    }

    @Nullable
    JobCheckpoints existingJob(String jobId) {
        return jobs.get(jobId);
    }

    Collection<JobCheckpoints> allJobs() {
        return jobs.values();
    }

    /**
     * Registers a pending checkpoint; returns the directory of a committed copy of the same scope
     * and checkpoint id that it replaces, if there was one.
     */
    @Nullable
    Path begin(JobCheckpoints job, PendingLocalCheckpoint pending) {
        LocalCheckpoint previous =
                job.scopes
                        .computeIfAbsent(pending.getScope(), s -> new TreeMap<>())
                        .put(pending.getCheckpointId(), new LocalCheckpoint(pending));
        return previous == null ? null : forget(previous);
    }

    /** The registered checkpoint of this pending one, if it is still wanted. */
    @Nullable
    LocalCheckpoint lookupPending(PendingLocalCheckpoint pending) {
        JobCheckpoints job = jobs.get(pending.getScope().getJobId());
        LocalCheckpoint current =
                job == null ? null : job.get(pending.getScope(), pending.getCheckpointId());
        return current != null && current.pending == pending ? current : null;
    }

    /**
     * Whether a later begin of the same scope and checkpoint id superseded this pending checkpoint:
     * the directory is the successor's now (a backend may be writing into it), so the superseded
     * owner must leave it alone when it commits or discards.
     */
    boolean isTakenOver(PendingLocalCheckpoint pending) {
        JobCheckpoints job = jobs.get(pending.getScope().getJobId());
        LocalCheckpoint current =
                job == null ? null : job.get(pending.getScope(), pending.getCheckpointId());
        return current != null
                && current.pending != pending
                && current.directory().equals(pending.getDirectory());
    }

    /** A pending checkpoint's manifest is written: its files join the index and the usage. */
    void committed(
            LocalCheckpoint checkpoint, LocalCheckpointManifest manifest, DiskFootprint footprint) {
        checkpoint.manifest = manifest;
        checkpoint.commitSequence = ++commitSequence;
        index.add(manifest, checkpoint.directory(), checkpoint.origin);
        usage.add(footprint);
    }

    /** A local checkpoint that survived a restart: of unknown status until a restore decides. */
    void addRecovered(Path checkpointDir, LocalCheckpointManifest manifest) {
        addRecovered(checkpointDir, manifest, CopyOrigin.OWN);
    }

    /**
     * A local checkpoint found on disk (that survived a restart, or in a root adopted just now): of
     * unknown status until a restore decides. Returns false, and changes nothing, when the store
     * holds a copy of the same scope and checkpoint already (the caller deletes the duplicate).
     */
    boolean addRecovered(Path checkpointDir, LocalCheckpointManifest manifest, CopyOrigin origin) {
        return addRecovered(
                checkpointDir, manifest, origin, DiskFootprint.measure(checkpointDir, manifest));
    }

    /** As above, with the footprint measured by the caller (outside the store's lock). */
    boolean addRecovered(
            Path checkpointDir,
            LocalCheckpointManifest manifest,
            CopyOrigin origin,
            DiskFootprint footprint) {
        LocalSnapshotScope scope = manifest.getScope();
        long checkpointId = manifest.getCheckpointId();
        JobCheckpoints job = job(scope.getJobId());
        TreeMap<Long, LocalCheckpoint> checkpoints =
                job.scopes.computeIfAbsent(scope, s -> new TreeMap<>());
        if (checkpoints.containsKey(checkpointId)) {
            return false;
        }
        if (!job.confirmed.contains(checkpointId)) {
            job.recovered.add(checkpointId); // RetentionPolicy keeps it until a restore decides
        }
        LocalCheckpoint checkpoint =
                new LocalCheckpoint(new PendingLocalCheckpoint(scope, checkpointId, checkpointDir));
        checkpoint.origin = origin;
        checkpoints.put(checkpointId, checkpoint);
        committed(checkpoint, manifest, footprint);
        return true;
    }

    /** Removes a checkpoint; returns its directory for deletion, or null while it is pending. */
    @Nullable
    Path remove(LocalSnapshotScope scope, long checkpointId) {
        JobCheckpoints job = jobs.get(scope.getJobId());
        TreeMap<Long, LocalCheckpoint> checkpoints = job.scopes.get(scope);
        LocalCheckpoint removed = checkpoints.remove(checkpointId);
        if (checkpoints.isEmpty()) {
            job.scopes.remove(scope);
        }
        return forget(removed);
    }

    /** Removes every scope's copy of an aborted checkpoint. */
    List<Path> removeCheckpoint(JobCheckpoints job, long checkpointId) {
        List<Path> toDelete = new ArrayList<>();
        // a copy: removing a scope's last checkpoint removes the scope from job.scopes
        for (Map.Entry<LocalSnapshotScope, TreeMap<Long, LocalCheckpoint>> scope :
                new ArrayList<>(job.scopes.entrySet())) {
            if (scope.getValue().containsKey(checkpointId)) {
                toDelete.add(remove(scope.getKey(), checkpointId));
            }
        }
        return toDelete;
    }

    /** Removes a scope's copies of checkpoints newer than the one it restored from. */
    List<Path> removeNewer(LocalSnapshotScope scope, long checkpointId) {
        List<Path> toDelete = new ArrayList<>();
        JobCheckpoints job = jobs.get(scope.getJobId());
        TreeMap<Long, LocalCheckpoint> checkpoints = job == null ? null : job.scopes.get(scope);
        if (checkpoints != null) {
            for (Long newer : new ArrayList<>(checkpoints.tailMap(checkpointId, false).keySet())) {
                toDelete.add(remove(scope, newer));
            }
        }
        return toDelete;
    }

    /** Forgets a job and the files of its copies (its directories are the caller's to delete). */
    void removeJob(String jobId) {
        JobCheckpoints job = jobs.remove(jobId);
        if (job != null) {
            for (TreeMap<Long, LocalCheckpoint> checkpoints : job.scopes.values()) {
                for (LocalCheckpoint checkpoint : checkpoints.values()) {
                    forget(checkpoint);
                }
            }
        }
    }

    /** Applies retention to every scope of the job; returns the directories to delete. */
    List<Path> prune(@Nullable JobCheckpoints job) {
        List<Path> toDelete = new ArrayList<>();
        if (job == null) {
            return toDelete;
        }
        for (Map.Entry<LocalSnapshotScope, TreeMap<Long, LocalCheckpoint>> scope :
                new ArrayList<>(job.scopes.entrySet())) {
            TreeMap<Long, Boolean> committed = new TreeMap<>();
            scope.getValue()
                    .forEach((id, checkpoint) -> committed.put(id, checkpoint.isCommitted()));
            List<Long> drop =
                    RetentionPolicy.toDrop(
                            committed, job.confirmed, job.recovered, job.retained, job.notified);
            if (!drop.isEmpty() && !job.notified && !job.unnotifiedLogged) {
                job.unnotifiedLogged = true;
                LOG.info(
                        "No checkpoint notifications of job {} reach this TaskManager (Flink "
                                + "notifies keyed state backends only, and no task of the job "
                                + "here has one): its local copies are kept for the newest {} "
                                + "checkpoints of each operator, completed or not.",
                        scope.getKey().getJobId(),
                        job.retained + RetentionPolicy.MAX_UNCONFIRMED_KEPT);
            }
            for (Long id : drop) {
                toDelete.add(remove(scope.getKey(), id));
            }
        }
        return toDelete;
    }

    /** The native checkpoint directories of the newest committed local checkpoint of a scope. */
    List<LocalNativeCheckpointRef> newestNative(LocalSnapshotScope scope) {
        List<LocalNativeCheckpointRef> refs = new ArrayList<>();
        JobCheckpoints job = jobs.get(scope.getJobId());
        LocalCheckpoint newest = job == null ? null : job.newestCommitted(scope);
        if (newest != null) {
            for (LocalNativeCheckpoint nativeCheckpoint : newest.manifest.getNativeCheckpoints()) {
                refs.add(
                        new LocalNativeCheckpointRef(
                                scope,
                                newest.manifest.getCheckpointId(),
                                newest.directory(),
                                nativeCheckpoint,
                                newest.origin));
            }
        }
        return refs;
    }

    @Nullable
    private Path forget(LocalCheckpoint checkpoint) {
        if (!checkpoint.isCommitted()) {
            return null;
        }
        index.remove(checkpoint.manifest);
        usage.release(checkpoint.directory());
        checkpoint.manifest = null;
        return checkpoint.directory();
    }
}
