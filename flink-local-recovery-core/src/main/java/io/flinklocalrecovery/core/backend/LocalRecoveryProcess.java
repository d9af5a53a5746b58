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

import io.flinklocalrecovery.core.config.LocalRecoveryOptions;
import io.flinklocalrecovery.core.config.LocalRecoverySettings;
import io.flinklocalrecovery.core.snapshot.LocalCopyWriters;
import io.flinklocalrecovery.core.snapshot.LocalFailureLog;
import io.flinklocalrecovery.core.snapshot.LocalFileOutputFactory;
import io.flinklocalrecovery.core.store.DiskBudget;
import io.flinklocalrecovery.core.store.TaskLocalSnapshotStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.concurrent.GuardedBy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

/**
 * Everything of the plugin that lives as long as the TaskManager process, in one place: the open
 * runtimes per set of local directories, the directories that failed to open (tried again later),
 * and the warnings logged once per process. One {@link #reset} forgets all of it, as a new process
 * would start: tests simulate a TaskManager restart with it.
 *
 * <p>Other once-per-process state (the failure causes already logged, the file-system checks of a
 * backend module) is forgotten by the same reset: {@link LocalFailureLog} directly, backend modules
 * through {@link #onReset}.
 */
@Internal
public final class LocalRecoveryProcess {

    private static final Logger LOG = LoggerFactory.getLogger(LocalRecoveryProcess.class);

    /** Directories that could not be opened are tried again after this long. */
    static final Duration RETRY_FAILED_AFTER = Duration.ofMinutes(1);

    private static final LocalRecoveryProcess INSTANCE = new LocalRecoveryProcess();

    @GuardedBy("this")
    private final Map<List<Path>, LocalRecoveryRuntime> running = new HashMap<>();

    /**
     * Roots that could not be opened, with when: tried again after {@link #RETRY_FAILED_AFTER}, so
     * that a disk that was full or not yet mounted is used once it is fixed, without a restart, and
     * a broken one is not tried by every task that starts.
     */
    @GuardedBy("this")
    private final Map<List<Path>, Long> failed = new HashMap<>();

    /** Warnings about a job's local directories, logged once per value. */
    private final Set<String> directoryWarnings = ConcurrentHashMap.newKeySet();

    private final List<Runnable> resets = new CopyOnWriteArrayList<>();

    /** Milliseconds for the retry of failed roots; tests move it. */
    private volatile LongSupplier clock = System::currentTimeMillis;

    private LocalRecoveryProcess() {}

    /** The state of this process. */
    public static LocalRecoveryProcess get() {
        return INSTANCE;
    }

    /** Registers what else {@link #reset} forgets (once-per-process state of other modules). */
    public void onReset(Runnable forget) {
        resets.add(forget);
    }

    /**
     * The runtime for these roots: the open one, or a newly opened one; {@link
     * LocalRecoveryRuntime#UNAVAILABLE} when they cannot be used (logged as an error, tried again
     * after a minute).
     */
    synchronized LocalRecoveryRuntime runtimeFor(
            List<Path> roots,
            LocalRecoverySettings settings,
            LocalFileOutputFactory outputs,
            boolean collectAbandonedRoots) {
        LocalRecoveryRuntime open = running.get(roots);
        if (open != null) {
            return open;
        }
        Long failedAt = failed.get(roots);
        if (failedAt != null && clock.getAsLong() - failedAt < RETRY_FAILED_AFTER.toMillis()) {
            return LocalRecoveryRuntime.UNAVAILABLE;
        }
        try {
            TaskLocalSnapshotStore store =
                    TaskLocalSnapshotStore.open(
                            roots,
                            settings.getRetainedCheckpoints(),
                            settings.getReleasedCopiesLifetime(),
                            DiskBudget.of(
                                    settings.getDiskSizeLimitBytes(),
                                    settings.getDiskReserveBytes()),
                            settings.getClusterId());
            LocalRecoveryRuntime runtime =
                    new LocalRecoveryRuntime(
                            store,
                            new LocalCopyWriters(
                                    roots.size(), settings.getWriteBufferBytes(), outputs));
            running.put(roots, runtime);
            if (collectAbandonedRoots) {
                store.collectAbandonedRoots();
            }
            if (failed.remove(roots) != null) {
                LOG.info("The local directories {} can be used again.", roots);
            }
            return runtime;
        } catch (IOException | RuntimeException e) {
            failed.put(roots, clock.getAsLong());
            LOG.error(
                    "Task-local recovery is unavailable on this TaskManager: its local directories "
                            + "{} cannot be used ({}). Jobs run on without local copies and restore "
                            + "from the checkpoint storage. Fix the directories or set {}; they are "
                            + "tried again after {} s.",
                    roots,
                    e.toString(),
                    LocalRecoveryOptions.LOCAL_DIRECTORIES.key(),
                    RETRY_FAILED_AFTER.getSeconds());
            return LocalRecoveryRuntime.UNAVAILABLE;
        }
    }

    /** The runtimes open in this process. */
    synchronized List<LocalRecoveryRuntime> runtimes() {
        return new ArrayList<>(running.values());
    }

    /** Whether a warning with this key is logged for the first time in this process. */
    boolean firstDirectoryWarning(String key) {
        return directoryWarnings.add(key);
    }

    @VisibleForTesting
    void setClockForTests(LongSupplier clock) {
        this.clock = clock;
    }

    /**
     * Closes every runtime and forgets all process-wide state, as a new TaskManager process would
     * start (a simulated restart).
     */
    @VisibleForTesting
    public void reset() {
        synchronized (this) {
            for (LocalRecoveryRuntime runtime : running.values()) {
                runtime.close();
            }
            running.clear();
            failed.clear();
        }
        directoryWarnings.clear();
        clock = System::currentTimeMillis;
        LocalFailureLog.forgetCauses();
        for (Runnable forget : resets) {
            forget.run();
        }
    }
}
