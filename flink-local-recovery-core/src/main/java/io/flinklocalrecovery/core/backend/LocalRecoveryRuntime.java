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
package io.flinklocalrecovery.core.backend;

import org.apache.flink.annotation.Internal;
import org.apache.flink.annotation.VisibleForTesting;
import org.apache.flink.runtime.taskmanager.TaskManagerRuntimeInfo;

import io.flinklocalrecovery.core.config.LocalRecoveryOptions;
import io.flinklocalrecovery.core.config.LocalRecoverySettings;
import io.flinklocalrecovery.core.snapshot.LocalCopyWriters;
import io.flinklocalrecovery.core.snapshot.LocalFileOutputFactory;
import io.flinklocalrecovery.core.store.TaskLocalSnapshotStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * What one TaskManager process holds per set of local directories: the {@link
 * TaskLocalSnapshotStore} and the {@link LocalCopyWriters}. Opened by the first task that needs it
 * and shared by every task, slot and job of the TaskManager after that.
 */
@Internal
public final class LocalRecoveryRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(LocalRecoveryRuntime.class);

    /** Sub-directory of the TaskManager working directory used when no directory is configured. */
    public static final String DEFAULT_SUBDIRECTORY = "local-recovery";

    private static final Map<List<Path>, LocalRecoveryRuntime> RUNNING = new HashMap<>();

    /**
     * Roots that could not be opened, with when: tried again after {@link #RETRY_FAILED_AFTER}, so
     * that a disk that was full or not yet mounted is used once it is fixed, without a restart, and
     * a broken one is not tried by every task that starts.
     */
    private static final Map<List<Path>, Long> FAILED = new HashMap<>();

    static final Duration RETRY_FAILED_AFTER = Duration.ofMinutes(1);

    /** Warnings about a job's local directories, logged once per value. */
    private static final Set<String> DIRECTORY_WARNINGS = ConcurrentHashMap.newKeySet();

    /** Milliseconds for the retry of failed roots; tests move it. */
    @VisibleForTesting static LongSupplier clock = System::currentTimeMillis;

    private final TaskLocalSnapshotStore store;
    private final LocalCopyWriters writers;

    private LocalRecoveryRuntime(TaskLocalSnapshotStore store, LocalCopyWriters writers) {
        this.store = store;
        this.writers = writers;
    }

    public TaskLocalSnapshotStore store() {
        return store;
    }

    public LocalCopyWriters writers() {
        return writers;
    }

    /**
     * The runtime of this TaskManager, or empty when its directories cannot be used (logged once as
     * an error; the job then runs without local copies, it does not fail).
     */
    public static Optional<LocalRecoveryRuntime> forTaskManager(
            TaskManagerRuntimeInfo taskManager, LocalRecoverySettings settings) {
        List<String> directories = directoriesOf(taskManager, settings);
        // in configured directories, TaskManagers of a host share the parent of their roots: the
        // roots of those that are gone are collected
        return forRoots(
                rootsIn(taskManager, directories),
                settings,
                LocalFileOutputFactory.DEFAULT,
                !directories.isEmpty());
    }

    /** The runtime for explicit root directories (also the seam tests use). */
    public static Optional<LocalRecoveryRuntime> forRoots(
            List<Path> roots, LocalRecoverySettings settings, LocalFileOutputFactory outputs) {
        return forRoots(roots, settings, outputs, false);
    }

    /**
     * @param collectAbandonedRoots whether the roots that TaskManagers of another identity left
     *     beside {@code roots} are collected
     */
    static synchronized Optional<LocalRecoveryRuntime> forRoots(
            List<Path> roots,
            LocalRecoverySettings settings,
            LocalFileOutputFactory outputs,
            boolean collectAbandonedRoots) {
        LocalRecoveryRuntime running = RUNNING.get(roots);
        if (running != null) {
            return Optional.of(running);
        }
        Long failedAt = FAILED.get(roots);
        if (failedAt != null && clock.getAsLong() - failedAt < RETRY_FAILED_AFTER.toMillis()) {
            return Optional.empty();
        }
        try {
            TaskLocalSnapshotStore store =
                    TaskLocalSnapshotStore.open(
                            roots,
                            settings.getRetainedCheckpoints(),
                            settings.getReleasedCopiesLifetime());
            LocalCopyWriters writers =
                    new LocalCopyWriters(roots.size(), settings.getWriteBufferBytes(), outputs);
            LocalRecoveryRuntime runtime = new LocalRecoveryRuntime(store, writers);
            RUNNING.put(roots, runtime);
            if (collectAbandonedRoots) {
                store.collectAbandonedRoots();
            }
            if (FAILED.remove(roots) != null) {
                LOG.info("The local directories {} can be used again.", roots);
            }
            return Optional.of(runtime);
        } catch (IOException | RuntimeException e) {
            FAILED.put(roots, clock.getAsLong());
            LOG.error(
                    "Task-local recovery is unavailable on this TaskManager: its local directories "
                            + "{} cannot be used ({}). Jobs run on without local copies and restore "
                            + "from the checkpoint storage. Fix the directories or set {}; they are "
                            + "tried again after {} s.",
                    roots,
                    e.toString(),
                    LocalRecoveryOptions.LOCAL_DIRECTORIES.key(),
                    RETRY_FAILED_AFTER.getSeconds());
            return Optional.empty();
        }
    }

    /** The runtimes open in this process (for tests and diagnostics). */
    public static synchronized List<LocalRecoveryRuntime> existing() {
        return new ArrayList<>(RUNNING.values());
    }

    /** Closes and forgets every runtime of this process (a simulated TaskManager restart). */
    @VisibleForTesting
    public static synchronized void shutDownAll() {
        for (LocalRecoveryRuntime runtime : RUNNING.values()) {
            runtime.writers.close();
            runtime.store.close();
        }
        RUNNING.clear();
        FAILED.clear();
    }

    /**
     * The local disks of a TaskManager are its own setting: {@code
     * state.backend.local-recovery.dirs} comes from the TaskManager's configuration. A job's
     * configuration (typically the submitting client's config file, which Flink hands to every
     * task) overrides it in the settings the backend sees; that value is ignored when the
     * TaskManager has one of its own, and used, with a warning, only when it has none.
     */
    static List<String> directoriesOf(
            TaskManagerRuntimeInfo taskManager, LocalRecoverySettings settings) {
        List<String> own = LocalRecoverySettings.parseDirectories(taskManager.getConfiguration());
        List<String> fromJob = settings.getDirectories();
        if (!own.isEmpty()) {
            if (!fromJob.isEmpty()
                    && !fromJob.equals(own)
                    && DIRECTORY_WARNINGS.add(fromJob + " -> " + own)) {
                LOG.warn(
                        "{} is a TaskManager setting: this TaskManager uses its own value {}; the "
                                + "value {} of the job's configuration is ignored. Remove it from "
                                + "the job's (client's) configuration.",
                        LocalRecoveryOptions.LOCAL_DIRECTORIES.key(),
                        own,
                        fromJob);
            }
            return own;
        }
        if (!fromJob.isEmpty() && DIRECTORY_WARNINGS.add(fromJob + " -> " + fromJob)) {
            LOG.warn(
                    "{} is a TaskManager setting, but this TaskManager has none and the job sets "
                            + "{}: using the job's value. Set it in the configuration of each "
                            + "TaskManager instead.",
                    LocalRecoveryOptions.LOCAL_DIRECTORIES.key(),
                    fromJob);
        }
        return fromJob;
    }

    /**
     * The root directories of this TaskManager: each configured directory with a sub-directory
     * named after the TaskManager's working directory (so TaskManagers sharing a disk never share
     * files), or by default a directory inside the working directory.
     */
    static List<Path> resolveRoots(
            TaskManagerRuntimeInfo taskManager, LocalRecoverySettings settings) {
        return rootsIn(taskManager, directoriesOf(taskManager, settings));
    }

    private static List<Path> rootsIn(
            TaskManagerRuntimeInfo taskManager, List<String> directories) {
        File tmpWorkingDir = taskManager.getTmpWorkingDirectory();
        File workingDir =
                tmpWorkingDir.getParentFile() != null
                        ? tmpWorkingDir.getParentFile()
                        : tmpWorkingDir;
        List<Path> roots = new ArrayList<>();
        if (directories.isEmpty()) {
            roots.add(
                    workingDir.toPath().resolve(DEFAULT_SUBDIRECTORY).toAbsolutePath().normalize());
        } else {
            for (String dir : directories) {
                roots.add(
                        Paths.get(dir).resolve(workingDir.getName()).toAbsolutePath().normalize());
            }
        }
        return roots;
    }
}
