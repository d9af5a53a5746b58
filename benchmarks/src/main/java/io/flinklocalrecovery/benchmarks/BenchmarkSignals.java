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
package io.flinklocalrecovery.benchmarks;

import io.flinklocalrecovery.testutils.job.KeyedValueCounts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the benchmark job's keyed function tells the harness: state built, checkpoints that hold the
 * whole state, the injected failures and when every keyed subtask processes records again. Static,
 * because the MiniCluster runs the tasks in the harness's JVM; {@link #reset} before each job.
 *
 * <p>Failures are deterministic: attempt {@code a} fails once {@code failAfter} checkpoints that
 * hold the whole state completed in that attempt (counted in {@code notifyCheckpointComplete}), by
 * the next record it processes, until {@code failures} failures were injected; an attempt after a
 * restore fails only once it has checked every restored key. Recovery {@code i} ends when every
 * keyed subtask of a later attempt processed its first record.
 */
final class BenchmarkSignals {

    private static volatile int parallelism;
    private static volatile int failAfter;
    private static volatile int failures;
    private static volatile int postRecoveryCheckpoints;
    private static volatile boolean replaceTaskManager;

    /** The keys created, and the values checked after a restore. */
    static final KeyedValueCounts COUNTS = new KeyedValueCounts(() -> {});

    /** (attempt, checkpoint id) to the subtasks that snapshotted the whole state. */
    private static final Map<String, Set<Integer>> FULL_SNAPSHOTS = new ConcurrentHashMap<>();

    /** Attempt to the ids of completed checkpoints holding the whole state taken by it. */
    private static final Map<Integer, Set<Long>> FULL_COMPLETED = new ConcurrentHashMap<>();

    /** Every completed checkpoint holding the whole state, with its attempt, in order. */
    private static final List<long[]> FULL_COMPLETED_ORDER = new ArrayList<>();

    private static final Set<Long> COMPLETED = ConcurrentHashMap.newKeySet();

    private static final AtomicInteger INJECTED = new AtomicInteger();
    private static final long[] FAILURE_NANOS = new long[64];
    private static final int[] FAILURE_ATTEMPT = new int[64];
    private static final long[] RECOVERED_NANOS = new long[64];
    private static final Map<Integer, Set<Integer>> PROCESSING = new ConcurrentHashMap<>();
    private static final AtomicInteger RECOVERED = new AtomicInteger();
    private static final AtomicInteger MAX_ATTEMPT = new AtomicInteger();
    private static final Map<Integer, Long> RESTORED_CHECKPOINT = new ConcurrentHashMap<>();

    private BenchmarkSignals() {}

    static synchronized void reset(
            long keys, int subtasks, int failAfterCheckpoints, int numFailures, int postRecovery) {
        if (numFailures > FAILURE_NANOS.length) {
            throw new IllegalArgumentException("at most " + FAILURE_NANOS.length + " failures");
        }
        parallelism = subtasks;
        failAfter = failAfterCheckpoints;
        failures = numFailures;
        postRecoveryCheckpoints = postRecovery;
        replaceTaskManager = false;
        COUNTS.reset(keys);
        FULL_SNAPSHOTS.clear();
        FULL_COMPLETED.clear();
        FULL_COMPLETED_ORDER.clear();
        COMPLETED.clear();
        INJECTED.set(0);
        java.util.Arrays.fill(FAILURE_NANOS, 0);
        java.util.Arrays.fill(FAILURE_ATTEMPT, -1);
        java.util.Arrays.fill(RECOVERED_NANOS, 0);
        PROCESSING.clear();
        RECOVERED.set(0);
        MAX_ATTEMPT.set(0);
        RESTORED_CHECKPOINT.clear();
    }

    // ------------------------------------------------------------------------
    // checkpoints

    /** In snapshotState: this subtask's part of the checkpoint holds the whole state. */
    static void fullSnapshotTaken(int attempt, long checkpointId, int subtask) {
        FULL_SNAPSHOTS
                .computeIfAbsent(attempt + "/" + checkpointId, k -> ConcurrentHashMap.newKeySet())
                .add(subtask);
    }

    static void checkpointCompleted(int attempt, long checkpointId) {
        Set<Integer> full = FULL_SNAPSHOTS.get(attempt + "/" + checkpointId);
        if (full != null && full.size() == parallelism) {
            Set<Long> ids =
                    FULL_COMPLETED.computeIfAbsent(attempt, k -> ConcurrentHashMap.newKeySet());
            if (ids.add(checkpointId)) {
                synchronized (FULL_COMPLETED_ORDER) {
                    FULL_COMPLETED_ORDER.add(new long[] {checkpointId, attempt});
                }
            }
        }
        COMPLETED.add(checkpointId);
    }

    private static int fullCompleted(int attempt) {
        Set<Long> ids = FULL_COMPLETED.get(attempt);
        return ids == null ? 0 : ids.size();
    }

    /** Completed checkpoints that hold the whole state: {checkpoint id, attempt}, in order. */
    static List<long[]> fullCheckpoints() {
        synchronized (FULL_COMPLETED_ORDER) {
            return new ArrayList<>(FULL_COMPLETED_ORDER);
        }
    }

    static int completedCheckpoints() {
        return COMPLETED.size();
    }

    // ------------------------------------------------------------------------
    // failures and recovery

    /** True exactly once per failure: the caller throws the injected failure. */
    static boolean failNow(int attempt) {
        int injected = INJECTED.get();
        if (injected >= failures || fullCompleted(attempt) < failAfter) {
            return false;
        }
        // an attempt after a restore fails only once it checked every restored key
        if (attempt > 0 && !COUNTS.allChecked(attempt)) {
            return false;
        }
        // one failure per attempt, and only in an attempt after the previous failure's
        if (injected > 0
                && (FAILURE_ATTEMPT[injected - 1] >= attempt
                        || RECOVERED_NANOS[injected - 1] == 0)) {
            return false;
        }
        if (INJECTED.compareAndSet(injected, injected + 1)) {
            FAILURE_NANOS[injected] = System.nanoTime();
            FAILURE_ATTEMPT[injected] = attempt;
            return true;
        }
        return false;
    }

    static int injected() {
        return INJECTED.get();
    }

    /**
     * Each failure is the loss of the TaskManager, replaced by a new one, instead of a task
     * failure: the subtask that would throw stops processing ({@link #awaitTaskManagerLoss}) and
     * the harness replaces the TaskManager ({@link #replacementStartsNow}). Call after {@link
     * #reset}.
     */
    static void failByReplacingTheTaskManager() {
        replaceTaskManager = true;
    }

    static boolean replacesTaskManager() {
        return replaceTaskManager;
    }

    /**
     * In the task that was to fail when the TaskManager is replaced instead: processes nothing more
     * (so no newer checkpoint completes) until the TaskManager's shutdown cancels it.
     */
    static void awaitTaskManagerLoss() throws InterruptedException {
        Thread.sleep(Long.MAX_VALUE);
    }

    /**
     * The harness starts to replace the TaskManager for injected failure {@code i}: its recovery
     * time counts from now.
     */
    static void replacementStartsNow(int i) {
        FAILURE_NANOS[i] = System.nanoTime();
    }

    static void restored(int attempt, int subtask, long checkpointId) {
        RESTORED_CHECKPOINT.merge(attempt, checkpointId, Math::min);
        MAX_ATTEMPT.accumulateAndGet(attempt, Math::max);
    }

    static void processingAgain(int attempt, int subtask) {
        long now = System.nanoTime();
        MAX_ATTEMPT.accumulateAndGet(attempt, Math::max);
        synchronized (BenchmarkSignals.class) {
            // the newest failure injected before this attempt that is not yet recovered
            int index = INJECTED.get() - 1;
            if (index < 0 || FAILURE_ATTEMPT[index] >= attempt || RECOVERED_NANOS[index] != 0) {
                return;
            }
            Set<Integer> subtasks =
                    PROCESSING.computeIfAbsent(index, k -> new java.util.HashSet<>());
            if (subtasks.add(subtask) && subtasks.size() == parallelism) {
                RECOVERED_NANOS[index] = now;
                RECOVERED.incrementAndGet();
            }
        }
    }

    static int recovered() {
        return RECOVERED.get();
    }

    /** From injected failure {@code i} until the last keyed subtask processed a record again. */
    static long recoveryNanos(int i) {
        return RECOVERED_NANOS[i] - FAILURE_NANOS[i];
    }

    static int failureAttempt(int i) {
        return FAILURE_ATTEMPT[i];
    }

    static int maxAttempt() {
        return MAX_ATTEMPT.get();
    }

    /** Whether the newest attempt completed the post-recovery checkpoints (the job is done). */
    static boolean done() {
        if (RECOVERED.get() < failures) {
            return false;
        }
        int attempt = MAX_ATTEMPT.get();
        return fullCompleted(attempt) >= postRecoveryCheckpoints && COUNTS.allChecked(attempt);
    }
}
