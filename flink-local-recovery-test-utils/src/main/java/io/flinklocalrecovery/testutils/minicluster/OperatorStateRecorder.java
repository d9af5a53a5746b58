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
package io.flinklocalrecovery.testutils.minicluster;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** What the operator-state function snapshotted and what it found when restored. */
public final class OperatorStateRecorder {

    /** One restore of one subtask. */
    public static final class Restore {
        public final long checkpointId;
        public final int subtask;
        public final long listCount;
        public final Long unionOwnCount;
        public final boolean ruleSeen;
        public final String broadcastRule;

        Restore(
                long checkpointId,
                int subtask,
                long listCount,
                Long unionOwnCount,
                boolean ruleSeen,
                String broadcastRule) {
            this.checkpointId = checkpointId;
            this.subtask = subtask;
            this.listCount = listCount;
            this.unionOwnCount = unionOwnCount;
            this.ruleSeen = ruleSeen;
            this.broadcastRule = broadcastRule;
        }

        @Override
        public String toString() {
            return String.format(
                    "Restore{chk=%d, subtask=%d, list=%d, union=%s, ruleSeen=%s, rule=%s}",
                    checkpointId, subtask, listCount, unionOwnCount, ruleSeen, broadcastRule);
        }
    }

    private static final Map<String, Long> SNAPSHOTS = new ConcurrentHashMap<>();
    private static final List<Restore> RESTORES = new CopyOnWriteArrayList<>();

    private OperatorStateRecorder() {}

    public static void reset() {
        SNAPSHOTS.clear();
        RESTORES.clear();
    }

    static void snapshot(long checkpointId, int subtask, long count) {
        SNAPSHOTS.put(checkpointId + "/" + subtask, count);
    }

    static void restored(Restore restore) {
        RESTORES.add(restore);
    }

    public static Long snapshotCount(long checkpointId, int subtask) {
        return SNAPSHOTS.get(checkpointId + "/" + subtask);
    }

    public static List<Restore> restores() {
        return RESTORES;
    }
}
