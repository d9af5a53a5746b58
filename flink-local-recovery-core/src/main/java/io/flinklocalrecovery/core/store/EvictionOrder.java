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

import io.flinklocalrecovery.core.metrics.EvictionReason;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The order in which the disk budget evicts committed local copies to make room for a new one of
 * {@code scope} at {@code checkpointId}: what is least likely to be restored first. A pure function
 * of what the store knows about each copy.
 *
 * <ol>
 *   <li>copies of jobs that left this TaskManager or that no task claimed since a restart ({@link
 *       EvictionReason#RELEASED_JOB}), oldest first;
 *   <li>copies older than the newest copy of their operator subtask ({@link
 *       EvictionReason#OLDER_CHECKPOINT}), oldest first;
 *   <li>the newest copy of the new copy's own subtask, when it is older ({@link
 *       EvictionReason#REPLACED_BY_NEWER}): a newer copy is the likelier restore.
 * </ol>
 *
 * The newest copy of any other subtask of a running job is never evicted for someone else's copy:
 * the new copy is refused instead.
 */
@Internal
final class EvictionOrder {

    private EvictionOrder() {}

    /** A committed local copy, as the order sees it. */
    static final class Candidate {
        final LocalSnapshotScope scope;
        final long checkpointId;

        /** Commit order across the store: smaller is older. */
        final long commitSequence;

        final boolean jobReleased;
        final DiskFootprint footprint;

        Candidate(
                LocalSnapshotScope scope,
                long checkpointId,
                long commitSequence,
                boolean jobReleased,
                DiskFootprint footprint) {
            this.scope = scope;
            this.checkpointId = checkpointId;
            this.commitSequence = commitSequence;
            this.jobReleased = jobReleased;
            this.footprint = footprint;
        }

        @Override
        public String toString() {
            return scope + "@" + checkpointId;
        }
    }

    /** A candidate with the reason it would be evicted for. */
    static final class Eviction {
        final Candidate candidate;
        final EvictionReason reason;

        Eviction(Candidate candidate, EvictionReason reason) {
            this.candidate = candidate;
            this.reason = reason;
        }

        @Override
        public String toString() {
            return candidate + ":" + reason;
        }
    }

    static List<Eviction> order(
            List<Candidate> committed, LocalSnapshotScope scope, long checkpointId) {
        Map<LocalSnapshotScope, Long> newest = new HashMap<>();
        for (Candidate candidate : committed) {
            newest.merge(candidate.scope, candidate.checkpointId, Math::max);
        }
        List<Eviction> released = new ArrayList<>();
        List<Eviction> older = new ArrayList<>();
        List<Eviction> replaced = new ArrayList<>();
        for (Candidate candidate : committed) {
            boolean isNewest = newest.get(candidate.scope) == candidate.checkpointId;
            if (candidate.jobReleased) {
                released.add(new Eviction(candidate, EvictionReason.RELEASED_JOB));
            } else if (!isNewest) {
                older.add(new Eviction(candidate, EvictionReason.OLDER_CHECKPOINT));
            } else if (candidate.scope.equals(scope) && candidate.checkpointId < checkpointId) {
                replaced.add(new Eviction(candidate, EvictionReason.REPLACED_BY_NEWER));
            }
        }
        Comparator<Eviction> oldestFirst =
                Comparator.comparingLong(e -> e.candidate.commitSequence);
        released.sort(oldestFirst);
        older.sort(oldestFirst);
        List<Eviction> order = new ArrayList<>(released);
        order.addAll(older);
        order.addAll(replaced);
        return order;
    }
}
