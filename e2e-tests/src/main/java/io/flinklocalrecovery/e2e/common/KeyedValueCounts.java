package io.flinklocalrecovery.e2e.common;

import io.flinklocalrecovery.e2e.job.KeyedValueJob;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the keyed function of a {@link KeyedValueJob} finds for the keys it processes, counted for a
 * harness in the same JVM (the MiniCluster's): the keys created while the first attempt builds the
 * state, and after a restore the values checked, the wrong ones (a restored value differs from the
 * one written) and the keys lost (a key came back without its value). {@link #reset} before each
 * job.
 */
public final class KeyedValueCounts {

    private final Runnable onStateBuilt;

    private volatile long numKeys;
    private final AtomicLong keysCreated = new AtomicLong();
    private volatile long builtNanos;
    private final AtomicLong valuesChecked = new AtomicLong();
    private final AtomicLong valuesWrong = new AtomicLong();
    private final AtomicLong keysLost = new AtomicLong();

    /** {@code onStateBuilt} runs once per job, in the task that created the last key. */
    public KeyedValueCounts(Runnable onStateBuilt) {
        this.onStateBuilt = onStateBuilt;
    }

    public void reset(long keys) {
        numKeys = keys;
        keysCreated.set(0);
        builtNanos = 0;
        valuesChecked.set(0);
        valuesWrong.set(0);
        keysLost.set(0);
    }

    /**
     * A keyed function of task attempt {@code attempt} found {@code current} as the value of a key
     * whose value must be {@code expected}; {@code current} is null for a key without a value.
     */
    public void found(int attempt, byte[] current, byte[] expected) {
        if (current == null) {
            if (attempt == 0) {
                keyCreated();
            } else {
                keysLost.incrementAndGet();
            }
        } else if (attempt > 0) {
            valuesChecked.incrementAndGet();
            if (!Arrays.equals(current, expected)) {
                valuesWrong.incrementAndGet();
            }
        }
    }

    private void keyCreated() {
        if (keysCreated.incrementAndGet() == numKeys) {
            builtNanos = System.nanoTime();
            onStateBuilt.run();
        }
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

    public long valuesChecked() {
        return valuesChecked.get();
    }

    public long valuesWrong() {
        return valuesWrong.get();
    }

    public long keysLost() {
        return keysLost.get();
    }
}
