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
import org.apache.flink.util.Preconditions;

import io.flinklocalrecovery.core.config.LocalRecoveryOptions;
import io.flinklocalrecovery.core.config.LocalRecoverySettings;
import io.flinklocalrecovery.core.metrics.LocalDiskGauges;
import io.flinklocalrecovery.core.snapshot.LocalCopyWriters;
import io.flinklocalrecovery.core.snapshot.LocalFileOutputFactory;
import io.flinklocalrecovery.core.store.LocalSnapshotScope;
import io.flinklocalrecovery.core.store.TaskLocalSnapshotStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.io.File;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What one TaskManager process holds per set of local directories: the {@link
 * TaskLocalSnapshotStore} and the {@link LocalCopyWriters}. Opened by the first task that needs it
 * and shared by every task, slot and job of the TaskManager after that ({@link
 * LocalRecoveryProcess}).
 *
 * <p>When the directories cannot be used, tasks get {@link #UNAVAILABLE}: no store, and the
 * bookkeeping calls (confirm, abort, restored, ...) do nothing; the job runs without local copies.
 */
@Internal
public final class LocalRecoveryRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(LocalRecoveryRuntime.class);

    /** Sub-directory of the TaskManager working directory used when no directory is configured. */
    public static final String DEFAULT_SUBDIRECTORY = "local-recovery";

    /** The runtime of a TaskManager whose local directories cannot be used. */
    public static final LocalRecoveryRuntime UNAVAILABLE = new LocalRecoveryRuntime(null, null);

    @Nullable private final TaskLocalSnapshotStore store;
    @Nullable private final LocalCopyWriters writers;

    LocalRecoveryRuntime(
            @Nullable TaskLocalSnapshotStore store, @Nullable LocalCopyWriters writers) {
        this.store = store;
        this.writers = writers;
    }

    /** Whether local copies can be written and read (the directories are usable). */
    public boolean isAvailable() {
        return store != null;
    }

    /** The store; only for an {@link #isAvailable() available} runtime. */
    public TaskLocalSnapshotStore store() {
        Preconditions.checkState(store != null, "Local recovery is unavailable here");
        return store;
    }

    /** The writers of duplicated streams; only for an {@link #isAvailable() available} runtime. */
    public LocalCopyWriters writers() {
        Preconditions.checkState(writers != null, "Local recovery is unavailable here");
        return writers;
    }

    /** The store, if available. */
    public Optional<TaskLocalSnapshotStore> availableStore() {
        return Optional.ofNullable(store);
    }

    /** Bytes the local copies hold, 0 when unavailable. */
    public long bytesHeld() {
        return store == null ? 0L : store.getBytesHeld();
    }

    /** The disk budget's gauges, {@link LocalDiskGauges#NONE} when unavailable. */
    public LocalDiskGauges diskGauges() {
        return store == null ? LocalDiskGauges.NONE : store.diskStatus();
    }

    /** A checkpoint of the job completed (see {@link TaskLocalSnapshotStore#confirm}). */
    public void confirm(String jobId, long checkpointId) {
        if (store != null) {
            store.confirm(jobId, checkpointId);
        }
    }

    /** A checkpoint of the job was aborted (see {@link TaskLocalSnapshotStore#abort}). */
    public void abort(String jobId, long checkpointId) {
        if (store != null) {
            store.abort(jobId, checkpointId);
        }
    }

    /** A scope was restored from a checkpoint (see {@link TaskLocalSnapshotStore#restored}). */
    public void restored(LocalSnapshotScope scope, long checkpointId) {
        if (store != null) {
            store.restored(scope, checkpointId);
        }
    }

    /**
     * Waits for the local copies of a checkpoint being committed (see {@link
     * TaskLocalSnapshotStore#awaitWritten}); true at once when unavailable.
     */
    public boolean awaitWritten(String jobId, long checkpointId, long maxWaitMillis)
            throws InterruptedException {
        return store == null || store.awaitWritten(jobId, checkpointId, maxWaitMillis);
    }

    void close() {
        if (writers != null) {
            writers.close();
        }
        if (store != null) {
            store.close();
        }
    }

    /**
     * The runtime of this TaskManager, {@link #UNAVAILABLE} when its directories cannot be used
     * (logged once as an error; the job then runs without local copies, it does not fail).
     */
    public static LocalRecoveryRuntime forTaskManager(
            TaskManagerRuntimeInfo taskManager, LocalRecoverySettings settings) {
        List<String> directories = directoriesOf(taskManager, settings);
        // in configured directories, TaskManagers of a host share the parent of their roots: the
        // roots of those that are gone are collected
        return LocalRecoveryProcess.get()
                .runtimeFor(
                        rootsIn(taskManager, directories),
                        settings.withClusterId(clusterIdOf(taskManager, settings)),
                        LocalFileOutputFactory.DEFAULT,
                        !directories.isEmpty());
    }

    /**
     * The cluster a TaskManager's copies belong to: the TaskManager's own {@code
     * state.backend.local-recovery.cluster-id} (or {@code kubernetes.cluster-id}, {@code
     * high-availability.cluster-id}) when its configuration sets one, else the job's.
     */
    static String clusterIdOf(TaskManagerRuntimeInfo taskManager, LocalRecoverySettings settings) {
        if (taskManager
                .getConfiguration()
                .getOptional(LocalRecoveryOptions.CLUSTER_ID)
                .isPresent()) {
            return LocalRecoverySettings.parseClusterId(taskManager.getConfiguration());
        }
        return settings.getClusterId();
    }

    /** The runtime for explicit root directories (also the seam tests use). */
    public static LocalRecoveryRuntime forRoots(
            List<Path> roots, LocalRecoverySettings settings, LocalFileOutputFactory outputs) {
        return LocalRecoveryProcess.get().runtimeFor(roots, settings, outputs, false);
    }

    /** The runtimes open in this process (for tests and diagnostics). */
    public static List<LocalRecoveryRuntime> existing() {
        return LocalRecoveryProcess.get().runtimes();
    }

    /**
     * Closes and forgets every runtime and all other process-wide state, as a TaskManager restart
     * would ({@link LocalRecoveryProcess#reset}).
     */
    @VisibleForTesting
    public static void shutDownAll() {
        LocalRecoveryProcess.get().reset();
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
                    && LocalRecoveryProcess.get().firstDirectoryWarning(fromJob + " -> " + own)) {
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
        if (!fromJob.isEmpty()
                && LocalRecoveryProcess.get().firstDirectoryWarning(fromJob + " -> " + fromJob)) {
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
