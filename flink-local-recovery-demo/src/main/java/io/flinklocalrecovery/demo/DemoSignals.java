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
package io.flinklocalrecovery.demo;

import io.flinklocalrecovery.testutils.job.KeyedValueCounts;

import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the job's functions tell the demo's main thread: progress, completed checkpoints, the
 * injected failure and when every keyed subtask processes records again. Static, because the
 * MiniCluster runs the tasks in the demo's JVM; {@link #reset} before each job.
 *
 * <p>The failure is deterministic: it is injected after {@code failAfter} checkpoints completed
 * that every keyed subtask took after the whole state was built (tracked with {@code snapshotState}
 * and {@code notifyCheckpointComplete}), by the first record processed after that.
 */
final class DemoSignals {

    private static volatile int parallelism;
    private static volatile int failAfter;
    private static volatile long startNanos;

    /** The keys created, and the values checked after a restore. */
    static final KeyedValueCounts COUNTS =
            new KeyedValueCounts(
                    () ->
                            event(
                                    String.format(
                                            "state built: %,d keys",
                                            DemoSignals.COUNTS.numKeys())));

    private static final Map<Long, Set<Integer>> FULL_SNAPSHOTS = new ConcurrentHashMap<>();
    private static final Set<Long> FULL_CHECKPOINTS_COMPLETED = new ConcurrentSkipListSet<>();
    private static final Set<Long> CHECKPOINTS_COMPLETED = new ConcurrentSkipListSet<>();
    private static final AtomicBoolean FAILED = new AtomicBoolean();
    private static volatile long failureNanos;
    private static final Map<Integer, Long> PROCESSING_AGAIN_NANOS = new ConcurrentHashMap<>();
    private static volatile CountDownLatch recovered = new CountDownLatch(1);
    private static final Queue<Event> EVENTS = new ConcurrentLinkedQueue<>();

    /** Something that happened in a task, for the main thread to print. */
    static final class Event {
        final long nanos;
        final String text;

        Event(long nanos, String text) {
            this.nanos = nanos;
            this.text = text;
        }
    }

    private DemoSignals() {}

    static void reset(long keys, int subtasks, int failAfterCheckpoints) {
        parallelism = subtasks;
        failAfter = failAfterCheckpoints;
        COUNTS.reset(keys);
        FULL_SNAPSHOTS.clear();
        FULL_CHECKPOINTS_COMPLETED.clear();
        CHECKPOINTS_COMPLETED.clear();
        FAILED.set(false);
        failureNanos = 0;
        PROCESSING_AGAIN_NANOS.clear();
        recovered = new CountDownLatch(subtasks);
        EVENTS.clear();
        startNanos = System.nanoTime();
    }

    static void event(String text) {
        EVENTS.add(new Event(System.nanoTime(), text));
    }

    static Event pollEvent() {
        return EVENTS.poll();
    }

    static long startNanos() {
        return startNanos;
    }

    // ------------------------------------------------------------------------
    // checkpoints and the failure

    /** Called in snapshotState: this subtask's part of the checkpoint holds the whole state. */
    static void fullSnapshotTaken(long checkpointId, int subtask) {
        FULL_SNAPSHOTS
                .computeIfAbsent(checkpointId, id -> ConcurrentHashMap.newKeySet())
                .add(subtask);
    }

    static void checkpointCompleted(long checkpointId) {
        Set<Integer> full = FULL_SNAPSHOTS.get(checkpointId);
        boolean isFull = full != null && full.size() == parallelism;
        if (CHECKPOINTS_COMPLETED.add(checkpointId)) {
            if (isFull) {
                FULL_CHECKPOINTS_COMPLETED.add(checkpointId);
            }
            event(
                    "checkpoint "
                            + checkpointId
                            + " completed"
                            + (isFull ? " (holds the whole state)" : ""));
        }
    }

    /** True exactly once: the caller throws the injected failure. */
    static boolean failNow(int subtask) {
        if (FULL_CHECKPOINTS_COMPLETED.size() >= failAfter && FAILED.compareAndSet(false, true)) {
            failureNanos = System.nanoTime();
            event(
                    "injecting task failure in subtask "
                            + subtask
                            + " after checkpoint "
                            + ((ConcurrentSkipListSet<Long>) FULL_CHECKPOINTS_COMPLETED).last());
            return true;
        }
        return false;
    }

    static boolean failed() {
        return FAILED.get();
    }

    static long failureNanos() {
        return failureNanos;
    }

    // ------------------------------------------------------------------------
    // recovery

    static void restored(int subtask, long checkpointId) {
        event("subtask " + subtask + " restored its state of checkpoint " + checkpointId);
    }

    static void processingAgain(int subtask) {
        if (PROCESSING_AGAIN_NANOS.putIfAbsent(subtask, System.nanoTime()) == null) {
            event(
                    String.format(
                            "subtask %d processing records again, %.2f s after the failure",
                            subtask, (System.nanoTime() - failureNanos) / 1e9));
            recovered.countDown();
        }
    }

    static CountDownLatch recoveredLatch() {
        return recovered;
    }

    /** From the injected failure until the last keyed subtask processed a record again. */
    static long recoveryNanos() {
        long last = 0;
        for (long nanos : PROCESSING_AGAIN_NANOS.values()) {
            last = Math.max(last, nanos);
        }
        return last - failureNanos;
    }
}
