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
package io.flinklocalrecovery.rocksdb;

import org.apache.flink.annotation.Internal;
import org.apache.flink.annotation.VisibleForTesting;
import org.apache.flink.util.Preconditions;

import io.flinklocalrecovery.core.store.BackgroundThreads;
import io.flinklocalrecovery.core.store.LocalSnapshotScope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

/**
 * The TaskManager's backlog of RocksDB native checkpoints waiting to be taken into the store. One
 * thread works it off; the backlog is bounded, because every staged checkpoint waiting in it pins
 * hard links to SST files that RocksDB may have compacted away already: when a subtask's newer
 * checkpoint arrives, its older ones still waiting are dropped (the commit thread is behind, and
 * the newest copy is the one a restore wants), and beyond {@link #DEFAULT_CAPACITY} waiting commits
 * the oldest is dropped. Dropping runs on a thread of its own, so that a commit thread stuck on a
 * hung local disk does not keep the dropped staging directories alive.
 */
@Internal
final class NativeCommitQueue {

    private static final Logger LOG = LoggerFactory.getLogger(NativeCommitQueue.class);

    /** Most commits waiting at once on one TaskManager. */
    static final int DEFAULT_CAPACITY = 64;

    /** The TaskManager-wide queue. */
    static final NativeCommitQueue SHARED =
            new NativeCommitQueue(
                    DEFAULT_CAPACITY,
                    Executors.newSingleThreadExecutor(
                            BackgroundThreads.factory("flink-local-recovery-rocksdb-commit")),
                    Executors.newSingleThreadExecutor(
                            BackgroundThreads.factory("flink-local-recovery-rocksdb-drop")));

    /** One native checkpoint to take into the store. */
    interface Commit {
        LocalSnapshotScope scope();

        long checkpointId();

        /** Takes the checkpoint into the store (on the commit thread). */
        void run();

        /** Gives the checkpoint up without reading it (on the drop thread). */
        void drop();
    }

    private final int capacity;
    private final Executor committer;
    private final Executor dropper;
    private final ArrayDeque<Commit> backlog = new ArrayDeque<>();

    @VisibleForTesting
    NativeCommitQueue(int capacity, Executor committer, Executor dropper) {
        Preconditions.checkArgument(capacity >= 1);
        this.capacity = capacity;
        this.committer = committer;
        this.dropper = dropper;
    }

    void submit(Commit commit) {
        List<Commit> dropped = new ArrayList<>();
        synchronized (this) {
            for (Iterator<Commit> waiting = backlog.iterator(); waiting.hasNext(); ) {
                Commit older = waiting.next();
                if (older.scope().equals(commit.scope())
                        && older.checkpointId() < commit.checkpointId()) {
                    waiting.remove();
                    dropped.add(older);
                }
            }
            backlog.addLast(commit);
            while (backlog.size() > capacity) {
                dropped.add(backlog.pollFirst());
            }
        }
        for (Commit drop : dropped) {
            LOG.debug(
                    "Dropping the waiting local commit of checkpoint {} of {}.",
                    drop.checkpointId(),
                    drop.scope());
            dropper.execute(drop::drop);
        }
        committer.execute(this::runNext);
    }

    /** Deletes a staged directory nobody will commit (a failed or cancelled snapshot). */
    void dropStaged(Runnable deletion) {
        dropper.execute(deletion);
    }

    @VisibleForTesting
    synchronized int waiting() {
        return backlog.size();
    }

    private void runNext() {
        Commit next;
        synchronized (this) {
            next = backlog.pollFirst();
        }
        if (next != null) {
            next.run();
        }
    }
}
