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
package io.flinklocalrecovery.testutils.job;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What the keyed function of a {@link KeyedValueJob} finds, counted for a harness in the same JVM
 * (the MiniCluster's): the keys created while the first attempt builds the state, and for every
 * later attempt the keys whose restored value it checked, by what it found. The checks of an
 * attempt are complete when every key of the job was checked once ({@link #allChecked}). {@link
 * #reset} before each job.
 */
public final class KeyedValueCounts implements ValueChecks {

    private final Runnable onStateBuilt;

    private volatile long numKeys;
    private final AtomicLong keysCreated = new AtomicLong();
    private volatile long builtNanos;

    /** Attempt to its counts, indexed by {@link Found#ordinal()}. */
    private final Map<Integer, AtomicLongArray> checks = new ConcurrentHashMap<>();

    /** {@code onStateBuilt} runs once per job, in the task that created the last key. */
    public KeyedValueCounts(Runnable onStateBuilt) {
        this.onStateBuilt = onStateBuilt;
    }

    public void reset(long keys) {
        numKeys = keys;
        keysCreated.set(0);
        builtNanos = 0;
        checks.clear();
    }

    @Override
    public void keyCreated() {
        if (keysCreated.incrementAndGet() == numKeys) {
            builtNanos = System.nanoTime();
            onStateBuilt.run();
        }
    }

    @Override
    public void keyChecked(int attempt, Found found) {
        checks.computeIfAbsent(attempt, a -> new AtomicLongArray(Found.values().length))
                .incrementAndGet(found.ordinal());
    }

    public long numKeys() {
        return numKeys;
    }

    public long keysCreated() {
        return keysCreated.get();
    }

    public boolean stateBuilt() {
        return keysCreated.get() >= numKeys;
    }

    /** {@link System#nanoTime} when the last key was created, 0 before. */
    public long builtNanos() {
        return builtNanos;
    }

    /** The keys attempt {@code attempt} checked and found so. */
    public long checked(int attempt, Found found) {
        AtomicLongArray counts = checks.get(attempt);
        return counts == null ? 0 : counts.get(found.ordinal());
    }

    /** The keys attempt {@code attempt} checked, whatever it found. */
    public long checked(int attempt) {
        long sum = 0;
        for (Found found : Found.values()) {
            sum += checked(attempt, found);
        }
        return sum;
    }

    /** Whether attempt {@code attempt} checked every key of the job. */
    public boolean allChecked(int attempt) {
        return checked(attempt) >= numKeys;
    }

    /** The keys checked and found so, over all attempts after the first. */
    public long checkedInAllAttempts(Found found) {
        long sum = 0;
        for (int attempt : checks.keySet()) {
            sum += checked(attempt, found);
        }
        return sum;
    }

    /** The keys checked over all attempts after the first. */
    public long checkedInAllAttempts() {
        long sum = 0;
        for (Found found : Found.values()) {
            sum += checkedInAllAttempts(found);
        }
        return sum;
    }
}
