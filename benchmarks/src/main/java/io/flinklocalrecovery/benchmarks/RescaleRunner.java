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
import org.apache.flink.runtime.jobgraph.JobResourceRequirements;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.runtime.testutils.CommonTestUtils;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.traces.Span;
import org.apache.flink.util.FileUtils;

import io.flinklocalrecovery.core.backend.LocalRecoveryRuntime;
import io.flinklocalrecovery.core.metrics.LocalRecoveryMetrics;
import io.flinklocalrecovery.testutils.flinkline.FlinkLineAdaptiveScheduler;
import io.flinklocalrecovery.testutils.job.ValueChecks.Found;
import io.flinklocalrecovery.testutils.metrics.InMemoryMetricReporter;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs one setup of the rescale benchmark: a fresh MiniCluster under the adaptive scheduler, the
 * benchmark job with its state built at the settings' parallelism, then in place (as the REST API's
 * resource requirements and the autoscaler do) a scale-in to one subtask and a scale-out back, each
 * after two more completed checkpoints. Each rescale is measured from the request to the end of
 * Flink's JobInitialization trace of its restore.
 */
final class RescaleRunner {

    /** One in-place rescale and what it restored from where. */
    static final class Rescale {
        final int from;
        final int to;
        long rescaleMs = -1;
        long maxInitializeStateMs = -1;
        long flinkBytesLocal;
        long flinkBytesRemote;
        long pluginBytesLocal;
        long pluginBytesRemote;
        long pluginRescaleRestores;

        Rescale(int from, int to) {
            this.from = from;
            this.to = to;
        }
    }

    /** A setup's run: its two rescales and the job's checks of the restored values. */
    static final class Result {
        final Setup setup;
        final int stateMb;
        final List<Rescale> rescales = new ArrayList<>();
        final List<String> problems = new ArrayList<>();
        long keysChecked;
        long valuesWrong;
        long keysMissing;

        Result(Setup setup, int stateMb) {
            this.setup = setup;
            this.stateMb = stateMb;
        }
    }

    private static final long POLL_MILLIS = 50;

    /** Checkpoints completed (after the build, and after each rescale) before a rescale. */
    private static final int CHECKPOINTS_BEFORE_RESCALE = 2;

    private final BenchmarkSettings settings;
    private final Consumer<String> log;

    RescaleRunner(BenchmarkSettings settings, Consumer<String> log) {
        this.settings = settings;
        this.log = log;
    }

    Result run(Setup setup, int stateMb) {
        Result result = new Result(setup, stateMb);
        int parallelism = settings.parallelism;
        Path dir = settings.workDir.resolve("flr-rescale-" + setup.id() + "-" + UUID.randomUUID());
        Path localRoot = dir.resolve("local-copies");
        long numKeys = new SetupRunner(settings, log).numKeys(stateMb);
        InMemoryMetricReporter.clear();
        System.gc();
        MiniCluster cluster = null;
        try {
            Files.createDirectories(dir);
            Configuration clusterConfig =
                    SetupConfiguration.cluster(settings, setup, dir, localRoot, true);
            withAdaptiveScheduler(clusterConfig);
            FileSystem.initialize(clusterConfig, null);
            cluster =
                    new MiniCluster(
                            new MiniClusterConfiguration.Builder()
                                    .setConfiguration(clusterConfig)
                                    .setNumTaskManagers(1)
                                    .setNumSlotsPerTaskManager(parallelism)
                                    .setCommonBindAddress("127.0.0.1")
                                    .build());
            cluster.start();
            BenchmarkSignals.reset(numKeys, parallelism, Integer.MAX_VALUE, 0, 0);
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(
                            SetupConfiguration.job(settings, setup, dir, localRoot, 0));
            BenchmarkJob.build(
                    env,
                    numKeys,
                    parallelism,
                    settings.valueBytes,
                    settings.recordsPerSecondAfterBuild);
            JobGraph jobGraph = env.getStreamGraph().getJobGraph();
            JobID jobId = jobGraph.getJobID();
            cluster.submitJob(jobGraph).get(60, TimeUnit.SECONDS);
            Deadline deadline =
                    Deadline.fromNow(
                            Duration.ofNanos((long) (settings.timeoutMinutesPerSetup * 60e9)));
            waitFor(() -> BenchmarkSignals.COUNTS.stateBuilt(), deadline, "the state build");
            int current = parallelism;
            for (int target : new int[] {1, parallelism}) {
                int checkpoints = BenchmarkSignals.completedCheckpoints();
                waitFor(
                        () ->
                                BenchmarkSignals.completedCheckpoints()
                                        >= checkpoints + CHECKPOINTS_BEFORE_RESCALE,
                        deadline,
                        "checkpoints before the rescale to " + target);
                result.rescales.add(rescale(cluster, jobGraph, current, target, deadline));
                current = target;
            }
            result.keysChecked = BenchmarkSignals.COUNTS.checkedInAllAttempts();
            result.valuesWrong = BenchmarkSignals.COUNTS.checkedInAllAttempts(Found.WRONG);
            result.keysMissing = BenchmarkSignals.COUNTS.checkedInAllAttempts(Found.MISSING);
            if (result.valuesWrong > 0 || result.keysMissing > 0) {
                result.problems.add(
                        result.valuesWrong + " wrong values, " + result.keysMissing + " missing");
            }
            cluster.cancelJob(jobId).get(60, TimeUnit.SECONDS);
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
        return result;
    }

    /**
     * The adaptive scheduler, rescaling at once when the requirements change: no cooldown, no
     * stabilization, and no wait for the next checkpoint (FLIP-461's rescale trigger), so that the
     * measured time is the rescale's own; it restores from the newest completed checkpoint.
     */
    static void withAdaptiveScheduler(Configuration config) {
        FlinkLineAdaptiveScheduler.rescalingAtOnceWithoutCheckpointWait(config);
    }

    private Rescale rescale(
            MiniCluster cluster, JobGraph jobGraph, int from, int to, Deadline deadline)
            throws Exception {
        JobID jobId = jobGraph.getJobID();
        Rescale rescale = new Rescale(from, to);
        int spansBefore = ResultCollector.restoreSpans(jobId).size();
        long[] before = pluginBytes(jobId);
        JobResourceRequirements.Builder requirements = JobResourceRequirements.newBuilder();
        for (JobVertex vertex : jobGraph.getVertices()) {
            requirements.setParallelismForJobVertex(vertex.getID(), to, to);
        }
        long requestMillis = System.currentTimeMillis();
        FlinkLineAdaptiveScheduler.updateJobResourceRequirements(
                cluster, jobId, requirements.build());
        waitFor(
                () -> ResultCollector.restoreSpans(jobId).size() > spansBefore,
                deadline,
                "the restore of the rescale " + from + " -> " + to);
        Span span = ResultCollector.restoreSpans(jobId).get(spansBefore);
        rescale.rescaleMs = span.getEndTsMillis() - requestMillis;
        rescale.maxInitializeStateMs = attribute(span, "maxInitializeStateDurationMs");
        span.getAttributes()
                .forEach(
                        (key, value) -> {
                            if (key.startsWith("sumRestoredStateSizeBytes.")
                                    && value instanceof Number) {
                                long bytes = ((Number) value).longValue();
                                if (key.endsWith(".LOCAL_DISK")) {
                                    rescale.flinkBytesLocal += bytes;
                                } else if (key.endsWith(".REMOTE")) {
                                    rescale.flinkBytesRemote += bytes;
                                }
                            }
                        });
        CommonTestUtils.waitForAllTaskRunning(cluster, jobId, false);
        long[] after = pluginBytes(jobId);
        rescale.pluginBytesLocal = after[0] - before[0];
        rescale.pluginBytesRemote = after[1] - before[1];
        rescale.pluginRescaleRestores = after[2] - before[2];
        log.accept(
                String.format(
                        "  rescale %d -> %d: %d ms, Flink local/remote %d/%d bytes, plugin"
                                + " %d/%d bytes",
                        from,
                        to,
                        rescale.rescaleMs,
                        rescale.flinkBytesLocal,
                        rescale.flinkBytesRemote,
                        rescale.pluginBytesLocal,
                        rescale.pluginBytesRemote));
        return rescale;
    }

    /**
     * The plugin's restored bytes (local, remote) and rescale restores, summed over every attempt
     * so far: what a rescale adds is what its new attempts restored.
     */
    private static long[] pluginBytes(JobID jobId) {
        long[] sums = new long[3];
        for (InMemoryMetricReporter.TaskMetric metric :
                InMemoryMetricReporter.taskMetrics(jobId.toString())) {
            switch (metric.name) {
                case LocalRecoveryMetrics.RESTORED_BYTES_LOCAL:
                    sums[0] += metric.value();
                    break;
                case LocalRecoveryMetrics.RESTORED_BYTES_REMOTE:
                    sums[1] += metric.value();
                    break;
                case LocalRecoveryMetrics.RESCALE_RESTORES:
                    sums[2] += metric.value();
                    break;
                default:
                    break;
            }
        }
        return sums;
    }

    private static long attribute(Span span, String name) {
        Object value = span.getAttributes().get(name);
        return value instanceof Number ? ((Number) value).longValue() : -1;
    }

    @FunctionalInterface
    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void waitFor(Condition condition, Deadline deadline, String what)
            throws Exception {
        while (!condition.holds()) {
            if (deadline.isOverdue()) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            Thread.sleep(POLL_MILLIS);
        }
    }
}
