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

import io.flinklocalrecovery.core.config.LocalRecoveryOptions;
import io.flinklocalrecovery.core.metrics.EvictionReason;
import io.flinklocalrecovery.core.store.DiskBudget.Plan;
import io.flinklocalrecovery.core.store.EvictionOrder.Candidate;
import io.flinklocalrecovery.core.store.EvictionOrder.Eviction;
import io.flinklocalrecovery.core.store.JobCheckpoints.LocalCheckpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.concurrent.GuardedBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Applies the {@link DiskBudget} while a local copy is written and when it is committed.
 *
 * <ul>
 *   <li>While it is written ({@link #admitWrite}, before each chunk a writer thread writes): the
 *       bytes every pending copy of a root has written count against the root's budget too. When
 *       they do not fit, the copies that may go before the new one is complete (of released jobs,
 *       older ones) are evicted at once, so the disk does not fill up first; a copy that could not
 *       fit even at its commit is given up there and then, not written to the end.
 *   <li>When it is committed ({@link #admit}): evicts, in {@link EvictionOrder}, as few committed
 *       copies as the new one needs, or refuses it ({@link OverBudgetException}).
 * </ul>
 *
 * Both run on writer or commit threads, never on a task or snapshot thread, and take the store's
 * lock only to evict; the free space is read before the lock is taken, since a file-system call on
 * a hung disk must not hold the store.
 */
@Internal
final class BudgetEnforcer {

    private static final Logger LOG = LoggerFactory.getLogger(BudgetEnforcer.class);

    /** The file systems of the roots; tests substitute a small one. */
    interface FileSystemSpace {
        long usable(Path root) throws IOException;

        long total(Path root) throws IOException;

        FileSystemSpace DEFAULT =
                new FileSystemSpace() {
                    @Override
                    public long usable(Path root) throws IOException {
                        return Files.getFileStore(root).getUsableSpace();
                    }

                    @Override
                    public long total(Path root) throws IOException {
                        return Files.getFileStore(root).getTotalSpace();
                    }
                };
    }

    private final Object lock;
    private final DiskBudget budget;
    private final DiskUsage usage;
    private final CheckpointRegistry registry;
    private final StoreHousekeeping housekeeping;
    private final FileSystemSpace space;

    /** Told when a root's free space is below its reserve (abandoned roots are collected). */
    private final Runnable reserveShort;

    private final Map<Path, Long> reserves = new HashMap<>();

    /**
     * Per root, the bytes its pending copies have written: kept up to date by the writers and
     * recounted from the registry whenever the budget is tight (a copy that is superseded before it
     * ends leaves no count behind for long).
     */
    private final Map<Path, AtomicLong> inFlight = new HashMap<>();

    private final Map<EvictionReason, AtomicLong> evictions = new EnumMap<>(EvictionReason.class);
    private final Set<EvictionReason> logged = ConcurrentHashMap.newKeySet();

    BudgetEnforcer(
            Object lock,
            DiskBudget budget,
            DiskUsage usage,
            CheckpointRegistry registry,
            StoreHousekeeping housekeeping,
            FileSystemSpace space,
            Runnable reserveShort) {
        this.lock = lock;
        this.budget = budget;
        this.usage = usage;
        this.registry = registry;
        this.housekeeping = housekeeping;
        this.space = space;
        this.reserveShort = reserveShort;
        for (EvictionReason reason : EvictionReason.values()) {
            evictions.put(reason, new AtomicLong());
        }
        for (Path root : usage.roots()) {
            long total = totalSpace(root);
            reserves.put(root, budget.reserveFor(total));
            inFlight.put(root, new AtomicLong());
            LOG.info(
                    "Disk budget of the local copies in {}: {} ({}, {}); {} bytes free of {}.",
                    root,
                    budget.describe(total),
                    LocalRecoveryOptions.DISK_SIZE_LIMIT.key(),
                    LocalRecoveryOptions.DISK_RESERVE_SIZE.key(),
                    freeSpace(root),
                    total);
        }
    }

    /** The size limit per root, {@link DiskBudget#NO_LIMIT} for none. */
    long sizeLimit() {
        return budget.sizeLimit();
    }

    /** The bytes to leave free on a root's file system. */
    long reserve(Path root) {
        return reserves.getOrDefault(root, 0L);
    }

    /**
     * What the budget takes as free on a root's file system: its free bytes plus the bytes of
     * dropped copies whose background deletion has not run yet; -1 when it cannot be read. Read
     * before the store's lock is taken. The released bytes are read first: a deletion that ends in
     * between is counted twice (an admission one copy early, corrected at the next commit), never
     * missed (an eviction for nothing).
     */
    long freeSpaceEstimate(Path root) {
        long released = usage.releasedNotDeleted(root);
        long free = freeSpace(root);
        return free < 0 ? -1 : free + released;
    }

    /** Free bytes of a root's file system; -1 when it cannot be read. Never under the lock. */
    long freeSpace(Path root) {
        try {
            return space.usable(root);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Counts evictions made outside this class (abandoned roots collected for the reserve). */
    void evicted(EvictionReason reason, int count) {
        evictions.get(reason).addAndGet(count);
    }

    long evictions(EvictionReason reason) {
        return evictions.get(reason).get();
    }

    /**
     * Makes room for a new local copy, or refuses it.
     *
     * @param free {@link #freeSpaceEstimate} of its root, read before the lock was taken (-1
     *     unknown: the reserve is not applied)
     */
    @GuardedBy("lock")
    void admit(LocalCheckpoint incoming, DiskFootprint footprint, long free)
            throws OverBudgetException {
        Path root = usage.rootOf(footprint.directory());
        long reserve = free < 0 ? 0 : reserve(root);
        if (free >= 0 && free < reserve) {
            reserveShort.run(); // only schedules: never blocks the lock's holder
        }
        if (budget.sizeLimit() == DiskBudget.NO_LIMIT && reserve == 0) {
            return;
        }
        LocalSnapshotScope scope = incoming.pending.getScope();
        List<Eviction> order =
                EvictionOrder.order(candidates(root), scope, incoming.pending.getCheckpointId());
        List<DiskFootprint> footprints = new ArrayList<>();
        for (Eviction eviction : order) {
            footprints.add(eviction.candidate.footprint);
        }
        long held = usage.bytesHeld(root);
        Plan plan =
                DiskBudget.plan(
                        budget.sizeLimit(),
                        reserve,
                        held,
                        free,
                        footprint,
                        key -> usage.references(root, key),
                        footprints);
        if (!plan.admitted) {
            throw new OverBudgetException(
                    String.format(
                            "The local copy %s (%d bytes) does not fit the disk budget of %s, not "
                                    + "even with every copy that may make room for it evicted: "
                                    + "%d bytes held of a limit of %s (%s), %d bytes free of a "
                                    + "reserve of %d (%s). Raise the limit, give the directory "
                                    + "more space, or keep fewer local checkpoints (%s)",
                            incoming.pending,
                            footprint.bytes(),
                            root,
                            held,
                            budget.sizeLimit() == DiskBudget.NO_LIMIT
                                    ? "none"
                                    : Long.toString(budget.sizeLimit()),
                            LocalRecoveryOptions.DISK_SIZE_LIMIT.key(),
                            free,
                            reserve,
                            LocalRecoveryOptions.DISK_RESERVE_SIZE.key(),
                            LocalRecoveryOptions.RETAINED_CHECKPOINTS.key()));
        }
        for (int i = 0; i < plan.victims.size(); i++) {
            Eviction eviction = order.get(i);
            evict(eviction);
        }
    }

    /**
     * A writer is about to add {@code bytes} to a file of a pending copy: makes room for them, or
     * refuses them, and then the writer gives the copy up. Called on a writer thread; the store's
     * lock is taken only when the bytes do not fit as things are.
     *
     * @throws OverBudgetException if the copy could not fit its budget even when it commits, with
     *     every copy that may make room for it evicted (then nothing is evicted)
     */
    void admitWrite(PendingLocalCheckpoint pending, long bytes) throws OverBudgetException {
        Path root = usage.rootOf(pending.getDirectory());
        long reserve = reserve(root);
        long limit = budget.sizeLimit();
        if (limit == DiskBudget.NO_LIMIT && reserve == 0) {
            return;
        }
        long own = pending.addWritten(bytes);
        if (own < 0) {
            return; // committed or dropped: its writers are stopping, the budget has no say
        }
        AtomicLong rootInFlight = inFlight.get(root);
        long flying = rootInFlight == null ? own : rootInFlight.addAndGet(bytes);
        long free = reserve == 0 ? -1 : freeSpaceEstimate(root);
        long freeAfter = free < 0 ? DiskBudget.NO_LIMIT : free - bytes;
        if (freeAfter < reserve) {
            reserveShort.run();
        }
        if ((limit == DiskBudget.NO_LIMIT || usage.bytesHeld(root) + flying <= limit)
                && freeAfter >= reserve) {
            return;
        }
        synchronized (lock) {
            LocalCheckpoint current = registry.lookupPending(pending);
            if (current == null || registry.isClosed()) {
                return; // no longer wanted: its writers stop without the budget's help
            }
            flying = recountInFlight(root);
            if (rootInFlight != null) {
                rootInFlight.set(flying);
            }
            List<DiskFootprint> now = new ArrayList<>();
            List<DiskFootprint> atCommit = new ArrayList<>();
            List<Eviction> order =
                    EvictionOrder.order(
                            candidates(root), pending.getScope(), pending.getCheckpointId());
            List<Eviction> evictableNow = new ArrayList<>();
            for (Eviction eviction : order) {
                if (eviction.reason == EvictionReason.REPLACED_BY_NEWER) {
                    atCommit.add(eviction.candidate.footprint);
                } else {
                    evictableNow.add(eviction);
                    now.add(eviction.candidate.footprint);
                }
            }
            long held = usage.bytesHeld(root);
            Plan plan =
                    DiskBudget.planWrite(
                            limit,
                            reserve,
                            held,
                            freeAfter,
                            flying,
                            own,
                            key -> usage.references(root, key),
                            now,
                            atCommit);
            if (!plan.admitted) {
                writeUndone(pending, bytes); // not written
                throw new OverBudgetException(
                        String.format(
                                "The local copy %s does not fit the disk budget of %s, not even "
                                        + "with every copy that may make room for it evicted: "
                                        + "given up after %d bytes, with %d bytes held of a limit "
                                        + "of %s (%s) and %s bytes free of a reserve of %d (%s). "
                                        + "Raise the limit, give the directory more space, or "
                                        + "keep fewer local checkpoints (%s)",
                                pending,
                                root,
                                own,
                                held,
                                limit == DiskBudget.NO_LIMIT ? "none" : Long.toString(limit),
                                LocalRecoveryOptions.DISK_SIZE_LIMIT.key(),
                                free < 0 ? "unknown" : Long.toString(free),
                                reserve,
                                LocalRecoveryOptions.DISK_RESERVE_SIZE.key(),
                                LocalRecoveryOptions.RETAINED_CHECKPOINTS.key()));
            }
            for (int i = 0; i < plan.victims.size(); i++) {
                evict(evictableNow.get(i));
            }
        }
    }

    /** A writer deleted bytes it had written for a pending copy (a file it gave up). */
    void writeUndone(PendingLocalCheckpoint pending, long bytes) {
        if (pending.addWritten(-bytes) >= 0) {
            AtomicLong rootInFlight = inFlight.get(usage.rootOf(pending.getDirectory()));
            if (rootInFlight != null) {
                rootInFlight.addAndGet(-bytes);
            }
        }
    }

    /** A pending copy was committed (its bytes are held now) or dropped (they are gone). */
    void writesEnded(PendingLocalCheckpoint pending) {
        long written = pending.endWrites();
        AtomicLong rootInFlight = inFlight.get(usage.rootOf(pending.getDirectory()));
        if (written > 0 && rootInFlight != null) {
            rootInFlight.addAndGet(-written);
        }
    }

    /** The bytes the pending copies of a root have written, from the registry. */
    @GuardedBy("lock")
    private long recountInFlight(Path root) {
        long total = 0;
        for (JobCheckpoints job : registry.allJobs()) {
            for (TreeMap<Long, LocalCheckpoint> scope : job.scopes.values()) {
                for (LocalCheckpoint checkpoint : scope.values()) {
                    if (!checkpoint.isCommitted()
                            && usage.rootOf(checkpoint.directory()).equals(root)) {
                        total += checkpoint.pending.written();
                    }
                }
            }
        }
        return total;
    }

    private void evict(Eviction eviction) {
        Candidate victim = eviction.candidate;
        Path dir = registry.remove(victim.scope, victim.checkpointId);
        if (dir != null) {
            housekeeping.delete(dir);
        }
        evictions.get(eviction.reason).incrementAndGet();
        if (logged.add(eviction.reason)) {
            LOG.info(
                    "Evicted the local copy {} ({}) to keep the local copies within their disk "
                            + "budget; further evictions are logged at DEBUG.",
                    victim,
                    eviction.reason.getMetricName());
        } else {
            LOG.debug("Evicted the local copy {} ({}).", victim, eviction.reason.getMetricName());
        }
    }

    /** The committed copies of a root that may be evicted. */
    private List<Candidate> candidates(Path root) {
        List<Candidate> candidates = new ArrayList<>();
        for (JobCheckpoints job : registry.allJobs()) {
            boolean released = job.releasedAtMillis != 0;
            for (Map.Entry<LocalSnapshotScope, TreeMap<Long, LocalCheckpoint>> scope :
                    job.scopes.entrySet()) {
                for (LocalCheckpoint checkpoint : scope.getValue().values()) {
                    DiskFootprint footprint =
                            checkpoint.isCommitted()
                                    ? usage.footprint(checkpoint.directory())
                                    : null;
                    if (footprint != null && usage.rootOf(checkpoint.directory()).equals(root)) {
                        candidates.add(
                                new Candidate(
                                        scope.getKey(),
                                        checkpoint.pending.getCheckpointId(),
                                        checkpoint.commitSequence,
                                        released,
                                        footprint));
                    }
                }
            }
        }
        return candidates;
    }

    private long totalSpace(Path root) {
        try {
            return space.total(root);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** The root holding a checkpoint directory. */
    Path rootOf(Path checkpointDir) {
        return usage.rootOf(checkpointDir);
    }
}
