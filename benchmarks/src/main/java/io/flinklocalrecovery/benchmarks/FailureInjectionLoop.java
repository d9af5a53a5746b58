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
package io.flinklocalrecovery.benchmarks;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.time.Deadline;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.CommonTestUtils;

import io.flinklocalrecovery.core.backend.LocalRecoveryRuntime;
import io.flinklocalrecovery.testutils.minicluster.LocalRecoveryJobRuns;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Follows a setup's job through the build of its state, its injected failures (the job injects them
 * itself) and its recoveries, until the job's signals say it is done: samples the local copies
 * after every completed checkpoint, and fails on the setup's deadline or when the job ended before.
 */
final class FailureInjectionLoop {

    /** How often the job's signals are looked at; all timestamps come from the job itself. */
    private static final long POLL_MILLIS = 50;

    private final BenchmarkSettings settings;
    private final Setup setup;
    private final SetupResult result;
    private final LocalDiskMeter meter;
    private final long startNanos;
    private final long numKeys;
    private final int failures;

    /** TaskManagers replaced so far; the MiniCluster's index of the running one. */
    private int replaced;

    private int seenCheckpoints;
    private int seenFull;
    private boolean steady;

    FailureInjectionLoop(
            BenchmarkSettings settings,
            SetupResult result,
            Path localRoot,
            long startNanos,
            long numKeys,
            int failures) {
        this.settings = settings;
        this.setup = result.setup;
        this.result = result;
        this.meter = new LocalDiskMeter(localRoot);
        this.startNanos = startNanos;
        this.numKeys = numKeys;
        this.failures = failures;
    }

    /** Returns when the job's signals say the benchmark is done; throws when it cannot be. */
    void run(MiniCluster cluster, JobID jobId, Deadline deadline) throws Exception {
        CommonTestUtils.waitUntilCondition(
                () -> {
                    observe(cluster, jobId, deadline);
                    return BenchmarkSignals.done();
                },
                POLL_MILLIS);
    }

    private void observe(MiniCluster cluster, JobID jobId, Deadline deadline) throws Exception {
        if (BenchmarkSignals.replacesTaskManager() && BenchmarkSignals.injected() > replaced) {
            replaceTaskManager(cluster, jobId, deadline);
        }
        int completed = BenchmarkSignals.completedCheckpoints();
        if (completed != seenCheckpoints) {
            seenCheckpoints = completed;
            sampleLocalDisk();
        }
        if (result.buildSeconds == 0 && BenchmarkSignals.COUNTS.builtNanos() != 0) {
            result.buildSeconds = (BenchmarkSignals.COUNTS.builtNanos() - startNanos) / 1e9;
        }
        if (deadline.isOverdue()) {
            throw new IllegalStateException(
                    String.format(
                            Locale.ROOT,
                            "timed out after %.1f minutes: %,d of %,d keys built, %d"
                                    + " checkpoints completed, %d of %d failures injected,"
                                    + " %d recovered",
                            settings.timeoutMinutesPerSetup,
                            BenchmarkSignals.COUNTS.keysCreated(),
                            numKeys,
                            BenchmarkSignals.completedCheckpoints(),
                            BenchmarkSignals.injected(),
                            failures,
                            BenchmarkSignals.recovered()));
        }
        JobStatus status = cluster.getJobStatus(jobId).get(60, TimeUnit.SECONDS);
        if (status.isGloballyTerminalState()) {
            throw new IllegalStateException(
                    "the job ended with status "
                            + status
                            + " before the benchmark was done: "
                            + cluster.requestJobResult(jobId)
                                    .get(60, TimeUnit.SECONDS)
                                    .getSerializedThrowable()
                                    .map(t -> t.getFullStringifiedStackTrace())
                                    .orElse("no exception"));
        }
    }

    /**
     * The loss of the TaskManager and its replacement by a new one, as a new pod or container: the
     * TaskManager shuts down (its tasks are cancelled), the plugin's process-wide store closes as
     * it does when a process ends (its root's lock is released), and a new TaskManager starts in
     * the MiniCluster with a new resource id and a new working directory ({@code tm_<index>}). The
     * plugin's copies of the newest checkpoint are committed first: a TaskManager lost before that
     * loses them (its subtasks then restore from the primary, correctly), which is not what this
     * measures.
     */
    private void replaceTaskManager(MiniCluster cluster, JobID jobId, Deadline deadline)
            throws Exception {
        CommonTestUtils.waitUntilCondition(
                () -> LocalRecoveryJobRuns.noPendingLocalCheckpoints(jobId) || deadline.isOverdue(),
                POLL_MILLIS);
        BenchmarkSignals.replacementStartsNow(replaced);
        cluster.terminateTaskManager(replaced).get(60, TimeUnit.SECONDS);
        LocalRecoveryRuntime.shutDownAll();
        cluster.startTaskManager();
        replaced++;
    }

    /** After a completed checkpoint: the disk the local copies hold, and what they grew by. */
    private void sampleLocalDisk() {
        long[] grown = meter.sample();
        if (setup.mode != Setup.Mode.NONE) {
            result.localHeldSamples.add(meter.heldBytes);
            result.localHeldHardLinkedBytes = meter.heldHardLinkedBytes;
        }
        int full = BenchmarkSignals.fullCheckpoints().size();
        if (steady) {
            result.localNewBytesSteady += grown[0];
            result.localNewBytesSteadyHardLinked += grown[1];
            result.localSteadyCheckpoints += full - seenFull;
        }
        if (full > 0) {
            steady = true;
        }
        seenFull = full;
    }
}
