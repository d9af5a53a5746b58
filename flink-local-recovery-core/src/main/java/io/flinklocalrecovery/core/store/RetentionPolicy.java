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

import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Set;

/**
 * Which local checkpoints of one scope to keep: a pure function of checkpoint ids, so that every
 * order of begin, commit, confirm, abort, restore and restart can be tested on its own.
 *
 * <ul>
 *   <li>The newest {@code K} confirmed checkpoints whose local copy is committed are kept. A
 *       confirmed checkpoint whose copy is still being written is kept too, but does not count
 *       towards {@code K}: the committed copy it will replace stays until it is committed itself.
 *   <li>Unconfirmed checkpoints newer than the newest confirmed one are in progress: the newest
 *       {@value #MAX_UNCONFIRMED_KEPT} are kept. For a job of which this TaskManager receives no
 *       checkpoint notifications at all (Flink notifies keyed state backends only: a job that has
 *       only operator state on this TaskManager), completed and aborted checkpoints look alike: the
 *       newest {@code K} + {@value #MAX_UNCONFIRMED_KEPT} are kept.
 *   <li>Survivors of a TaskManager restart ({@code recovered}) are of unknown status until the
 *       restore after the restart decides: those newer than the newest confirmed checkpoint are
 *       kept, at most {@code K} + {@value #MAX_UNCONFIRMED_KEPT} of them (as many as the store held
 *       before); older ones count as confirmed (they are the history of a confirmed one).
 *   <li>Everything else is dropped.
 * </ul>
 */
@Internal
final class RetentionPolicy {

    /** In-progress (unconfirmed, newer than the newest confirmed) checkpoints kept per scope. */
    static final int MAX_UNCONFIRMED_KEPT = 2;

    private RetentionPolicy() {}

    /**
     * The checkpoint ids of one scope to drop.
     *
     * @param committed checkpoint id of every local checkpoint of the scope, to whether its local
     *     copy is committed (false: still being written)
     * @param confirmed the job's confirmed checkpoint ids
     * @param recovered the ids of local checkpoints that survived a TaskManager restart and were
     *     not confirmed since
     * @param retained {@code K}, at least 1
     */
    @VisibleForTesting
    static List<Long> toDrop(
            NavigableMap<Long, Boolean> committed,
            NavigableSet<Long> confirmed,
            Set<Long> recovered,
            int retained) {
        return toDrop(committed, confirmed, recovered, retained, true);
    }

    /**
     * The checkpoint ids of one scope to drop.
     *
     * @param notified whether this TaskManager receives checkpoint notifications of the job
     */
    static List<Long> toDrop(
            NavigableMap<Long, Boolean> committed,
            NavigableSet<Long> confirmed,
            Set<Long> recovered,
            int retained,
            boolean notified) {
        int unconfirmedLimit = notified ? MAX_UNCONFIRMED_KEPT : retained + MAX_UNCONFIRMED_KEPT;
        long newestConfirmed = confirmed.isEmpty() ? -1L : confirmed.last();
        int confirmedKept = 0;
        int unconfirmedKept = 0;
        int recoveredKept = 0;
        List<Long> drop = new ArrayList<>();
        for (Long id : committed.descendingKeySet()) {
            boolean isCommitted = committed.get(id);
            boolean countsAsConfirmed =
                    confirmed.contains(id) || (recovered.contains(id) && id < newestConfirmed);
            if (countsAsConfirmed) {
                if (!isCommitted) {
                    continue; // in progress: kept, and the committed one before it stays
                }
                if (confirmedKept < retained) {
                    confirmedKept++;
                } else {
                    drop.add(id);
                }
            } else if (recovered.contains(id)) {
                if (recoveredKept < retained + MAX_UNCONFIRMED_KEPT) {
                    recoveredKept++;
                } else {
                    drop.add(id);
                }
            } else if (id > newestConfirmed && unconfirmedKept < unconfirmedLimit) {
                unconfirmedKept++;
            } else {
                drop.add(id);
            }
        }
        return drop;
    }
}
