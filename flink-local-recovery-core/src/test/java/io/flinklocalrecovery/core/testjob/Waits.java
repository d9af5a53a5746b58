package io.flinklocalrecovery.core.testjob;

import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Bounded polling for conditions of a running job; never a fixed sleep as synchronization. */
public final class Waits {

    public static final Duration TIMEOUT = Duration.ofMinutes(2);

    private Waits() {}

    public static void waitUntil(BooleanSupplier condition, String what) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    public static JobStatus status(JobClient client) {
        try {
            return client.getJobStatus().get();
        } catch (Exception e) {
            return JobStatus.FAILED;
        }
    }
}
