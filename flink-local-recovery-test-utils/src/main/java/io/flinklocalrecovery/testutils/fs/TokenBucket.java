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
package io.flinklocalrecovery.testutils.fs;

import java.io.InterruptedIOException;

/**
 * A token bucket of bytes per second, shared by all streams of one direction (read or write) of a
 * {@link ThrottledFileSystem}: the streams together never move more than {@code bytesPerSecond},
 * after an initial burst of at most {@code burstBytes}.
 *
 * <p>Callers report bytes after they moved them ({@link #acquire}); the bucket goes into debt and
 * the caller sleeps until the debt is paid. Short debts (under {@link #MIN_SLEEP_NANOS}) are
 * carried over instead of slept, so that many small reads cost no sleep each and the long-run rate
 * is still exact.
 */
final class TokenBucket {

    private static final long MIN_SLEEP_NANOS = 1_000_000L;

    private final double nanosPerByte;
    private final long burstNanos;

    /** The time at which all bytes reported so far are paid for. */
    private long paidUntilNanos;

    TokenBucket(long bytesPerSecond, long burstBytes) {
        if (bytesPerSecond <= 0) {
            throw new IllegalArgumentException(
                    "bytesPerSecond must be positive: " + bytesPerSecond);
        }
        this.nanosPerByte = 1e9 / bytesPerSecond;
        this.burstNanos = (long) (Math.max(0, burstBytes) * nanosPerByte);
        this.paidUntilNanos = System.nanoTime() - burstNanos;
    }

    /** Takes {@code bytes} from the bucket, sleeping while the bucket is in debt. */
    void acquire(long bytes) throws InterruptedIOException {
        if (bytes <= 0) {
            return;
        }
        long waitNanos = reserve(bytes);
        if (waitNanos >= MIN_SLEEP_NANOS) {
            try {
                Thread.sleep(waitNanos / 1_000_000L, (int) (waitNanos % 1_000_000L));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("Interrupted while throttled");
            }
        }
    }

    private synchronized long reserve(long bytes) {
        long now = System.nanoTime();
        // unused capacity accumulates up to the burst size
        paidUntilNanos = Math.max(paidUntilNanos, now - burstNanos);
        paidUntilNanos += (long) (bytes * nanosPerByte);
        return paidUntilNanos - now;
    }
}
