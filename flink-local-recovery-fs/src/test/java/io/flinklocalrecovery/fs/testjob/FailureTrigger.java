package io.flinklocalrecovery.fs.testjob;

import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Injects exactly one task failure once a number of checkpoints has completed, deterministically
 * (no timing involved). Static, because MiniCluster tasks run in the test's JVM.
 */
public final class FailureTrigger {

    private static final Set<Long> COMPLETED = new ConcurrentSkipListSet<>();
    private static final AtomicInteger FAIL_AFTER = new AtomicInteger(Integer.MAX_VALUE);
    private static final AtomicBoolean FAILED = new AtomicBoolean();
    private static final AtomicInteger GENERATION = new AtomicInteger();

    private FailureTrigger() {}

    /** Fails once, after {@code checkpoints} checkpoints completed; MAX_VALUE never fails. */
    public static void reset(int checkpoints) {
        GENERATION.incrementAndGet();
        COMPLETED.clear();
        FAILED.set(false);
        FAIL_AFTER.set(checkpoints);
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
        if (generation == GENERATION.get()
                && COMPLETED.size() >= FAIL_AFTER.get()
                && FAILED.compareAndSet(false, true)) {
            throw new RuntimeException(
                    "Injected task failure after " + COMPLETED.size() + " checkpoints");
        }
    }

    public static boolean hasFailed() {
        return FAILED.get();
    }

    public static int completedCheckpoints() {
        return COMPLETED.size();
    }

    public static Set<Long> completedCheckpointIds() {
        return new java.util.TreeSet<>(COMPLETED);
    }
}
