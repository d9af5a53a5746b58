package io.flinklocalrecovery.core.testjob;

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
