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

import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** Retention orders, as checkpoint ids: which local checkpoints of a scope are dropped. */
class RetentionPolicyTest {

    @Test
    void keepsTheNewestConfirmedCommittedOnesAndTheNewestInProgress() {
        TreeMap<Long, Boolean> committed = committed(1, 2, 3, 4, 5, 6);
        assertThat(RetentionPolicy.toDrop(committed, ids(1, 2, 3, 4), Set.of(), 2))
                // 4 and 3 are the newest confirmed, 5 and 6 in progress
                .containsExactlyInAnyOrder(2L, 1L);
    }

    @Test
    void aConfirmedCheckpointStillBeingWrittenDoesNotReplaceTheCommittedOne() {
        TreeMap<Long, Boolean> checkpoints = committed(7);
        checkpoints.put(8L, false); // confirmed while its local copy is still being written
        assertThat(RetentionPolicy.toDrop(checkpoints, ids(7, 8), Set.of(), 1)).isEmpty();

        checkpoints.put(8L, true); // now committed: it replaces 7
        assertThat(RetentionPolicy.toDrop(checkpoints, ids(7, 8), Set.of(), 1)).containsExactly(7L);
    }

    @Test
    void survivorsOfARestartAreKeptUntilARestoreDecides() {
        // K = 1: confirmed 4 and never completed 5 survived; nothing confirmed since the restart
        TreeMap<Long, Boolean> checkpoints = committed(4, 5);
        assertThat(RetentionPolicy.toDrop(checkpoints, ids(), Set.of(4L, 5L), 1)).isEmpty();
        // bounded by what the store held before: K + the in-progress ones
        assertThat(RetentionPolicy.toDrop(committed(1, 2, 3, 4), ids(), Set.of(1L, 2L, 3L, 4L), 1))
                .containsExactly(1L);
    }

    @Test
    void survivorsOlderThanTheRestoredCheckpointCountAsConfirmed() {
        // K = 2, restored from 4 (confirmed by the restore): 3 is its history, 2 is beyond K
        TreeMap<Long, Boolean> checkpoints = committed(2, 3, 4);
        assertThat(RetentionPolicy.toDrop(checkpoints, ids(4), Set.of(2L, 3L), 2))
                .containsExactly(2L);
    }

    @Test
    void unconfirmedCheckpointsOlderThanTheNewestConfirmedAreDropped() {
        assertThat(RetentionPolicy.toDrop(committed(3, 4, 5), ids(5), Set.of(), 1))
                .containsExactlyInAnyOrder(3L, 4L);
    }

    private static TreeMap<Long, Boolean> committed(long... checkpointIds) {
        TreeMap<Long, Boolean> result = new TreeMap<>();
        for (long id : checkpointIds) {
            result.put(id, true);
        }
        return result;
    }

    private static TreeSet<Long> ids(long... checkpointIds) {
        TreeSet<Long> result = new TreeSet<>();
        for (long id : checkpointIds) {
            result.add(id);
        }
        return result;
    }

    @Test
    void withoutAnyNotificationTheNewestKPlusTwoAreKept() {
        // operator state only on this TaskManager: Flink never says which checkpoints completed,
        // before only the two newest were kept whatever K said
        TreeMap<Long, Boolean> checkpoints = committed(1, 2, 3, 4, 5, 6);

        assertThat(RetentionPolicy.toDrop(checkpoints, ids(), Set.of(), 3, false))
                .containsExactly(1L);
        assertThat(RetentionPolicy.toDrop(checkpoints, ids(), Set.of(), 3, true))
                .containsExactly(4L, 3L, 2L, 1L);
    }

    @Test
    void withoutNotificationsARestoredCheckpointStillCountsAsConfirmed() {
        TreeMap<Long, Boolean> checkpoints = committed(1, 2, 3, 4, 5, 6);

        // the restored one, and the newest K + 2 after it
        assertThat(RetentionPolicy.toDrop(checkpoints, ids(2), Set.of(), 1, false))
                .containsExactly(3L, 1L);
    }
}
