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

import io.flinklocalrecovery.core.config.LocalRecoveryOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.concurrent.GuardedBy;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;

/**
 * The released-copies lifetime ({@link
 * io.flinklocalrecovery.core.config.LocalRecoveryOptions#RELEASED_COPIES_LIFETIME}): a job that
 * left this TaskManager keeps its local copies, on disk and indexed, for that long, and is
 * collected in the background after that unless it came back; roots that TaskManagers of another
 * identity abandoned beside this store's roots are collected after the same time.
 *
 * <p>The methods marked {@code @GuardedBy("lock")} are called with the store's lock held; the
 * collections it schedules take that lock themselves.
 */
final class ReleasedCopiesCollector {

    private static final Logger LOG = LoggerFactory.getLogger(ReleasedCopiesCollector.class);

    /** How often abandoned sibling roots are looked for, at most. */
    private static final Duration ABANDONED_ROOTS_CHECKED_AT_MOST_EVERY = Duration.ofMinutes(1);

    /** How often abandoned roots are collected for a short reserve, at most. */
    static final Duration UNDER_PRESSURE_AT_MOST_EVERY = Duration.ofSeconds(10);

    /** See {@link #unclaimedLifetime()}. */
    static final Duration UNCLAIMED_AT_LEAST = Duration.ofMinutes(5);

    private final Object lock;
    private final CheckpointRegistry registry;
    private final LockedRoots roots;
    private final StoreHousekeeping housekeeping;
    private final Duration lifetime;
    private final String clusterId;
    private final AtomicLong lastUnderPressure = new AtomicLong(Long.MIN_VALUE);

    /** Adopts the dead roots of this cluster beside the store's, before any is collected. */
    private volatile Runnable adopter = () -> {};

    /** Housekeeping of the store's own roots that runs with each collection (borrowed links). */
    private volatile Runnable tidier = () -> {};

    ReleasedCopiesCollector(
            Object lock,
            CheckpointRegistry registry,
            LockedRoots roots,
            StoreHousekeeping housekeeping,
            Duration lifetime,
            String clusterId) {
        this.clusterId = clusterId;
        this.lock = lock;
        this.registry = registry;
        this.roots = roots;
        this.housekeeping = housekeeping;
        this.lifetime = lifetime;
    }

    Duration lifetime() {
        return lifetime;
    }

    /**
     * The job left this TaskManager: its copies are kept for the lifetime, then collected in the
     * background, unless it comes back; a TaskManager that is shutting down keeps them as a crashed
     * one would, for its restart. No file is touched on the caller's thread.
     */
    void release(String jobId) {
        if (isProcessShuttingDown()) {
            LOG.info(
                    "The TaskManager is shutting down: the local copies of job {} stay in {} for "
                            + "its restart.",
                    jobId,
                    roots.paths());
            return;
        }
        synchronized (lock) {
            JobCheckpoints job = registry.existingJob(jobId);
            if (job == null || registry.isClosed()) {
                return;
            }
            long releasedAt = System.currentTimeMillis();
            job.releasedAtMillis = releasedAt;
            housekeeping.run(() -> ReleasedMarkers.write(roots.withAdopted(), jobId, releasedAt));
            scheduleCollection(jobId, releasedAt);
        }
        LOG.info(
                "Job {} left this TaskManager: its local copies in {} are kept for {} ({}) in "
                        + "case it comes back, then collected.",
                jobId,
                roots.paths(),
                lifetime,
                LocalRecoveryOptions.RELEASED_COPIES_LIFETIME.key());
    }

    /** A job found released at start-up (its marker): its collection is scheduled. */
    @GuardedBy("lock")
    void recoveredReleased(String jobId, long releasedAt) {
        JobCheckpoints job = registry.existingJob(jobId);
        if (job != null) {
            job.releasedAtMillis = releasedAt;
            scheduleCollection(jobId, releasedAt);
        }
    }

    /**
     * A job found at start that was never released (the process died while it ran): its copies are
     * handled as released when the store opened, and collected unless a task of it claims them
     * within {@link #unclaimedLifetime()}; until then they are the first the disk budget evicts.
     */
    @GuardedBy("lock")
    void recoveredUnclaimed(String jobId) {
        JobCheckpoints job = registry.existingJob(jobId);
        if (job != null && job.releasedAtMillis == 0) {
            long now = System.currentTimeMillis();
            job.releasedAtMillis = now;
            housekeeping.schedule(() -> collectReleased(jobId, now), unclaimedLifetime());
        }
    }

    /**
     * How long the copies of a job found at start wait for a task of it: the released-copies
     * lifetime, but at least {@link #UNCLAIMED_AT_LEAST}, the time a failover of a restarted
     * TaskManager may take to place the job's tasks again.
     */
    Duration unclaimedLifetime() {
        return lifetime.compareTo(UNCLAIMED_AT_LEAST) > 0 ? lifetime : UNCLAIMED_AT_LEAST;
    }

    /** A released job is back on this TaskManager: its copies are its own again. */
    @GuardedBy("lock")
    void unrelease(String jobId, JobCheckpoints job) {
        if (job.releasedAtMillis != 0) {
            job.releasedAtMillis = 0;
            housekeeping.run(() -> ReleasedMarkers.delete(roots.withAdopted(), jobId));
            LOG.info("Job {} is back on this TaskManager: its local copies are kept again.", jobId);
        }
    }

    /**
     * Collects abandoned sibling roots now and then every lifetime (at least every minute); the
     * ones of this cluster are adopted first ({@code adopter}), so only roots of an older version
     * (without {@link ClusterMarker}) wait out the lifetime to be deleted. {@code tidier} runs with
     * each collection.
     */
    void collectAbandonedRoots(Runnable adopter, Runnable tidier) {
        this.adopter = adopter;
        this.tidier = tidier;
        housekeeping.run(this::collectAbandonedRootsNow);
    }

    /**
     * The free space of a root's file system fell below the disk budget's reserve: the roots that
     * TaskManagers which are gone left beside this store's are collected now in the background,
     * whatever their age (at most every {@link #UNDER_PRESSURE_AT_MOST_EVERY}), before they wait
     * out the released-copies lifetime; a root whose owner lives is never touched. Never blocks the
     * caller.
     *
     * @param collected told how many roots were taken away
     */
    void collectAbandonedRootsUnderPressure(IntConsumer collected) {
        long now = System.currentTimeMillis();
        long last = lastUnderPressure.get();
        if (last != Long.MIN_VALUE && now - last < UNDER_PRESSURE_AT_MOST_EVERY.toMillis()) {
            return;
        }
        if (!lastUnderPressure.compareAndSet(last, now)) {
            return;
        }
        housekeeping.run(
                () -> {
                    adopter.run();
                    int taken = 0;
                    for (Path root : roots.paths()) {
                        List<Path> doomed =
                                AbandonedRoots.takeAway(
                                        root, clusterId, Duration.ZERO, System.currentTimeMillis());
                        for (Path dir : doomed) {
                            SafeDeletion.deleteQuietly(dir);
                            taken++;
                        }
                    }
                    if (taken > 0) {
                        LOG.info(
                                "The free space beside {} fell below the disk budget's reserve "
                                        + "({}): collected {} local-recovery roots of "
                                        + "TaskManagers that are gone.",
                                roots.paths(),
                                LocalRecoveryOptions.DISK_RESERVE_SIZE.key(),
                                taken);
                    }
                    collected.accept(taken);
                });
    }

    /** Whether the JVM is running its shutdown hooks (the TaskManager was asked to stop). */
    static boolean isProcessShuttingDown() {
        Thread probe = new Thread(() -> {});
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }

    private void scheduleCollection(String jobId, long releasedAt) {
        Duration left = lifetime.minusMillis(System.currentTimeMillis() - releasedAt);
        housekeeping.schedule(
                () -> collectReleased(jobId, releasedAt), left.isNegative() ? Duration.ZERO : left);
    }

    /** Collects a released job's copies, unless it came back since it was released. */
    private void collectReleased(String jobId, long releasedAt) {
        List<Path> jobDirs = roots.jobDirectories(jobId); // lists the adopted roots: not locked
        synchronized (lock) {
            JobCheckpoints job = registry.existingJob(jobId);
            if (job == null || job.releasedAtMillis != releasedAt) {
                return;
            }
            registry.removeJob(jobId);
            for (Path jobDir : jobDirs) {
                if (Files.isDirectory(jobDir, LinkOption.NOFOLLOW_LINKS)) {
                    housekeeping.delete(jobDir);
                }
            }
        }
        LOG.info(
                "Collected the local copies of job {}, released {} s ago.",
                jobId,
                (System.currentTimeMillis() - releasedAt) / 1000);
    }

    private void collectAbandonedRootsNow() {
        adopter.run();
        tidier.run();
        for (Path root : roots.paths()) {
            for (Path doomed :
                    AbandonedRoots.takeAway(
                            root, clusterId, lifetime, System.currentTimeMillis())) {
                SafeDeletion.deleteQuietly(doomed);
            }
        }
        Duration interval =
                lifetime.compareTo(ABANDONED_ROOTS_CHECKED_AT_MOST_EVERY) > 0
                        ? lifetime
                        : ABANDONED_ROOTS_CHECKED_AT_MOST_EVERY;
        housekeeping.schedule(this::collectAbandonedRootsNow, interval);
    }
}
