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

import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Injects task failures deterministically (no timing involved): the first once a number of
 * checkpoints has completed, each further one once a number of further checkpoints has completed
 * after the previous failure. Static, because MiniCluster tasks run in the test's JVM.
 */
public final class FailureTrigger {

    private static final Set<Long> COMPLETED = new ConcurrentSkipListSet<>();
    private static volatile int[] thresholds = new int[0];
    private static final AtomicInteger FAILURES = new AtomicInteger();
    private static volatile int nextAt = Integer.MAX_VALUE;
    private static final AtomicInteger GENERATION = new AtomicInteger();

    private FailureTrigger() {}

    /**
     * Fails after {@code first} completed checkpoints, then after each of {@code further} completed
     * checkpoints more; MAX_VALUE never fails.
     */
    public static synchronized void reset(int first, int... further) {
        GENERATION.incrementAndGet();
        COMPLETED.clear();
        FAILURES.set(0);
        thresholds = further;
        nextAt = first;
    }

    /**
     * The current run; functions built for an earlier run (a job still winding down) are ignored.
     */
    static int generation() {
        return GENERATION.get();
    }

    static void checkpointCompleted(int generation, long checkpointId) {
        if (generation == GENERATION.get()) {
            COMPLETED.add(checkpointId);
        }
    }

    static void maybeFail(int generation) {
        if (generation != GENERATION.get() || COMPLETED.size() < nextAt) {
            return;
        }
        synchronized (FailureTrigger.class) {
            if (COMPLETED.size() < nextAt) {
                return;
            }
            int failure = FAILURES.getAndIncrement();
            nextAt =
                    failure < thresholds.length
                            ? COMPLETED.size() + thresholds[failure]
                            : Integer.MAX_VALUE;
        }
        throw new RuntimeException(
                "Injected task failure after " + COMPLETED.size() + " checkpoints");
    }

    public static boolean hasFailed() {
        return FAILURES.get() > 0;
    }

    public static int failures() {
        return FAILURES.get();
    }

    public static int completedCheckpoints() {
        return COMPLETED.size();
    }

    public static Set<Long> completedCheckpointIds() {
        return new TreeSet<>(COMPLETED);
    }
}
