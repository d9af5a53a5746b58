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

import javax.annotation.Nullable;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the store knows of one job's local checkpoints: per scope, each checkpoint id's copy,
 * pending (being written) or committed (its manifest written); the checkpoint ids confirmed;
 * whether the job was released. Not thread-safe: {@link CheckpointRegistry} guards it with the
 * store's lock.
 */
final class JobCheckpoints {

    /** Confirmed checkpoint ids remembered at most; the oldest are forgotten first. */
    static final int CONFIRMED_IDS_REMEMBERED = 1024;

    /** How many confirmed checkpoints keep their local copies. */
    int retained;

    final TreeSet<Long> confirmed = new TreeSet<>();

    /** Survivors of a restart, of unknown status until a restore decides (RetentionPolicy). */
    final Set<Long> recovered = new HashSet<>();

    /**
     * When the job left this TaskManager, 0 while it runs here; for a job found at start that no
     * task claimed yet, when the store opened.
     */
    long releasedAtMillis;

    /** Whether a checkpoint notification (confirm or abort) of the job arrived here. */
    boolean notified;

    /** Whether the retention without notifications was logged for this job. */
    boolean unnotifiedLogged;

    final Map<LocalSnapshotScope, TreeMap<Long, LocalCheckpoint>> scopes = new HashMap<>();

    JobCheckpoints(int retained) {
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

    /**
     * The job restored from this checkpoint: it is confirmed, and confirmations of newer ones
     * belong to an abandoned history (a rollback under the same job id).
     */
    void rollBackTo(long checkpointId) {
        confirmed.tailSet(checkpointId, false).clear();
        confirm(checkpointId);
    }

    @Nullable
    LocalCheckpoint get(LocalSnapshotScope scope, long checkpointId) {
        TreeMap<Long, LocalCheckpoint> checkpoints = scopes.get(scope);
        return checkpoints == null ? null : checkpoints.get(checkpointId);
    }

    /** The committed checkpoint ids of a scope, oldest first. */
    List<Long> committedIds(LocalSnapshotScope scope) {
        List<Long> ids = new ArrayList<>();
        TreeMap<Long, LocalCheckpoint> checkpoints = scopes.get(scope);
        if (checkpoints != null) {
            checkpoints.forEach(
                    (id, checkpoint) -> {
                        if (checkpoint.isCommitted()) {
                            ids.add(id);
                        }
                    });
        }
        return ids;
    }

    /** The newest committed checkpoint of a scope, if any. */
    @Nullable
    LocalCheckpoint newestCommitted(LocalSnapshotScope scope) {
        TreeMap<Long, LocalCheckpoint> checkpoints = scopes.get(scope);
        if (checkpoints != null) {
            for (LocalCheckpoint checkpoint : checkpoints.descendingMap().values()) {
                if (checkpoint.isCommitted()) {
                    return checkpoint;
                }
            }
        }
        return null;
    }

    int pendingCount() {
        int pending = 0;
        for (TreeMap<Long, LocalCheckpoint> checkpoints : scopes.values()) {
            for (LocalCheckpoint checkpoint : checkpoints.values()) {
                if (!checkpoint.isCommitted()) {
                    pending++;
                }
            }
        }
        return pending;
    }

    /** Whether some scope's copy of this checkpoint is still being written. */
    boolean isPending(long checkpointId) {
        for (TreeMap<Long, LocalCheckpoint> checkpoints : scopes.values()) {
            LocalCheckpoint checkpoint = checkpoints.get(checkpointId);
            if (checkpoint != null && !checkpoint.isCommitted()) {
                return true;
            }
        }
        return false;
    }

    /** One scope's copy of one checkpoint: pending until its manifest is written. */
    static final class LocalCheckpoint {
        final PendingLocalCheckpoint pending;
        @Nullable LocalCheckpointManifest manifest;

        /** Whose copy it is: the store's own, or one of a root it adopted. */
        CopyOrigin origin = CopyOrigin.OWN;

        /** When it was committed, in the store's commit order (the disk budget evicts by it). */
        long commitSequence;

        LocalCheckpoint(PendingLocalCheckpoint pending) {
            this.pending = pending;
        }

        boolean isCommitted() {
            return manifest != null;
        }

        Path directory() {
            return pending.getDirectory();
        }
    }
}
