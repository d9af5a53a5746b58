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
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.util.Preconditions;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * The disk budget of the store's local copies, per root directory: at most {@code size-limit} bytes
 * held (every distinct file once, as the disk counts it), and at least {@code reserve-size} bytes
 * left free on the root's file system. The arithmetic of admitting a new local copy is a pure
 * function of recorded footprints ({@link #plan}); {@link BudgetEnforcer} applies it.
 */
@Internal
public final class DiskBudget {

    /** No size limit. */
    public static final long NO_LIMIT = Long.MAX_VALUE;

    /** The default reserve: a fraction of the file system, at most {@link #DEFAULT_RESERVE_MAX}. */
    public static final long DEFAULT_RESERVE = -1;

    static final int DEFAULT_RESERVE_PERCENT = 5;
    static final long DEFAULT_RESERVE_MAX = MemorySize.parse("1g").getBytes();

    /** Neither a limit nor a reserve: the store keeps what retention keeps, as before budgets. */
    public static final DiskBudget UNLIMITED = new DiskBudget(NO_LIMIT, 0);

    private final long sizeLimit;
    private final long reserve;

    private DiskBudget(long sizeLimit, long reserve) {
        this.sizeLimit = sizeLimit;
        this.reserve = reserve;
    }

    /**
     * @param sizeLimit bytes the copies of one root may hold at most, {@link #NO_LIMIT} for none
     * @param reserve bytes to leave free on each root's file system, {@link #DEFAULT_RESERVE} for
     *     the default
     */
    public static DiskBudget of(long sizeLimit, long reserve) {
        Preconditions.checkArgument(sizeLimit > 0, "The size limit must be positive");
        Preconditions.checkArgument(reserve >= 0 || reserve == DEFAULT_RESERVE);
        return new DiskBudget(sizeLimit, reserve);
    }

    /** The size limit per root, {@link #NO_LIMIT} when there is none. */
    public long sizeLimit() {
        return sizeLimit;
    }

    /** The reserve on a file system of {@code totalSpace} bytes. */
    public long reserveFor(long totalSpace) {
        return reserve != DEFAULT_RESERVE
                ? reserve
                : Math.min(DEFAULT_RESERVE_MAX, totalSpace / 100 * DEFAULT_RESERVE_PERCENT);
    }

    /** For the log: the limit and the reserve on a file system of {@code totalSpace} bytes. */
    public String describe(long totalSpace) {
        return "size limit "
                + (sizeLimit == NO_LIMIT ? "none" : sizeLimit + " bytes")
                + ", reserve "
                + reserveFor(totalSpace)
                + " bytes"
                + (reserve == DEFAULT_RESERVE
                        ? " (default: 5% of the file system, at most 1 GiB)"
                        : "");
    }

    @Override
    public String toString() {
        return "DiskBudget{sizeLimit=" + sizeLimit + ", reserve=" + reserve + '}';
    }

    /** What admitting a new local copy takes: the copies to evict first, or a refusal. */
    static final class Plan {
        final boolean admitted;
        final List<DiskFootprint> victims;
        final long heldAfter;
        final long freeAfter;

        Plan(boolean admitted, List<DiskFootprint> victims, long heldAfter, long freeAfter) {
            this.admitted = admitted;
            this.victims = Collections.unmodifiableList(victims);
            this.heldAfter = heldAfter;
            this.freeAfter = freeAfter;
        }
    }

    /**
     * Whether a new local copy fits the budget of its root, and which candidates (taken in the
     * given order, as few as needed) must be evicted for it; when it does not fit even with all of
     * them gone, nothing is evicted and the copy is refused.
     *
     * @param limit the size limit of the root
     * @param reserve the bytes to leave free on the root's file system
     * @param held the bytes the root's committed copies hold now
     * @param free the free bytes of the root's file system now, the new copy's files (already
     *     written) not counted as free
     * @param incoming the new copy
     * @param references how many committed copies of the root list a file now
     * @param candidates the copies that may be evicted, in eviction order
     */
    @VisibleForTesting
    static Plan plan(
            long limit,
            long reserve,
            long held,
            long free,
            DiskFootprint incoming,
            ToIntFunction<Object> references,
            List<DiskFootprint> candidates) {
        long heldAfter = held;
        for (Map.Entry<Object, Long> file : incoming.files().entrySet()) {
            if (references.applyAsInt(file.getKey()) == 0) {
                heldAfter += file.getValue();
            }
        }
        Room room = new Room(heldAfter, free, references, incoming.files().keySet());
        for (int next = 0; room.held > limit || room.free < reserve; next++) {
            if (next == candidates.size()) {
                return new Plan(false, new ArrayList<>(), held, free);
            }
            room.evict(candidates.get(next));
        }
        return new Plan(true, room.victims, room.held, room.free);
    }

    /**
     * Whether the files that the pending (uncommitted) copies of a root have written so far fit its
     * budget as a writer is about to add more, and which copies must be evicted at once for that:
     * of those that may go while a copy is still being written ({@code evictableNow}: copies of
     * released jobs and older copies, in eviction order), as few as needed. The newest copy of the
     * writing copy's own subtask ({@code evictableAtCommit}) only goes when that copy commits, so
     * when the files fit only without it, the copy keeps being written and the root is over its
     * budget until the commit. The copy is refused (nothing evicted) when it cannot fit even with
     * every candidate of both lists gone, which its commit would also find.
     *
     * @param limit the size limit of the root
     * @param reserve the bytes to leave free on the root's file system
     * @param held the bytes the root's committed copies hold now
     * @param free the free bytes of the root's file system once the next bytes are written ({@link
     *     #NO_LIMIT} when unknown)
     * @param inFlight the bytes every pending copy of the root has written, the next bytes included
     * @param own the bytes the writing copy has written, the next bytes included
     * @param references how many committed copies of the root list a file now
     */
    @VisibleForTesting
    static Plan planWrite(
            long limit,
            long reserve,
            long held,
            long free,
            long inFlight,
            long own,
            ToIntFunction<Object> references,
            List<DiskFootprint> evictableNow,
            List<DiskFootprint> evictableAtCommit) {
        Room room = new Room(held, free, references, Collections.emptySet());
        int next = 0;
        while ((room.held + inFlight > limit || room.free < reserve)
                && next < evictableNow.size()) {
            room.evict(evictableNow.get(next++));
        }
        if (room.held + inFlight <= limit && room.free >= reserve) {
            return new Plan(true, room.victims, room.held, room.free);
        }
        // over now: whether the writing copy could still fit when it commits
        Room atCommit = new Room(room);
        for (int i = next; i < evictableNow.size(); i++) {
            atCommit.evict(evictableNow.get(i));
        }
        for (DiskFootprint replaced : evictableAtCommit) {
            atCommit.evict(replaced);
        }
        if (atCommit.held + own <= limit && atCommit.free >= reserve) {
            return new Plan(true, room.victims, room.held, room.free);
        }
        return new Plan(false, new ArrayList<>(), held, free);
    }

    /** The bytes held and free as candidates are evicted, every distinct file counted once. */
    private static final class Room {
        long held;
        long free;
        final List<DiskFootprint> victims;
        private final ToIntFunction<Object> references;
        private final Set<Object> kept;
        private final Map<Object, Integer> dropped;

        Room(long held, long free, ToIntFunction<Object> references, Set<Object> kept) {
            this.held = held;
            this.free = free;
            this.references = references;
            this.kept = kept;
            this.victims = new ArrayList<>();
            this.dropped = new HashMap<>();
        }

        Room(Room other) {
            this.held = other.held;
            this.free = other.free;
            this.references = other.references;
            this.kept = other.kept;
            this.victims = new ArrayList<>(other.victims);
            this.dropped = new HashMap<>(other.dropped);
        }

        /** Evicts a candidate: a file no other copy lists any more is freed. */
        void evict(DiskFootprint victim) {
            victims.add(victim);
            for (Map.Entry<Object, Long> file : victim.files().entrySet()) {
                int left =
                        references.applyAsInt(file.getKey())
                                - dropped.merge(file.getKey(), 1, Integer::sum);
                if (left == 0 && !kept.contains(file.getKey())) {
                    held -= file.getValue();
                    free = free == NO_LIMIT ? NO_LIMIT : free + file.getValue();
                }
            }
        }
    }
}
