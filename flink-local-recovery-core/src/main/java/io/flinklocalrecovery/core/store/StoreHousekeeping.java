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

import org.apache.flink.annotation.Internal;
import org.apache.flink.annotation.VisibleForTesting;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The store's background work: deleting directories and collecting released jobs, on one daemon
 * thread of its own, so that no task thread, mailbox, snapshot thread or RPC thread of the
 * TaskManager ever waits for a recursive deletion on a slow disk.
 *
 * <p>A directory to delete is first renamed, on the caller's thread, to a hidden sibling ({@code
 * .deleting-<name>-<uuid>}): one metadata operation, after which the original name is free at once
 * (a checkpoint taken again under the same id writes into a fresh directory) and no lookup can find
 * the doomed files. Start-up recovery collects such siblings left by a process that died first.
 */
@Internal
final class StoreHousekeeping implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StoreHousekeeping.class);

    static final String DELETING_PREFIX = ".deleting-";

    /**
     * How long closing waits for the work queued so far (a hung disk must not hold up the
     * TaskManager's shutdown; what is left then runs on, and start-up recovery collects the rest).
     */
    static final Duration CLOSE_WAITS_AT_MOST = Duration.ofSeconds(5);

    private final ScheduledThreadPoolExecutor executor;
    private final Consumer<Path> onDeleted;
    private final Duration closeWaitsAtMost;

    /**
     * @param onDeleted told of each directory once it is gone from the disk
     */
    StoreHousekeeping(Consumer<Path> onDeleted) {
        this(onDeleted, CLOSE_WAITS_AT_MOST);
    }

    @VisibleForTesting
    StoreHousekeeping(Consumer<Path> onDeleted, Duration closeWaitsAtMost) {
        this.onDeleted = onDeleted;
        this.closeWaitsAtMost = closeWaitsAtMost;
        executor =
                new ScheduledThreadPoolExecutor(
                        1, BackgroundThreads.factory("flink-local-recovery-housekeeping"));
        // on close, queued deletions still run; scheduled collections of released jobs do not
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** Whether {@link #close()} was called (tests of the closing). */
    @VisibleForTesting
    boolean isClosing() {
        return executor.isShutdown();
    }

    /** Whether a directory entry is a directory on its way out (see the class comment). */
    static boolean isBeingDeleted(String fileName) {
        return fileName.startsWith(DELETING_PREFIX);
    }

    /** Renames the directory out of the way now and deletes it in the background. */
    void delete(Path dir) {
        moveAwayAndDelete(dir, dir.getParent(), () -> onDeleted.accept(dir));
    }

    /**
     * Renames a file or directory into {@code trashDir} (a root of the store, on the same file
     * system, where start-up recovery finds what a crash left of it) now, and deletes it in the
     * background.
     */
    void deleteMovingTo(Path path, Path trashDir) {
        moveAwayAndDelete(path, trashDir, () -> {});
    }

    private void moveAwayAndDelete(Path path, Path trashDir, Runnable deleted) {
        Path doomed =
                trashDir.resolve(DELETING_PREFIX + path.getFileName() + "-" + UUID.randomUUID());
        try {
            Files.move(path, doomed);
        } catch (java.nio.file.NoSuchFileException e) {
            deleted.run();
            return;
        } catch (IOException e) {
            LOG.debug("Could not rename {} before deleting it; deleting it in place.", path, e);
            doomed = path;
        }
        Path target = doomed;
        run(
                () -> {
                    SafeDeletion.deleteQuietly(target);
                    deleted.run();
                });
    }

    /** Runs a task on the housekeeping thread; dropped if the store is closed. */
    void run(Runnable task) {
        try {
            executor.execute(guarded(task));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("Store closed: not running housekeeping task.");
        }
    }

    /** Runs a task on the housekeeping thread after a delay; dropped if the store is closed. */
    void schedule(Runnable task, Duration delay) {
        try {
            executor.schedule(guarded(task), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("Store closed: not scheduling housekeeping task.");
        }
    }

    /** Waits until everything queued so far ran (tests that look at the disk). */
    @VisibleForTesting
    void awaitIdle(Duration timeout) throws InterruptedException, TimeoutException {
        try {
            executor.submit(() -> {}).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed: nothing more will run
        }
    }

    /**
     * Stops taking work and waits, at most {@link #CLOSE_WAITS_AT_MOST}, for the work queued so far
     * (deletions run, scheduled collections are dropped): once the store is closed, nothing of it
     * touches its directories any more, unless the disk hangs.
     */
    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(closeWaitsAtMost.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.info(
                        "Local recovery housekeeping still busy {} ms after the store closed (a "
                                + "slow disk?); it finishes in the background, and what it "
                                + "leaves is collected at the next start.",
                        closeWaitsAtMost.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Nothing the housekeeping does may end the thread, let alone the process. */
    private static Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (Throwable t) {
                LOG.warn(
                        "Local recovery housekeeping failed ({}); the local copies it was about "
                                + "are collected at the next start.",
                        t.toString());
            }
        };
    }
}
