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
package io.flinklocalrecovery.demo;

import org.apache.flink.annotation.Internal;

import io.flinklocalrecovery.testutils.cluster.FlinkRestApi.Subtask;
import io.flinklocalrecovery.testutils.job.DemoStateJob;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * One setup of the demo on its own cluster: the job builds its keyed state, then recovers from each
 * {@link FailureKind} in turn, each time from a checkpoint of all of it triggered just before.
 */
@Internal
final class SetupRun {

    private static final long PROGRESS_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final int MAX_CHECKPOINT_ATTEMPTS = 3;

    private final DemoSetup setup;
    private final DemoSettings settings;
    private final DemoWaits waits;
    private final DemoCluster cluster;
    private final DemoJob job;

    private SetupRun(
            DemoSetup setup,
            DemoSettings settings,
            DemoWaits waits,
            DemoCluster cluster,
            DemoJob job) {
        this.setup = setup;
        this.settings = settings;
        this.waits = waits;
        this.cluster = cluster;
        this.job = job;
    }

    /**
     * Runs {@code setup} on a fresh cluster in {@code home}, handed to {@code current} while it
     * runs (for a last-resort stop); the cluster is stopped at the end.
     */
    static List<Recovery> run(
            DemoSetup setup,
            DemoSettings settings,
            DemoWaits waits,
            Path home,
            Path lib,
            Consumer<DemoCluster> current)
            throws Exception {
        System.out.println();
        System.out.println("=== " + setup.label() + " ===");
        try (DemoCluster cluster = DemoCluster.start(setup, settings, home, lib)) {
            current.accept(cluster);
            try (DemoJob job =
                    new DemoJob(
                            cluster, settings, "local-recovery-demo " + setup.directoryName())) {
                DemoLog.progress(
                        "job %s submitted (parallelism %d)", job.id(), settings.parallelism);
                SetupRun run = new SetupRun(setup, settings, waits, cluster, job);
                run.buildState();
                List<Recovery> recoveries = new ArrayList<>();
                for (FailureKind failure : FailureKind.values()) {
                    recoveries.add(run.recoverFrom(failure));
                }
                return recoveries;
            } catch (Throwable t) {
                cluster.printLogTails();
                throw t;
            }
        } finally {
            // after the job and then the cluster were closed
            current.accept(null);
            DemoLog.progress("job cancelled, cluster stopped (every process by its PID)");
        }
    }

    private void buildState() throws Exception {
        job.awaitVertices(waits);
        long start = System.nanoTime();
        long[] lastProgress = {start};
        waits.until(
                "the state to be built",
                () -> {
                    job.failIfEnded();
                    long created = job.keysCreated();
                    boolean done = created >= settings.numKeys;
                    if (done || System.nanoTime() - lastProgress[0] > PROGRESS_NANOS) {
                        lastProgress[0] = System.nanoTime();
                        DemoLog.progress(
                                "building state: %d of %d MB (%,d of %,d keys)",
                                created * settings.entryBytes / DemoSettings.MB,
                                settings.stateBytes() / DemoSettings.MB,
                                created,
                                settings.numKeys);
                    }
                    return done;
                });
        DemoLog.progress("state built in %.1f s", (System.nanoTime() - start) / 1e9);
    }

    private Recovery recoverFrom(FailureKind failure) throws Exception {
        System.out.println("--- " + setup.label() + ": " + failure.label + " ---");
        long checkpointId = checkpoint();
        Map<Integer, Subtask> before = job.stateSubtasks();
        Map<String, Integer> attemptsBefore = job.attempts();
        String killed = null;
        long failedAt = System.currentTimeMillis();
        if (failure == FailureKind.TASK_FAILURE) {
            job.injectTaskFailure();
            DemoLog.progress(
                    "injected a task failure: a subtask of %s throws, every TaskManager lives on",
                    DemoStateJob.STATE_OPERATOR);
        } else {
            killed = busiestTaskManager(before);
            String victim = killed;
            DemoLog.progress(
                    "killing %s with kill -9 (pid %d; it runs subtasks %s of %s)",
                    victim,
                    cluster.flink().pid(victim),
                    before.values().stream()
                            .filter(s -> s.taskManager().equals(victim))
                            .map(s -> String.valueOf(s.index()))
                            .collect(Collectors.joining(", ")),
                    DemoStateJob.STATE_OPERATOR);
            failedAt = System.currentTimeMillis();
            cluster.killAndRestart(victim, waits, failedAt);
        }
        DemoLog.progress(
                "restoring: every subtask restores its state from %s...",
                setup.plugin()
                        ? "its local copies (verified first; the remote storage if missing or"
                                + " bad)"
                        : "the (emulated) remote checkpoint storage");
        long totalMillis = awaitRunningAgain(before, attemptsBefore, failedAt);
        Map<Integer, Subtask> after = job.stateSubtasks();
        AtomicReference<List<SubtaskRestore>> restores = new AtomicReference<>();
        waits.until(
                "the restore metrics of every subtask",
                () -> {
                    job.restores(after, setup.plugin(), checkpointId).ifPresent(restores::set);
                    return restores.get() != null;
                });
        RestoredStateCheck check = awaitStateCheck(after);
        return new Recovery(setup, failure, killed, restores.get(), totalMillis, check);
    }

    /** A checkpoint of all state; with the plugin, once every TM committed its local copies. */
    private long checkpoint() throws Exception {
        for (int attempt = 1; ; attempt++) {
            long failuresBefore = setup.plugin() ? job.localWriteFailures() : 0;
            DemoLog.progress("triggering a checkpoint of all the state...");
            long start = System.nanoTime();
            long checkpointId = job.checkpointNow(waits);
            DemoLog.progress(
                    "checkpoint %d completed in %.1f s: %s in the remote checkpoint storage",
                    checkpointId,
                    (System.nanoTime() - start) / 1e9,
                    DemoReport.bytes(job.checkpointBytes(checkpointId)));
            if (!setup.plugin()) {
                return checkpointId;
            }
            // a local copy the plugin could not keep (it never delays or fails the checkpoint for
            // it) is counted in localRecovery.localWriteFailures, its cause in the TM's log
            waits.until(
                    "the local copies of checkpoint " + checkpointId + " on every TaskManager",
                    () ->
                            job.localCopiesCommitted(checkpointId)
                                    || job.localWriteFailures() > failuresBefore);
            if (job.localCopiesCommitted(checkpointId)) {
                DemoLog.progress("every TaskManager holds its local copies of it");
                return checkpointId;
            }
            if (attempt == MAX_CHECKPOINT_ATTEMPTS) {
                throw new IllegalStateException(
                        "The plugin kept no complete local copy of "
                                + MAX_CHECKPOINT_ATTEMPTS
                                + " checkpoints in a row (localRecovery.localWriteFailures); the"
                                + " TaskManagers' logs (-Ddemo.keepDir=true) say why: a busy or"
                                + " slow local disk? A smaller -Ddemo.stateMb may help");
            }
            DemoLog.progress(
                    "the plugin did not keep a local copy of checkpoint %d"
                            + " (localRecovery.localWriteFailures; the TaskManager's log says"
                            + " why); triggering another checkpoint",
                    checkpointId);
        }
    }

    /** Waits until every subtask runs again; the total recovery time in ms. */
    private long awaitRunningAgain(
            Map<Integer, Subtask> before, Map<String, Integer> attemptsBefore, long failedAt)
            throws Exception {
        Set<Integer> reported = new HashSet<>();
        waits.until(
                "every subtask to run again",
                () -> {
                    reportRunningAgain(before, reported, failedAt);
                    return job.allRunningAgain(attemptsBefore);
                });
        reportRunningAgain(before, reported, failedAt);
        long runningAt = job.lastRunningTimestamp();
        long totalMillis = (runningAt > 0 ? runningAt : System.currentTimeMillis()) - failedAt;
        DemoLog.progress(
                "recovered: every subtask of the job RUNNING again %.2f s after the failure",
                totalMillis / 1e3);
        return totalMillis;
    }

    /** Prints each stateful subtask that runs in a new attempt, once. */
    private void reportRunningAgain(
            Map<Integer, Subtask> before, Set<Integer> reported, long failedAt) {
        for (Subtask s : job.stateSubtasks().values()) {
            if (s.attempt() > before.get(s.index()).attempt()
                    && s.status().equals("RUNNING")
                    && reported.add(s.index())) {
                DemoLog.progress(
                        "%s: %s subtask %d runs again on %s",
                        DemoCluster.sinceMillis(failedAt),
                        DemoStateJob.STATE_OPERATOR,
                        s.index(),
                        s.taskManager());
            }
        }
    }

    /** The restarted sources bring every key to the keyed function once: it checks them all. */
    private RestoredStateCheck awaitStateCheck(Map<Integer, Subtask> attempts) throws Exception {
        long start = System.nanoTime();
        long[] lastProgress = {start};
        AtomicReference<RestoredStateCheck> check = new AtomicReference<>();
        waits.until(
                "every restored key to be checked",
                () -> {
                    job.failIfEnded();
                    check.set(job.stateCheck(attempts));
                    if (!check.get().complete()
                            && System.nanoTime() - lastProgress[0] > PROGRESS_NANOS) {
                        lastProgress[0] = System.nanoTime();
                        DemoLog.progress(
                                "verifying restored keys: %,d of %,d",
                                check.get().keysChecked(), settings.numKeys);
                    }
                    return check.get().complete();
                });
        DemoLog.progress(
                "verified the restored value of every key (%,d) in %.1f s: %,d wrong, %,d missing",
                check.get().keysChecked(),
                (System.nanoTime() - start) / 1e9,
                check.get().valuesWrong(),
                check.get().keysMissing());
        return check.get();
    }

    /** The TaskManager running the most stateful subtasks (the first on a tie). */
    private static String busiestTaskManager(Map<Integer, Subtask> placement) {
        Map<String, Long> perTm =
                placement.values().stream()
                        .collect(
                                Collectors.groupingBy(
                                        Subtask::taskManager, TreeMap::new, Collectors.counting()));
        return perTm.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    }
}
