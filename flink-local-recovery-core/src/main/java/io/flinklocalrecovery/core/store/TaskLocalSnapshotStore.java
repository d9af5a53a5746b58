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
import org.apache.flink.annotation.VisibleForTesting;
import org.apache.flink.util.Preconditions;

import io.flinklocalrecovery.core.config.LocalRecoveryOptions;
import io.flinklocalrecovery.core.metrics.EvictionReason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.concurrent.GuardedBy;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The TaskManager-wide store of local checkpoint copies, one per set of root directories: a thin
 * facade, thread-safe, over its parts, which all work under its lock.
 *
 * <ul>
 *   <li>{@link LockedRoots}: the roots, locked against a second process, and the layout {@code
 *       <root>/job_<job>/op_<operator>_st_<subtask>_<kind>/chk_<id>/}, each checkpoint directory
 *       holding the local files and, once complete, a {@value #MANIFEST} written atomically;
 *   <li>{@link CheckpointRegistry}: the local checkpoints from pending to committed to dropped,
 *       with retention per scope ({@link RetentionPolicy}: the newest {@code K} confirmed
 *       checkpoints, plus the ones in progress), and the {@link CopyIndex}, which finds local files
 *       by the id of the primary handle they copy, whatever slot, subtask index or job attempt
 *       asks;
 *   <li>{@link ReleasedCopiesCollector}: a job that leaves the TaskManager keeps its copies for the
 *       released-copies lifetime;
 *   <li>{@link StartupRecovery}: at start, incomplete checkpoints and temporary files of a crashed
 *       process are collected and the survivors indexed;
 *   <li>{@link StoreHousekeeping}: every deletion runs in the background, never on the caller's
 *       thread.
 * </ul>
 */
@Internal
public final class TaskLocalSnapshotStore implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(TaskLocalSnapshotStore.class);

    /** Files whose checksum is remembered at most (about 100 bytes each). */
    static final int CHECKSUM_MEMO_CAPACITY = 100_000;

    public static final String MANIFEST = "_MANIFEST";
    static final String CHECKPOINT_DIR_PREFIX = "chk_";
    static final String LOCK_FILE = ".lock";

    /** In a job directory: the job left this TaskManager at the time it holds (epoch millis). */
    static final String RELEASED_MARKER = "_RELEASED";

    private final LockedRoots roots;
    private final StoreHousekeeping housekeeping;
    private final LocalCheckpointCommitter committer;
    private final BudgetEnforcer budget;
    private final DiskUsage usage;

    /** Checksums of local files read by this process (RocksDB SST files): see ChecksumMemo. */
    private final ChecksumMemo checksumMemo = new ChecksumMemo(CHECKSUM_MEMO_CAPACITY);

    @GuardedBy("this")
    private final CopyIndex index = new CopyIndex();

    @GuardedBy("this")
    private final CheckpointRegistry registry;

    private final ReleasedCopiesCollector released;

    private final String clusterId;

    /** The copies of the other live TaskManagers of this host, borrowed on a lookup miss. */
    private final BorrowedCopies borrowed;

    /**
     * Whether the store shares its parent directory with the roots of other TaskManagers of this
     * host (a configured directory): set by {@link #collectAbandonedRoots()}.
     */
    private volatile boolean sharesHostDirectory;

    /** One adoption at a time; a lookup miss does not wait longer than BorrowedCopies does. */
    private final ReentrantLock adoptionLock = new ReentrantLock();

    /** When a lookup miss last looked for roots to adopt (nanos), see {@link #adoptOnMiss}. */
    private final AtomicLong lastMissAdoption = new AtomicLong(Long.MIN_VALUE);

    /** How often a lookup miss looks for roots to adopt, at most. */
    static final Duration MISS_ADOPTION_AT_MOST_EVERY = Duration.ofSeconds(1);

    private TaskLocalSnapshotStore(
            LockedRoots roots,
            int defaultRetainedCheckpoints,
            Duration releasedLifetime,
            DiskBudget diskBudget,
            BudgetEnforcer.FileSystemSpace space,
            MetadataWriter metadataWriter,
            String clusterId) {
        this.roots = roots;
        this.clusterId = clusterId;
        this.borrowed = new BorrowedCopies(roots, clusterId);
        this.usage = new DiskUsage(roots.paths());
        this.housekeeping = new StoreHousekeeping(usage::deleted);
        this.registry = new CheckpointRegistry(index, usage, defaultRetainedCheckpoints);
        this.budget =
                new BudgetEnforcer(
                        this, diskBudget, usage, registry, housekeeping, space, this::reserveShort);
        this.committer =
                new LocalCheckpointCommitter(this, registry, housekeeping, metadataWriter, budget);
        this.released =
                new ReleasedCopiesCollector(
                        this, registry, roots, housekeeping, releasedLifetime, clusterId);
    }

    /**
     * Opens the store on the given roots: creates them owner-only, locks each against use by
     * another process, collects leftovers of a crashed process and indexes the survivors.
     */
    public static TaskLocalSnapshotStore open(List<Path> roots, int defaultRetainedCheckpoints)
            throws IOException {
        return open(
                roots,
                defaultRetainedCheckpoints,
                LocalRecoveryOptions.RELEASED_COPIES_LIFETIME.defaultValue());
    }

    /** Opens the store; the copies of a job that left are kept for {@code releasedLifetime}. */
    public static TaskLocalSnapshotStore open(List<Path> roots, int retained, Duration lifetime)
            throws IOException {
        return open(roots, retained, lifetime, DiskBudget.UNLIMITED);
    }

    /** Opens the store with a disk budget per root. */
    public static TaskLocalSnapshotStore open(
            List<Path> roots, int retained, Duration lifetime, DiskBudget budget)
            throws IOException {
        return open(
                roots, retained, lifetime, budget, LocalRecoveryOptions.CLUSTER_ID.defaultValue());
    }

    /**
     * Opens the store with a disk budget per root, for the Flink cluster {@code clusterId}: its
     * roots are recorded as that cluster's ({@link ClusterMarker}); only roots of the same cluster
     * are adopted or borrowed from ({@link #collectAbandonedRoots()}).
     */
    public static TaskLocalSnapshotStore open(
            List<Path> roots, int retained, Duration lifetime, DiskBudget budget, String clusterId)
            throws IOException {
        return open(
                roots,
                retained,
                lifetime,
                budget,
                BudgetEnforcer.FileSystemSpace.DEFAULT,
                AtomicFiles::write,
                clusterId);
    }

    @VisibleForTesting
    static TaskLocalSnapshotStore open(
            List<Path> roots,
            int defaultRetainedCheckpoints,
            Duration releasedLifetime,
            DiskBudget diskBudget,
            BudgetEnforcer.FileSystemSpace space,
            MetadataWriter metadataWriter)
            throws IOException {
        return open(
                roots,
                defaultRetainedCheckpoints,
                releasedLifetime,
                diskBudget,
                space,
                metadataWriter,
                LocalRecoveryOptions.CLUSTER_ID.defaultValue());
    }

    @VisibleForTesting
    static TaskLocalSnapshotStore open(
            List<Path> roots,
            int defaultRetainedCheckpoints,
            Duration releasedLifetime,
            DiskBudget diskBudget,
            BudgetEnforcer.FileSystemSpace space,
            MetadataWriter metadataWriter,
            String clusterId)
            throws IOException {
        Preconditions.checkArgument(!releasedLifetime.isNegative());
        Preconditions.checkNotNull(clusterId);
        Preconditions.checkArgument(defaultRetainedCheckpoints >= 1);
        TaskLocalSnapshotStore store =
                new TaskLocalSnapshotStore(
                        LockedRoots.lock(roots),
                        defaultRetainedCheckpoints,
                        releasedLifetime,
                        diskBudget,
                        space,
                        metadataWriter,
                        clusterId);
        StartupRecovery.recoverInto(
                store, store.roots, store.registry, store.released, store.housekeeping, clusterId);
        return store;
    }

    /** Creates a directory and its missing parents, accessible to this user only. */
    public static void createOwnerOnlyDirectories(Path dir) throws IOException {
        RootDirectories.createOwnerOnly(dir);
    }

    public List<Path> getRoots() {
        return roots.paths();
    }

    /** The checksums of local files this process read, shared by every task of the TaskManager. */
    public ChecksumMemo checksumMemo() {
        return checksumMemo;
    }

    /** Bytes the local copies hold on disk, every distinct (hard-linked) file once. */
    public long getBytesHeld() {
        return usage.bytesHeld();
    }

    /** The disk budget's figures per root, for metrics and tools. */
    public StoreDiskStatus diskStatus() {
        return new StoreDiskStatus(usage, budget);
    }

    /** Sets how many confirmed checkpoints of a job keep their local copies. */
    public synchronized void registerJob(String jobId, int retainedCheckpoints) {
        Preconditions.checkArgument(retainedCheckpoints >= 1);
        JobCheckpoints job = registry.job(jobId);
        released.unrelease(jobId, job);
        if (job.retained != retainedCheckpoints) {
            job.retained = retainedCheckpoints;
            retire(registry.prune(job));
        }
    }

    /** Starts a local checkpoint; its files go into {@link PendingLocalCheckpoint#getDirectory}. */
    public PendingLocalCheckpoint begin(LocalSnapshotScope scope, long checkpointId) {
        PendingLocalCheckpoint pending =
                new PendingLocalCheckpoint(
                        scope, checkpointId, roots.checkpointDirectory(scope, checkpointId));
        synchronized (this) {
            Preconditions.checkState(!registry.isClosed(), "The local snapshot store is closed");
            JobCheckpoints job = registry.job(scope.getJobId());
            released.unrelease(scope.getJobId(), job);
            retire(Collections.singletonList(registry.begin(job, pending)));
        }
        return pending;
    }

    /**
     * Completes a local checkpoint: writes its manifest atomically and indexes its files. Returns
     * false, and deletes the files, when the checkpoint is no longer wanted (pruned, aborted,
     * superseded) or has no files.
     *
     * @throws OverBudgetException if it does not fit the disk budget; the files are deleted then
     * @throws IOException if the manifest could not be written; the files are deleted then.
     */
    public boolean commit(PendingLocalCheckpoint pending, List<LocalFileEntry> entries)
            throws IOException {
        return commit(pending, entries, Collections.emptyList());
    }

    /**
     * Completes a local checkpoint that holds native checkpoint directories (and possibly local
     * files); see {@link #commit(PendingLocalCheckpoint, List)}.
     */
    public boolean commit(
            PendingLocalCheckpoint pending,
            List<LocalFileEntry> entries,
            List<LocalNativeCheckpoint> nativeCheckpoints)
            throws IOException {
        return committer.commit(pending, entries, nativeCheckpoints);
    }

    /**
     * A writer is about to add {@code bytes} to a file of a pending local checkpoint: the disk
     * budget counts them, and may evict older copies to make room for them first. Called on a
     * writer thread, never on a task or snapshot thread.
     *
     * @throws OverBudgetException if the copy could not fit the budget even when committed: the
     *     writer gives it up
     */
    public void admitWrite(PendingLocalCheckpoint pending, long bytes) throws OverBudgetException {
        budget.admitWrite(pending, bytes);
    }

    /** A writer deleted {@code bytes} of a pending local checkpoint it had written. */
    public void writeUndone(PendingLocalCheckpoint pending, long bytes) {
        budget.writeUndone(pending, bytes);
    }

    /** Drops a local checkpoint that will not complete (snapshot failed or was cancelled). */
    public void discard(PendingLocalCheckpoint pending) {
        committer.discard(pending);
    }

    /** Whether a pending checkpoint is still wanted; writers stop early when it is not. */
    public synchronized boolean isWanted(PendingLocalCheckpoint pending) {
        return !registry.isClosed() && registry.lookupPending(pending) != null;
    }

    /**
     * The local copy of the primary handle with this id, if this TaskManager has one: its own, or
     * one of a root it adopted. When it has none and it shares its host directory, the roots of
     * TaskManagers that are gone are adopted first (at most once a second), and then a copy of
     * another live TaskManager of this host is borrowed ({@link CopyOrigin}); release a borrowed
     * copy with {@link #releaseBorrowed} when the restore ends.
     */
    public Optional<LocalFileRef> lookup(String primaryHandleId) {
        Optional<LocalFileRef> found = lookupIndexed(primaryHandleId);
        if (found.isPresent() || !sharesHostDirectory) {
            return found;
        }
        if (adoptOnMiss()) {
            found = lookupIndexed(primaryHandleId);
            if (found.isPresent()) {
                return found;
            }
        }
        return borrowed.lookup(primaryHandleId);
    }

    /**
     * The native checkpoint directory of this backend and checkpoint, if this store has one (or, as
     * {@link #lookup}, adopts or borrows one).
     */
    public Optional<LocalNativeCheckpointRef> lookupNative(String backendId, long checkpointId) {
        Optional<LocalNativeCheckpointRef> found = lookupNativeIndexed(backendId, checkpointId);
        if (found.isPresent() || !sharesHostDirectory) {
            return found;
        }
        if (adoptOnMiss()) {
            found = lookupNativeIndexed(backendId, checkpointId);
            if (found.isPresent()) {
                return found;
            }
        }
        return borrowed.lookupNative(backendId, checkpointId);
    }

    /**
     * A restore that used a borrowed copy ended: its links are deleted (in the background). Does
     * nothing for any other copy.
     */
    public void releaseBorrowed(Path borrowedCopy) {
        Path dir = borrowed.borrowedDirectoryOf(borrowedCopy);
        if (dir != null) {
            borrowed.released(dir);
            housekeeping.delete(dir);
        }
    }

    private synchronized Optional<LocalFileRef> lookupIndexed(String primaryHandleId) {
        return index.lookup(primaryHandleId);
    }

    private synchronized Optional<LocalNativeCheckpointRef> lookupNativeIndexed(
            String backendId, long checkpointId) {
        return index.lookupNative(backendId, checkpointId);
    }

    /** The native directories of a scope's newest committed local checkpoint (unchanged files). */
    public synchronized List<LocalNativeCheckpointRef> newestNative(LocalSnapshotScope scope) {
        return registry.newestNative(scope);
    }

    /** Where the local checkpoint of a scope lives (also before {@link #begin}). */
    public Path checkpointDirectory(LocalSnapshotScope scope, long checkpointId) {
        return roots.checkpointDirectory(scope, checkpointId);
    }

    /**
     * Forgets a local file that failed verification and deletes it, so that no later restore tries
     * it again; {@link #invalidationCause} reports the cause to those later restores (a union-list
     * state handle, for one, is restored by every subtask).
     */
    public void invalidate(LocalFileRef ref, String cause) {
        synchronized (this) {
            index.invalidate(ref, cause);
        }
        if (ref.getOrigin().getKind() == CopyOrigin.Kind.BORROWED) {
            borrowed.invalidate(ref); // the link only: the owner's copy is none of ours to delete
            releaseBorrowed(ref.getPath());
            return;
        }
        SafeDeletion.deleteQuietly(ref.getPath());
    }

    /** Why the local copy of this primary handle was dropped at a recent restore, if it was. */
    public synchronized Optional<String> invalidationCause(String primaryHandleId) {
        return index.invalidationCause(primaryHandleId);
    }

    /** A checkpoint of the job completed: it is confirmed, and older copies may go. */
    public synchronized void confirm(String jobId, long checkpointId) {
        // a notification comes from a running task of the job: it knows the job
        JobCheckpoints job = registry.job(jobId);
        job.notified = true;
        job.confirm(checkpointId);
        retire(registry.prune(job));
    }

    /** A checkpoint of the job was aborted: its local copies are of no use. */
    public synchronized void abort(String jobId, long checkpointId) {
        JobCheckpoints job = registry.job(jobId);
        job.notified = true;
        if (!job.confirmed.contains(checkpointId)) {
            retire(registry.removeCheckpoint(job, checkpointId));
        }
    }

    /**
     * A scope was restored from the given checkpoint: it is confirmed, and the scope's copies of
     * newer checkpoints belong to an abandoned history. So do confirmations of newer checkpoints (a
     * rollback under the same job id): they are forgotten, or they would prune the new history's
     * checkpoints until its ids pass them.
     */
    public synchronized void restored(LocalSnapshotScope scope, long checkpointId) {
        JobCheckpoints job = registry.job(scope.getJobId());
        released.unrelease(scope.getJobId(), job);
        job.rollBackTo(checkpointId);
        List<Path> toDelete = registry.removeNewer(scope, checkpointId);
        toDelete.addAll(registry.prune(job));
        retire(toDelete);
    }

    /**
     * The job left this TaskManager: its copies stay for the released-copies lifetime, then are
     * collected in the background ({@link ReleasedCopiesCollector#release}). Called on the
     * TaskExecutor's RPC thread: no file is touched here.
     */
    public void releaseJob(String jobId) {
        released.release(jobId);
    }

    /** The checkpoint ids that currently have a complete local copy in a scope. */
    @VisibleForTesting
    public synchronized List<Long> committedCheckpoints(LocalSnapshotScope scope) {
        JobCheckpoints job = registry.existingJob(scope.getJobId());
        return job == null ? new ArrayList<>() : job.committedIds(scope);
    }

    /** Local checkpoints of a job still being written (for tests and diagnostics). */
    public synchronized int pendingCheckpoints(String jobId) {
        JobCheckpoints job = registry.existingJob(jobId);
        return job == null ? 0 : job.pendingCount();
    }

    /**
     * Waits until no local checkpoint of the job with this id is still being written, at most
     * {@code maxWaitMillis}. A restore that follows a failure closely may otherwise miss a local
     * copy whose files are complete but whose manifest is a few milliseconds from being written.
     *
     * @return whether none is pending any more
     */
    public boolean awaitWritten(String jobId, long checkpointId, long maxWaitMillis)
            throws InterruptedException {
        return committer.awaitWritten(jobId, checkpointId, maxWaitMillis);
    }

    /** All scopes known for a job (for tests and diagnostics). */
    public synchronized Set<LocalSnapshotScope> scopes(String jobId) {
        JobCheckpoints job = registry.existingJob(jobId);
        return job == null ? Collections.emptySet() : new HashSet<>(job.scopes.keySet());
    }

    /** Waits until the background deletions and collections queued so far ran. */
    @VisibleForTesting
    public void awaitHousekeeping() throws InterruptedException, TimeoutException {
        housekeeping.awaitIdle(Duration.ofMinutes(1));
    }

    /**
     * The store shares its parent directory with the other TaskManagers of this host (a configured
     * local-recovery directory): adopts the roots of this cluster's TaskManagers that are gone now
     * ({@link AdoptedRoots}), and from now on on lookup misses and in the background, where also
     * roots of older versions left beside this store's are collected ({@link AbandonedRoots}); a
     * lookup miss borrows the copies of live ones ({@link BorrowedCopies}).
     */
    public void collectAbandonedRoots() {
        sharesHostDirectory = true;
        adoptSiblingRoots();
        released.collectAbandonedRoots(this::adoptSiblingRoots, borrowed::collectUnused);
    }

    /**
     * Adopts the roots of this cluster's TaskManagers that are gone beside this store's roots, and
     * indexes their copies; returns how many roots were adopted. The file system work runs outside
     * the store's lock; a root that cannot be adopted is left alone (logged).
     */
    @VisibleForTesting
    public int adoptSiblingRoots() {
        adoptionLock.lock();
        try {
            return adoptNow();
        } finally {
            adoptionLock.unlock();
        }
    }

    /**
     * On a lookup miss: adopts, at most every {@link #MISS_ADOPTION_AT_MOST_EVERY}; a miss while
     * another thread adopts waits for it (bounded). Returns whether it is worth looking again.
     */
    private boolean adoptOnMiss() {
        long now = System.nanoTime();
        long last = lastMissAdoption.get();
        boolean due =
                (last == Long.MIN_VALUE || now - last >= MISS_ADOPTION_AT_MOST_EVERY.toNanos())
                        && lastMissAdoption.compareAndSet(last, now);
        try {
            if (!adoptionLock.tryLock(
                    BorrowedCopies.WAIT_AT_MOST.toMillis(), TimeUnit.MILLISECONDS)) {
                return false; // held up by a hung sibling: the restore reads the primary
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        try {
            return !due || adoptNow() > 0;
        } catch (RuntimeException e) {
            LOG.debug("Could not adopt the roots beside {}", roots.paths(), e);
            return false;
        } finally {
            adoptionLock.unlock();
        }
    }

    private int adoptNow() {
        synchronized (this) {
            if (registry.isClosed()) {
                return 0;
            }
        }
        int adoptedRoots = 0;
        for (Path root : roots.paths()) {
            for (Path adopted : AdoptedRoots.adopt(root, clusterId)) {
                adoptedRoots++;
                long start = System.nanoTime();
                RecoveredCopies sink =
                        new RecoveredCopies(this, registry, released, housekeeping, roots);
                StartupRecovery.runAdopted(
                        Collections.singletonList(adopted),
                        released.lifetime(),
                        sink,
                        StartupRecovery.Removal.inBackground(roots.paths(), housekeeping));
                LOG.info(
                        "Adopted the local-recovery root {} of a TaskManager of cluster '{}' that "
                                + "is gone, now {}: {} local checkpoints of jobs {}, {} bytes, "
                                + "indexed in {} ms.",
                        AdoptedRoots.originalName(adopted),
                        clusterId,
                        adopted,
                        sink.checkpoints(),
                        sink.jobs(),
                        sink.bytes(),
                        (System.nanoTime() - start) / 1_000_000);
            }
        }
        if (adoptedRoots > 0) {
            StartupRecovery.pruneAll(this, registry, housekeeping);
        }
        return adoptedRoots;
    }

    @Override
    public void close() {
        synchronized (this) {
            registry.close();
        }
        housekeeping.close();
        roots.close();
    }

    // ------------------------------------------------------------------------

    /** A root's free space is below the reserve: abandoned sibling roots go first. */
    private void reserveShort() {
        released.collectAbandonedRootsUnderPressure(
                taken -> budget.evicted(EvictionReason.ORPHANED_ROOT, taken));
    }

    /** Retires directories: renamed away now, deleted in the background. */
    @GuardedBy("this")
    private void retire(List<Path> dirs) {
        notifyAll(); // a pending checkpoint may have been removed: wake awaitWritten
        for (Path dir : dirs) {
            if (dir != null) {
                housekeeping.delete(dir);
            }
        }
    }
}
