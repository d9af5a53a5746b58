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
import org.apache.flink.api.common.time.Deadline;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.runtime.testutils.CommonTestUtils;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.FileUtils;

import io.flinklocalrecovery.core.backend.LocalRecoveryRuntime;
import io.flinklocalrecovery.testutils.metrics.InMemoryMetricReporter;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs one setup once: a fresh MiniCluster (one TaskManager) in a fresh directory, the benchmark
 * job, its injected failures and the measurements.
 */
final class SetupRunner {

    private static final long MB = 1024L * 1024L;

    /** How often the end of a wait is looked for. */
    private static final long POLL_MILLIS = 50;

    private final BenchmarkSettings settings;
    private final Consumer<String> log;

    SetupRunner(BenchmarkSettings settings, Consumer<String> log) {
        this.settings = settings;
        this.log = log;
    }

    /** Bytes one entry takes in a checkpoint: the long key, the array length, the value. */
    long entryBytes() {
        return 8 + 4 + settings.valueBytes;
    }

    long numKeys(int stateMb) {
        long perSubtask = Math.max(1, stateMb * MB / entryBytes() / settings.parallelism);
        return perSubtask * settings.parallelism;
    }

    SetupResult run(
            Setup setup,
            int stateMb,
            boolean throttled,
            int failures,
            int failAfterCheckpoints,
            int postRecoveryCheckpoints)
            throws Exception {
        return run(
                setup,
                stateMb,
                throttled,
                failures,
                failAfterCheckpoints,
                postRecoveryCheckpoints,
                false);
    }

    /**
     * @param replaceTaskManager whether each failure is the loss of the TaskManager, replaced by a
     *     new one with another resource id and working directory, instead of a task failure
     */
    SetupResult run(
            Setup setup,
            int stateMb,
            boolean throttled,
            int failures,
            int failAfterCheckpoints,
            int postRecoveryCheckpoints,
            boolean replaceTaskManager)
            throws Exception {
        SetupResult result = new SetupResult(setup, stateMb, throttled);
        long startNanos = System.nanoTime();
        Deadline deadline =
                Deadline.fromNow(Duration.ofNanos((long) (settings.timeoutMinutesPerSetup * 60e9)));
        Path dir =
                Files.createDirectories(
                        settings.workDir.resolve(
                                "flr-bench-" + setup.id() + "-" + UUID.randomUUID()));
        Path localRoot = dir.resolve("local-copies");
        MiniCluster cluster = null;
        long numKeys = numKeys(stateMb);
        InMemoryMetricReporter.clear();
        System.gc();
        try {
            Configuration clusterConfig =
                    SetupConfiguration.cluster(settings, setup, dir, localRoot, throttled);
            // a fresh file system instance: its token buckets start empty for every setup
            FileSystem.initialize(clusterConfig, null);
            cluster =
                    new MiniCluster(
                            new MiniClusterConfiguration.Builder()
                                    .setConfiguration(clusterConfig)
                                    .setNumTaskManagers(1)
                                    .setNumSlotsPerTaskManager(settings.parallelism)
                                    .setCommonBindAddress("127.0.0.1")
                                    .build());
            cluster.start();

            BenchmarkSignals.reset(
                    numKeys,
                    settings.parallelism,
                    failAfterCheckpoints,
                    failures,
                    postRecoveryCheckpoints);
            if (replaceTaskManager) {
                BenchmarkSignals.failByReplacingTheTaskManager();
            }
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(
                            SetupConfiguration.job(settings, setup, dir, localRoot, failures));
            BenchmarkJob.build(
                    env,
                    numKeys,
                    settings.parallelism,
                    settings.valueBytes,
                    settings.recordsPerSecondAfterBuild);
            JobGraph jobGraph = env.getStreamGraph().getJobGraph();
            JobID jobId = jobGraph.getJobID();
            cluster.submitJob(jobGraph).get(60, TimeUnit.SECONDS);

            new FailureInjectionLoop(settings, result, localRoot, startNanos, numKeys, failures)
                    .run(cluster, jobId, deadline);
            // Flink reports a restore's JobInitialization trace once all subtasks reported; past
            // the deadline, the missing traces are reported as problems of the setup
            CommonTestUtils.waitUntilCondition(
                    () ->
                            ResultCollector.restoreSpans(jobId).size() >= failures
                                    || deadline.isOverdue(),
                    POLL_MILLIS);
            ResultCollector.collect(result, jobId, failures);
            cancel(cluster, jobId);
        } catch (Exception e) {
            result.problems.add("did not complete: " + e);
        } finally {
            if (cluster != null) {
                try {
                    cluster.closeAsync().get(120, TimeUnit.SECONDS);
                } catch (Exception e) {
                    log.accept("could not stop the MiniCluster cleanly: " + e);
                }
            }
            LocalRecoveryRuntime.shutDownAll();
            FileUtils.deleteDirectoryQuietly(dir.toFile());
        }
        result.totalSeconds = (System.nanoTime() - startNanos) / 1e9;
        SetupResultCheck.check(result, failures, settings.parallelism, replaceTaskManager);
        return result;
    }

    private static void cancel(MiniCluster cluster, JobID jobId) throws Exception {
        cluster.cancelJob(jobId).get(60, TimeUnit.SECONDS);
        CommonTestUtils.waitUntilCondition(
                () ->
                        cluster.getJobStatus(jobId)
                                .get(60, TimeUnit.SECONDS)
                                .isGloballyTerminalState(),
                POLL_MILLIS);
    }
}
