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

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Closing the housekeeping: the work queued so far is done when {@link StoreHousekeeping#close()}
 * returns (nothing of a closed store touches its directories), unless it hangs, which holds up the
 * close only for a bounded time.
 */
class StoreHousekeepingTest {

    private static final Duration WAIT = Duration.ofMinutes(1);

    @TempDir Path dir;

    @Test
    void closeReturnsOnlyOnceTheQueuedWorkIsDone() throws Exception {
        StoreHousekeeping housekeeping = new StoreHousekeeping(deleted -> {});
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch closeReturned = new CountDownLatch(1);
        Path written = dir.resolve("written-by-housekeeping");
        Path doomed = Files.createDirectories(dir.resolve("doomed").resolve("nested"));
        housekeeping.run(
                () -> {
                    started.countDown();
                    awaitClosing(housekeeping);
                    // a close that did not wait returns meanwhile; one that waits cannot, and the
                    // task goes on once this bounded wait is over
                    awaitQuietly(closeReturned, Duration.ofSeconds(1));
                    writeQuietly(written);
                });
        housekeeping.delete(doomed.getParent()); // queued behind the running task
        assertThat(started.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

        housekeeping.close();
        boolean writtenWhenClosed = Files.exists(written);
        List<Path> leftWhenClosed = list(dir);
        closeReturned.countDown();

        assertThat(writtenWhenClosed).isTrue();
        assertThat(leftWhenClosed).containsExactly(written);
    }

    @Test
    void workQueuedAfterCloseIsDropped() throws Exception {
        StoreHousekeeping housekeeping = new StoreHousekeeping(deleted -> {});
        housekeeping.close();
        AtomicBoolean ran = new AtomicBoolean();

        housekeeping.run(() -> ran.set(true));
        housekeeping.schedule(() -> ran.set(true), Duration.ZERO);
        housekeeping.awaitIdle(WAIT);

        assertThat(ran).isFalse();
    }

    @Test
    void aHungTaskHoldsUpTheCloseOnlyForItsBound() throws Exception {
        StoreHousekeeping housekeeping =
                new StoreHousekeeping(deleted -> {}, Duration.ofMillis(50));
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch hung = new CountDownLatch(1);
        housekeeping.run(
                () -> {
                    started.countDown();
                    awaitQuietly(hung, WAIT);
                });
        assertThat(started.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        try {
            assertTimeoutPreemptively(WAIT, housekeeping::close);
            assertThat(housekeeping.isClosing()).isTrue();
        } finally {
            hung.countDown();
        }
    }

    /** Waits (bounded) until the test thread called close: the task then runs during the close. */
    private static void awaitClosing(StoreHousekeeping housekeeping) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!housekeeping.isClosing() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
    }

    private static void writeQuietly(Path file) {
        try {
            Files.writeString(file, "done");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<Path> list(Path dir) throws java.io.IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.collect(Collectors.toList());
        }
    }

    private static void awaitQuietly(CountDownLatch latch, Duration atMost) {
        try {
            latch.await(atMost.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
