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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;
import javax.annotation.concurrent.GuardedBy;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeoutException;

/**
 * The TaskManager-wide store of local checkpoint copies, one per set of root directories.
 *
 * <p>Layout: {@code <root>/job_<job>/op_<operator>_st_<subtask>_<kind>/chk_<id>/} holding the local
 * files and, once complete, a {@value #MANIFEST} written atomically. Local files are indexed by the
 * id of the primary handle they copy, so restores find them whatever slot, subtask index or job
 * attempt asks.
 *
 * <p>Retention, per scope, is {@link RetentionPolicy}: the newest {@code K} confirmed checkpoints,
 * plus the ones in progress. Everything else is deleted, in the background ({@link
 * StoreHousekeeping}), on confirm, abort, commit and restore. A job that leaves the TaskManager
 * keeps its copies for the released-copies lifetime. At start, incomplete checkpoints and temporary
 * files of a crashed process are collected.
 */
@Internal
public final class TaskLocalSnapshotStore implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(TaskLocalSnapshotStore.class);

    /** Files whose checksum is remembered at most (about 100 bytes each). */
    static final int CHECKSUM_MEMO_CAPACITY = 100_000;

    public static final String MANIFEST = "_MANIFEST";
    static final String CHECKPOINT_DIR_PREFIX = "chk_";
    static final String LOCK_FILE = ".lock";

    /** How often abandoned sibling roots are looked for, at most. */
    private static final Duration ABANDONED_ROOTS_CHECKED_AT_MOST_EVERY = Duration.ofMinutes(1);

    /** In a job directory: the job left this TaskManager at the time it holds (epoch millis). */
    static final String RELEASED_MARKER = "_RELEASED";

    private static final int CONFIRMED_IDS_REMEMBERED = 1024;

    private final List<Path> roots;
    private final int defaultRetainedCheckpoints;
    private final List<FileChannel> lockChannels;
    private final Duration releasedLifetime;
    private final StoreHousekeeping housekeeping = new StoreHousekeeping();
    private final MetadataWriter metadataWriter;

    /** Checksums of local files read by this process (RocksDB SST files): see ChecksumMemo. */
    private final ChecksumMemo checksumMemo = new ChecksumMemo(CHECKSUM_MEMO_CAPACITY);

    @GuardedBy("this")
    private final Map<String, JobState> jobs = new HashMap<>();

    @GuardedBy("this")
    private final CopyIndex index = new CopyIndex();

    @GuardedBy("this")
    private boolean closed;

    private TaskLocalSnapshotStore(
            List<Path> roots,
            int defaultRetainedCheckpoints,
            Duration releasedLifetime,
            MetadataWriter metadataWriter,
            List<FileChannel> lockChannels) {
        this.metadataWriter = metadataWriter;
        this.roots = roots;
        this.defaultRetainedCheckpoints = defaultRetainedCheckpoints;
        this.releasedLifetime = releasedLifetime;
        this.lockChannels = lockChannels;
    }

    /**
     * Opens the store on the given roots: creates them owner-only, locks each against use by
     * another process, collects leftovers of a crashed process and indexes the surviving local
     * checkpoints.
     */
    public static TaskLocalSnapshotStore open(List<Path> roots, int defaultRetainedCheckpoints)
            throws IOException {
        return open(
                roots,
                defaultRetainedCheckpoints,
                LocalRecoveryOptions.RELEASED_COPIES_LIFETIME.defaultValue());
    }

    /**
     * Opens the store (see {@link #open(List, int)}); the copies of a job that left this
     * TaskManager are kept for {@code releasedLifetime}.
     */
    public static TaskLocalSnapshotStore open(
            List<Path> roots, int defaultRetainedCheckpoints, Duration releasedLifetime)
            throws IOException {
        return open(roots, defaultRetainedCheckpoints, releasedLifetime, AtomicFiles::write);
    }

    /** Writes a small metadata file (a manifest) crash-safely; tests substitute a slow disk. */
    @FunctionalInterface
    interface MetadataWriter {
        void write(Path target, byte[] content) throws IOException;
    }

    @VisibleForTesting
    static TaskLocalSnapshotStore open(
            List<Path> roots,
            int defaultRetainedCheckpoints,
            Duration releasedLifetime,
            MetadataWriter metadataWriter)
            throws IOException {
        Preconditions.checkArgument(!roots.isEmpty(), "At least one root directory is needed");
        Preconditions.checkArgument(!releasedLifetime.isNegative());
        Preconditions.checkArgument(defaultRetainedCheckpoints >= 1);
        List<Path> absoluteRoots = new ArrayList<>();
        List<FileChannel> locks = new ArrayList<>();
        try {
            for (Path root : roots) {
                Path absolute = root.toAbsolutePath().normalize();
                createOwnerOnlyDirectories(absolute);
                RootDirectories.checkSafe(absolute);
                locks.add(RootDirectories.lock(absolute));
                absoluteRoots.add(absolute);
            }
        } catch (IOException | RuntimeException e) {
            for (FileChannel channel : locks) {
                closeQuietly(channel);
            }
            throw e;
        }
        TaskLocalSnapshotStore store =
                new TaskLocalSnapshotStore(
                        Collections.unmodifiableList(absoluteRoots),
                        defaultRetainedCheckpoints,
                        releasedLifetime,
                        metadataWriter,
                        locks);
        store.recover();
        return store;
    }

    /** Creates a directory and its missing parents, accessible to this user only. */
    public static void createOwnerOnlyDirectories(Path dir) throws IOException {
        RootDirectories.createOwnerOnly(dir);
    }

    public List<Path> getRoots() {
        return roots;
    }

    /** The checksums of local files this process read, shared by every task of the TaskManager. */
    public ChecksumMemo checksumMemo() {
        return checksumMemo;
    }

    public long getBytesHeld() {
        return index.bytesHeld();
    }

    /** Sets how many confirmed checkpoints of a job keep their local copies. */
    public synchronized void registerJob(String jobId, int retainedCheckpoints) {
        Preconditions.checkArgument(retainedCheckpoints >= 1);
        JobState job = jobs.computeIfAbsent(jobId, id -> new JobState(defaultRetainedCheckpoints));
        unrelease(jobId, job);
        if (job.retained != retainedCheckpoints) {
            job.retained = retainedCheckpoints;
            deleteAll(prune(job));
        }
    }

    /**
     * Starts a local checkpoint; its files go into {@link PendingLocalCheckpoint#getDirectory()}.
     */
    public PendingLocalCheckpoint begin(LocalSnapshotScope scope, long checkpointId) {
        Path dir = directoryFor(scope, checkpointId);
        PendingLocalCheckpoint pending = new PendingLocalCheckpoint(scope, checkpointId, dir);
        List<Path> toDelete = new ArrayList<>();
        synchronized (this) {
            checkOpen();
            JobState job =
                    jobs.computeIfAbsent(
                            scope.getJobId(), id -> new JobState(defaultRetainedCheckpoints));
            NavigableMap<Long, LocalCheckpoint> checkpoints =
                    job.scopes.computeIfAbsent(scope, s -> new TreeMap<>());
            unrelease(scope.getJobId(), job);
            LocalCheckpoint previous = checkpoints.put(checkpointId, new LocalCheckpoint(pending));
            if (previous != null) {
                toDelete.add(forget(scope, checkpointId, previous));
            }
            deleteAll(toDelete);
        }
        return pending;
    }

    /**
     * Completes a local checkpoint: writes its manifest atomically and indexes its files. Returns
     * false, and deletes the files, when the checkpoint is no longer wanted (pruned, aborted,
     * superseded) or has no files.
     *
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
        LocalCheckpointManifest manifest;
        synchronized (this) {
            LocalCheckpoint current = lookupPending(pending);
            if (current == null || (entries.isEmpty() && nativeCheckpoints.isEmpty()) || closed) {
                if (current != null) {
                    removeCheckpoint(pending.getScope(), pending.getCheckpointId());
                }
                if (!isTakenOver(pending)) {
                    housekeeping.delete(pending.getDirectory());
                }
                return false;
            }
            manifest =
                    new LocalCheckpointManifest(
                            pending.getScope(),
                            pending.getCheckpointId(),
                            entries,
                            nativeCheckpoints);
        }
        // written and fsynced outside the store's lock: a slow or hung local disk delays this
        // commit only, never another task's begin, lookup, confirm or restore
        try {
            metadataWriter.write(pending.getDirectory().resolve(MANIFEST), manifest.toBytes());
        } catch (IOException | RuntimeException e) {
            synchronized (this) {
                if (lookupPending(pending) != null) {
                    removeCheckpoint(pending.getScope(), pending.getCheckpointId());
                }
                if (!isTakenOver(pending)) {
                    housekeeping.delete(pending.getDirectory());
                }
            }
            throw e;
        }
        synchronized (this) {
            LocalCheckpoint current = lookupPending(pending);
            if (current == null || closed) {
                // pruned, aborted or superseded while its manifest was written
                if (!isTakenOver(pending)) {
                    housekeeping.delete(pending.getDirectory());
                }
                return false;
            }
            current.manifest = manifest;
            notifyAll();
            index.add(manifest, pending.getDirectory());
            deleteAll(prune(jobs.get(pending.getScope().getJobId())));
            return true;
        }
    }

    /** Drops a local checkpoint that will not complete (snapshot failed or was cancelled). */
    public synchronized void discard(PendingLocalCheckpoint pending) {
        Path toDelete = null;
        LocalCheckpoint current = lookupPending(pending);
        if (current != null) {
            toDelete = removeCheckpoint(pending.getScope(), pending.getCheckpointId());
        } else if (isTakenOver(pending)) {
            return;
        }
        housekeeping.delete(toDelete != null ? toDelete : pending.getDirectory());
    }

    /** Whether a pending checkpoint is still wanted; writers stop early when it is not. */
    public synchronized boolean isWanted(PendingLocalCheckpoint pending) {
        return !closed && lookupPending(pending) != null;
    }

    /** The local copy of the primary handle with this id, if this TaskManager has one. */
    public synchronized Optional<LocalFileRef> lookup(String primaryHandleId) {
        return index.lookup(primaryHandleId);
    }

    /** The native checkpoint directory of this backend and checkpoint, if this store has one. */
    public synchronized Optional<LocalNativeCheckpointRef> lookupNative(
            String backendId, long checkpointId) {
        return index.lookupNative(backendId, checkpointId);
    }

    /**
     * The native checkpoint directories of the newest committed local checkpoint of a scope (to
     * reuse what is known about files that did not change since).
     */
    public synchronized List<LocalNativeCheckpointRef> newestNative(LocalSnapshotScope scope) {
        JobState job = jobs.get(scope.getJobId());
        List<LocalNativeCheckpointRef> refs = new ArrayList<>();
        if (job == null || !job.scopes.containsKey(scope)) {
            return refs;
        }
        for (LocalCheckpoint checkpoint : job.scopes.get(scope).descendingMap().values()) {
            if (checkpoint.manifest != null) {
                for (LocalNativeCheckpoint nativeCheckpoint :
                        checkpoint.manifest.getNativeCheckpoints()) {
                    refs.add(
                            new LocalNativeCheckpointRef(
                                    scope,
                                    checkpoint.manifest.getCheckpointId(),
                                    checkpoint.pending.getDirectory(),
                                    nativeCheckpoint));
                }
                return refs;
            }
        }
        return refs;
    }

    /**
     * Where the local checkpoint of a scope lives (also before {@link #begin}; backends that write
     * their own native directory ask for it while they snapshot).
     */
    public Path checkpointDirectory(LocalSnapshotScope scope, long checkpointId) {
        return directoryFor(scope, checkpointId);
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
        try {
            Files.deleteIfExists(ref.getPath());
        } catch (IOException e) {
            LOG.debug("Could not delete invalid local file {}", ref.getPath(), e);
        }
    }

    /** Why the local copy of this primary handle was dropped at a recent restore, if it was. */
    public synchronized Optional<String> invalidationCause(String primaryHandleId) {
        return index.invalidationCause(primaryHandleId);
    }

    /** A checkpoint of the job completed: it is confirmed, and older copies may go. */
    public void confirm(String jobId, long checkpointId) {
        List<Path> toDelete;
        synchronized (this) {
            // a notification comes from a running task of the job: it knows the job
            JobState job =
                    jobs.computeIfAbsent(jobId, id -> new JobState(defaultRetainedCheckpoints));
            job.notified = true;
            job.confirm(checkpointId);
            toDelete = prune(job);
            deleteAll(toDelete);
        }
    }

    /** A checkpoint of the job was aborted: its local copies are of no use. */
    public void abort(String jobId, long checkpointId) {
        List<Path> toDelete = new ArrayList<>();
        synchronized (this) {
            JobState job =
                    jobs.computeIfAbsent(jobId, id -> new JobState(defaultRetainedCheckpoints));
            job.notified = true;
            if (job.confirmed.contains(checkpointId)) {
                return;
            }
            // a copy: removing a scope's last checkpoint removes the scope from job.scopes
            for (Map.Entry<LocalSnapshotScope, TreeMap<Long, LocalCheckpoint>> scope :
                    new ArrayList<>(job.scopes.entrySet())) {
                if (scope.getValue().containsKey(checkpointId)) {
                    toDelete.add(removeCheckpoint(scope.getKey(), checkpointId));
                }
            }
            deleteAll(toDelete);
        }
    }

    /**
     * A scope was restored from the given checkpoint: it is confirmed, and the scope's copies of
     * newer checkpoints belong to an abandoned history. So do confirmations of newer checkpoints (a
     * rollback under the same job id): they are forgotten, or they would prune the new history's
     * checkpoints until its ids pass them.
     */
    public void restored(LocalSnapshotScope scope, long checkpointId) {
        List<Path> toDelete = new ArrayList<>();
        synchronized (this) {
            JobState job =
                    jobs.computeIfAbsent(
                            scope.getJobId(), id -> new JobState(defaultRetainedCheckpoints));
            unrelease(scope.getJobId(), job);
            job.confirmed.tailSet(checkpointId, false).clear();
            job.confirm(checkpointId);
            TreeMap<Long, LocalCheckpoint> checkpoints = job.scopes.get(scope);
            if (checkpoints != null) {
                for (Long newer :
                        new ArrayList<>(checkpoints.tailMap(checkpointId, false).keySet())) {
                    toDelete.add(removeCheckpoint(scope, newer));
                }
            }
            toDelete.addAll(prune(job));
            deleteAll(toDelete);
        }
    }

    /**
     * The job left this TaskManager (finished, cancelled, failed for good, placed elsewhere after a
     * failover, or the TaskManager stops). Its local copies are not deleted at once: they stay on
     * disk and indexed for {@code state.backend.local-recovery.released-copies.lifetime}, so that
     * the job coming back (a failover that lands here again, a new job started from the same
     * retained checkpoint) still restores locally, and are collected in the background after that.
     * A TaskManager that is shutting down keeps them as a crashed one would, for its restart.
     *
     * <p>Called on the TaskExecutor's RPC thread: no file is touched here.
     */
    public void releaseJob(String jobId) {
        if (isProcessShuttingDown()) {
            LOG.info(
                    "The TaskManager is shutting down: the local copies of job {} stay in {} for "
                            + "its restart.",
                    jobId,
                    roots);
            return;
        }
        synchronized (this) {
            JobState job = jobs.get(jobId);
            if (job == null || closed) {
                return;
            }
            long releasedAt = System.currentTimeMillis();
            job.releasedAtMillis = releasedAt;
            housekeeping.run(() -> ReleasedMarkers.write(roots, jobId, releasedAt));
            scheduleCollection(jobId, releasedAt);
        }
        LOG.info(
                "Job {} left this TaskManager: its local copies in {} are kept for {} ({}) in "
                        + "case it comes back, then collected.",
                jobId,
                roots,
                releasedLifetime,
                LocalRecoveryOptions.RELEASED_COPIES_LIFETIME.key());
    }

    /** A released job is back on this TaskManager: its copies are its own again. */
    @GuardedBy("this")
    private void unrelease(String jobId, JobState job) {
        if (job.releasedAtMillis != 0) {
            job.releasedAtMillis = 0;
            housekeeping.run(() -> ReleasedMarkers.delete(roots, jobId));
            LOG.info("Job {} is back on this TaskManager: its local copies are kept again.", jobId);
        }
    }

    /** Collects the copies of a job released at {@code releasedAt} once its lifetime is over. */
    private void scheduleCollection(String jobId, long releasedAt) {
        Duration left = releasedLifetime.minusMillis(System.currentTimeMillis() - releasedAt);
        housekeeping.schedule(
                () -> collectReleased(jobId, releasedAt), left.isNegative() ? Duration.ZERO : left);
    }

    /** Collects a released job's copies, unless it came back since it was released. */
    private void collectReleased(String jobId, long releasedAt) {
        synchronized (this) {
            JobState job = jobs.get(jobId);
            if (job == null || job.releasedAtMillis != releasedAt) {
                return;
            }
            jobs.remove(jobId);
            for (TreeMap<Long, LocalCheckpoint> checkpoints : job.scopes.values()) {
                for (LocalCheckpoint checkpoint : checkpoints.values()) {
                    forgetFiles(checkpoint);
                }
            }
            for (Path root : roots) {
                Path jobDir = root.resolve(LocalSnapshotScope.jobDirName(jobId));
                if (Files.isDirectory(jobDir, LinkOption.NOFOLLOW_LINKS)) {
                    housekeeping.delete(jobDir);
                }
            }
        }
        LOG.info(
                "Collected the local copies of job {}, released {} s ago.",
                jobId,
                (System.currentTimeMillis() - releasedAt) / 1000);
    }

    /** Whether the JVM is running its shutdown hooks (the TaskManager was asked to stop). */
    static boolean isProcessShuttingDown() {
        Thread probe = new Thread(() -> {});
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }

    /** The checkpoint ids that currently have a complete local copy in a scope. */
    @VisibleForTesting
    public synchronized List<Long> committedCheckpoints(LocalSnapshotScope scope) {
        JobState job = jobs.get(scope.getJobId());
        List<Long> ids = new ArrayList<>();
        if (job != null && job.scopes.containsKey(scope)) {
            job.scopes
                    .get(scope)
                    .forEach(
                            (id, cp) -> {
                                if (cp.manifest != null) {
                                    ids.add(id);
                                }
                            });
        }
        return ids;
    }

    /** Local checkpoints of a job still being written (for tests and diagnostics). */
    public synchronized int pendingCheckpoints(String jobId) {
        JobState job = jobs.get(jobId);
        int pending = 0;
        if (job != null) {
            for (TreeMap<Long, LocalCheckpoint> checkpoints : job.scopes.values()) {
                for (LocalCheckpoint checkpoint : checkpoints.values()) {
                    if (checkpoint.manifest == null) {
                        pending++;
                    }
                }
            }
        }
        return pending;
    }

    /**
     * Waits until no local checkpoint of the job with this id is still being written, at most
     * {@code maxWaitMillis}. A restore that follows a failure closely may otherwise miss a local
     * copy whose files are complete but whose manifest is a few milliseconds from being written.
     *
     * @return whether none is pending any more
     */
    public synchronized boolean awaitWritten(String jobId, long checkpointId, long maxWaitMillis)
            throws InterruptedException {
        long deadline = System.nanoTime() + maxWaitMillis * 1_000_000L;
        while (isPending(jobId, checkpointId)) {
            long leftMillis = (deadline - System.nanoTime()) / 1_000_000L;
            if (leftMillis <= 0) {
                return false;
            }
            wait(leftMillis);
        }
        return true;
    }

    @GuardedBy("this")
    private boolean isPending(String jobId, long checkpointId) {
        JobState job = jobs.get(jobId);
        if (job == null) {
            return false;
        }
        for (TreeMap<Long, LocalCheckpoint> checkpoints : job.scopes.values()) {
            LocalCheckpoint checkpoint = checkpoints.get(checkpointId);
            if (checkpoint != null && checkpoint.manifest == null) {
                return true;
            }
        }
        return false;
    }

    /** All scopes known for a job (for tests and diagnostics). */
    public synchronized Set<LocalSnapshotScope> scopes(String jobId) {
        JobState job = jobs.get(jobId);
        return job == null ? Collections.emptySet() : new HashSet<>(job.scopes.keySet());
    }

    /** Waits until the background deletions and collections queued so far ran. */
    @VisibleForTesting
    public void awaitHousekeeping() throws InterruptedException, TimeoutException {
        housekeeping.awaitIdle(Duration.ofMinutes(1));
    }

    /**
     * Collects, now and then every released-copies lifetime (at least every minute), the roots that
     * TaskManagers of another identity left beside this store's roots ({@link AbandonedRoots}), in
     * the background. For configured local-recovery directories, which the TaskManagers of a host
     * share.
     */
    public void collectAbandonedRoots() {
        housekeeping.run(this::collectAbandonedRootsNow);
    }

    private void collectAbandonedRootsNow() {
        for (Path root : roots) {
            for (Path doomed :
                    AbandonedRoots.takeAway(root, releasedLifetime, System.currentTimeMillis())) {
                SafeDeletion.deleteQuietly(doomed);
            }
        }
        Duration interval =
                releasedLifetime.compareTo(ABANDONED_ROOTS_CHECKED_AT_MOST_EVERY) > 0
                        ? releasedLifetime
                        : ABANDONED_ROOTS_CHECKED_AT_MOST_EVERY;
        housekeeping.schedule(this::collectAbandonedRootsNow, interval);
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        housekeeping.close();
        for (FileChannel channel : lockChannels) {
            closeQuietly(channel);
        }
    }

    // ------------------------------------------------------------------------

    Path directoryFor(LocalSnapshotScope scope, long checkpointId) {
        // a hash that is stable across processes, so a restarted TaskManager picks the same root
        Path root = roots.get(Math.floorMod(scope.toString().hashCode(), roots.size()));
        return root.resolve(scope.jobDirName())
                .resolve(scope.scopeDirName())
                .resolve(CHECKPOINT_DIR_PREFIX + checkpointId);
    }

    @GuardedBy("this")
    private void checkOpen() {
        Preconditions.checkState(!closed, "The local snapshot store is closed");
    }

    @GuardedBy("this")
    @Nullable
    private LocalCheckpoint lookupPending(PendingLocalCheckpoint pending) {
        JobState job = jobs.get(pending.getScope().getJobId());
        if (job == null) {
            return null;
        }
        TreeMap<Long, LocalCheckpoint> checkpoints = job.scopes.get(pending.getScope());
        if (checkpoints == null) {
            return null;
        }
        LocalCheckpoint current = checkpoints.get(pending.getCheckpointId());
        return current != null && current.pending == pending ? current : null;
    }

    /**
     * Whether a later {@link #begin} of the same scope and checkpoint id superseded this pending
     * checkpoint: the directory is the successor's now (a backend may be writing into it), so the
     * superseded owner must leave it alone when it commits or discards.
     */
    @GuardedBy("this")
    private boolean isTakenOver(PendingLocalCheckpoint pending) {
        JobState job = jobs.get(pending.getScope().getJobId());
        if (job == null) {
            return false;
        }
        TreeMap<Long, LocalCheckpoint> checkpoints = job.scopes.get(pending.getScope());
        LocalCheckpoint current =
                checkpoints == null ? null : checkpoints.get(pending.getCheckpointId());
        return current != null
                && current.pending != pending
                && current.pending.getDirectory().equals(pending.getDirectory());
    }

    /**
     * Removes a checkpoint from the bookkeeping; returns its directory for deletion, or null while
     * it is still being written: its owner deletes it when it finishes (commit or discard find it
     * gone), because a backend may be writing into it at this very moment (RocksDB's native
     * checkpoint, which fails the checkpoint if its directory disappears).
     */
    @GuardedBy("this")
    @Nullable
    private Path removeCheckpoint(LocalSnapshotScope scope, long checkpointId) {
        JobState job = jobs.get(scope.getJobId());
        TreeMap<Long, LocalCheckpoint> checkpoints = job.scopes.get(scope);
        LocalCheckpoint removed = checkpoints.remove(checkpointId);
        notifyAll();
        if (checkpoints.isEmpty()) {
            job.scopes.remove(scope);
        }
        return forget(scope, checkpointId, removed);
    }

    @GuardedBy("this")
    @Nullable
    private Path forget(LocalSnapshotScope scope, long checkpointId, LocalCheckpoint checkpoint) {
        boolean committed = checkpoint.manifest != null;
        forgetFiles(checkpoint);
        return committed ? checkpoint.pending.getDirectory() : null;
    }

    @GuardedBy("this")
    private void forgetFiles(LocalCheckpoint checkpoint) {
        if (checkpoint.manifest != null) {
            index.remove(checkpoint.manifest);
            checkpoint.manifest = null;
        }
    }

    /** Applies retention to every scope of the job; returns the directories to delete. */
    @GuardedBy("this")
    private List<Path> prune(@Nullable JobState job) {
        List<Path> toDelete = new ArrayList<>();
        if (job == null) {
            return toDelete;
        }
        for (Map.Entry<LocalSnapshotScope, TreeMap<Long, LocalCheckpoint>> scope :
                new ArrayList<>(job.scopes.entrySet())) {
            TreeMap<Long, Boolean> committed = new TreeMap<>();
            scope.getValue()
                    .forEach((id, checkpoint) -> committed.put(id, checkpoint.manifest != null));
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
                toDelete.add(removeCheckpoint(scope.getKey(), id));
            }
        }
        return toDelete;
    }

    /** Retires directories: renamed away now, deleted in the background. */
    @GuardedBy("this")
    private void deleteAll(List<Path> dirs) {
        for (Path dir : dirs) {
            if (dir != null) {
                housekeeping.delete(dir);
            }
        }
    }

    // ------------------------------------------------------------------------
    //  start-up collection
    // ------------------------------------------------------------------------

    /** Start-up recovery ({@link StartupRecovery}), then retention over what it found. */
    private void recover() {
        StartupRecovery.Counts counts =
                StartupRecovery.run(
                        roots,
                        releasedLifetime,
                        new StartupRecovery.Sink() {
                            @Override
                            public void recovered(
                                    Path checkpointDir, LocalCheckpointManifest manifest) {
                                addRecovered(checkpointDir, manifest);
                            }

                            @Override
                            public void recoveredReleased(String jobId, long releasedAt) {
                                synchronized (TaskLocalSnapshotStore.this) {
                                    JobState job = jobs.get(jobId);
                                    if (job != null) {
                                        job.releasedAtMillis = releasedAt;
                                        scheduleCollection(jobId, releasedAt);
                                    }
                                }
                            }
                        });
        int pruned;
        synchronized (this) {
            List<Path> toDelete = new ArrayList<>();
            for (JobState job : jobs.values()) {
                toDelete.addAll(prune(job));
            }
            pruned = toDelete.size();
            deleteAll(toDelete);
        }
        LOG.info(
                "Opened the local checkpoint store in {}: {} local checkpoints kept, {} leftovers "
                        + "collected, {} bytes held.",
                roots,
                counts.kept - pruned,
                counts.collected + pruned,
                index.bytesHeld());
    }

    /** A local checkpoint that survived a restart: of unknown status until a restore decides. */
    private synchronized void addRecovered(Path checkpointDir, LocalCheckpointManifest manifest) {
        LocalSnapshotScope scope = manifest.getScope();
        long checkpointId = manifest.getCheckpointId();
        JobState job =
                jobs.computeIfAbsent(
                        scope.getJobId(), id -> new JobState(defaultRetainedCheckpoints));
        job.recovered.add(checkpointId); // RetentionPolicy keeps it until a restore decides
        LocalCheckpoint checkpoint =
                new LocalCheckpoint(new PendingLocalCheckpoint(scope, checkpointId, checkpointDir));
        checkpoint.manifest = manifest;
        job.scopes.computeIfAbsent(scope, s -> new TreeMap<>()).put(checkpointId, checkpoint);
        index.add(manifest, checkpointDir);
    }

    /** Reads a manifest; an unreadable one means "no local copy", never an error. */
    @VisibleForTesting
    static Optional<LocalCheckpointManifest> readManifest(Path checkpointDir) {
        return LocalCheckpointManifest.read(checkpointDir);
    }

    private static void closeQuietly(@Nullable Closeable closeable) {
        if (closeable != null) {
            try {
                closeable.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }

    // ------------------------------------------------------------------------

    private static final class JobState {
        int retained;
        final TreeSet<Long> confirmed = new TreeSet<>();

        /** Survivors of a restart, of unknown status until a restore decides (RetentionPolicy). */
        final Set<Long> recovered = new HashSet<>();

        /** When the job left this TaskManager, 0 while it runs here. */
        long releasedAtMillis;

        /** Whether a checkpoint notification (confirm or abort) of the job arrived here. */
        boolean notified;

        boolean unnotifiedLogged;

        final Map<LocalSnapshotScope, TreeMap<Long, LocalCheckpoint>> scopes = new HashMap<>();

        JobState(int retained) {
            this.retained = retained;
        }

        void confirm(long checkpointId) {
            confirmed.add(checkpointId);
            recovered.remove(checkpointId);
            Iterator<Long> oldest = confirmed.iterator();
            while (confirmed.size() > CONFIRMED_IDS_REMEMBERED && oldest.hasNext()) {
                oldest.next();
                oldest.remove();
            }
        }
    }

    private static final class LocalCheckpoint {
        final PendingLocalCheckpoint pending;
        @Nullable LocalCheckpointManifest manifest;

        LocalCheckpoint(PendingLocalCheckpoint pending) {
            this.pending = pending;
        }
    }
}
