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
package io.flinklocalrecovery.core.restore;

import org.apache.flink.annotation.Internal;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.KeyedStateHandle;

import java.util.Collection;

/**
 * Whether a keyed restore follows a change of parallelism: its handles do not cover exactly the
 * subtask's key groups as one old subtask's state (several handles to merge after a scale-in, or
 * part of a wider one after a scale-out). Flink hands a restore with unchanged parallelism the one
 * handle of the subtask's own key-group range.
 *
 * <p>What the handles cannot show: Flink cuts a {@code KeyGroupsStateHandle} (heap and RocksDB full
 * snapshots: key-group offsets into one stream) to the new subtask's range, keeping its id, so
 * after a scale-out a subtask whose range lies within one old subtask's gets one handle of exactly
 * its range, as without a rescale. Such a restore counts in the restore totals only. RocksDB's
 * incremental handles keep their range, so all their rescales are seen.
 */
@Internal
public final class KeyedRescale {

    private KeyedRescale() {}

    public static boolean isRescale(
            KeyGroupRange subtaskRange, Collection<? extends KeyedStateHandle> handles) {
        int handlesWithRange = 0;
        for (KeyedStateHandle handle : handles) {
            // Flink's restore operations skip null handles
            if (handle == null) {
                continue;
            }
            handlesWithRange++;
            if (!handle.getKeyGroupRange().equals(subtaskRange)) {
                return true;
            }
        }
        return handlesWithRange > 1;
    }
}
