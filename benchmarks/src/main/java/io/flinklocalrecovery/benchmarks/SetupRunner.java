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
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.traces.Span;
import org.apache.flink.util.FileUtils;

import io.flinklocalrecovery.core.backend.LocalRecoveryRuntime;
import io.flinklocalrecovery.core.metrics.LocalRecoveryMetrics;
import io.flinklocalrecovery.fs.LocalRecoveryHashMapStateBackendFactory;
import io.flinklocalrecovery.rocksdb.LocalRecoveryRocksDBStateBackendFactory;
import io.flinklocalrecovery.testutils.fs.ThrottledFileSystem;
import io.flinklocalrecovery.testutils.fs.ThrottledFileSystemFactory;
import io.flinklocalrecovery.testutils.job.KeyedValueCounts;
import io.flinklocalrecovery.testutils.job.ValueChecks.Found;
import io.flinklocalrecovery.testutils.metrics.InMemoryMetricReporter;
import io.flinklocalrecovery.testutils.minicluster.LoopbackMiniClusterConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs one setup once: a fresh MiniCluster (one TaskManager) in a fresh directory, the benchmark
 * job, its injected failures and the measurements.
 */
final class SetupRunner {

    private static final long MB = 1024L * 1024L;

    /** Unthrottled primary: the same scheme, no bandwidth limit, no latency. */
    static final double UNTHROTTLED_MB_PER_SECOND = 1e9;

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
        SetupResult result = new SetupResult(setup, stateMb, throttled);
        long startNanos = System.nanoTime();
        long deadline = startNanos + (long) (settings.timeoutMinutesPerSetup * 60e9);
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
            Configuration clusterConfig = clusterConfiguration(setup, dir, localRoot, throttled);
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
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(
                            jobConfiguration(setup, dir, localRoot, failures));
            BenchmarkJob.build(
                    env,
                    numKeys,
                    settings.parallelism,
                    settings.valueBytes,
                    settings.recordsPerSecondAfterBuild);
            JobGraph jobGraph = env.getStreamGraph().getJobGraph();
            JobID jobId = jobGraph.getJobID();
            cluster.submitJob(jobGraph).get(60, TimeUnit.SECONDS);

            LocalDiskMeter meter = new LocalDiskMeter(localRoot);
            int seenCheckpoints = 0;
            int seenFull = 0;
            boolean steady = false;
            while (!BenchmarkSignals.done()) {
                // not a synchronization: all timestamps come from the job's own signals
                Thread.sleep(50);
                int completed = BenchmarkSignals.completedCheckpoints();
                if (completed != seenCheckpoints) {
                    seenCheckpoints = completed;
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
                if (result.buildSeconds == 0 && BenchmarkSignals.COUNTS.builtNanos() != 0) {
                    result.buildSeconds = (BenchmarkSignals.COUNTS.builtNanos() - startNanos) / 1e9;
                }
                if (System.nanoTime() > deadline) {
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
            // Flink reports a restore's JobInitialization trace once all subtasks reported
            while (restoreSpans(jobId).size() < failures && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            collect(result, jobId, failures);
            cluster.cancelJob(jobId).get(60, TimeUnit.SECONDS);
            while (!cluster.getJobStatus(jobId)
                    .get(60, TimeUnit.SECONDS)
                    .isGloballyTerminalState()) {
                Thread.sleep(50);
            }
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
        check(result, failures);
        return result;
    }

    // ------------------------------------------------------------------------
    // configuration

    private Configuration clusterConfiguration(
            Setup setup, Path dir, Path localRoot, boolean throttled) throws IOException {
        Configuration config = LoopbackMiniClusterConfig.in(dir);
        // RocksDB's managed memory (shared by the slots); unused by the heap backend
        config.setString("taskmanager.memory.managed.size", settings.quick ? "128m" : "512m");
        config.setString(
                "metrics.reporter.bench.factory.class",
                InMemoryMetricReporter.Factory.class.getName());
        config.setString(
                "traces.reporter.bench.factory.class",
                InMemoryMetricReporter.TraceFactory.class.getName());
        config.set(
                ThrottledFileSystemFactory.BANDWIDTH_MB_PER_SECOND,
                throttled ? settings.remoteMbPerSecond : UNTHROTTLED_MB_PER_SECOND);
        config.set(ThrottledFileSystemFactory.LATENCY_MS, throttled ? settings.remoteLatencyMs : 0);
        // Flink creates its local-state root directories whatever the flags say
        switch (setup.mode) {
            case NONE:
                config.setString(
                        "execution.checkpointing.local-backup.dirs", dir(dir, "flink-local-state"));
                config.setString("execution.state-recovery.from-local", "false");
                config.setString("execution.checkpointing.local-backup.enabled", "false");
                break;
            case BUILT_IN:
                // Flink's built-in keeps its copies here (read by the TaskManager at start)
                config.setString(
                        "execution.checkpointing.local-backup.dirs",
                        Files.createDirectories(localRoot).toString());
                config.setString("execution.state-recovery.from-local", "true");
                config.setString("execution.checkpointing.local-backup.enabled", "true");
                break;
            case PLUGIN:
                config.setString(
                        "execution.checkpointing.local-backup.dirs", dir(dir, "flink-local-state"));
                config.setString("execution.state-recovery.from-local", "true");
                config.setString("execution.checkpointing.local-backup.enabled", "false");
                break;
            default:
                throw new IllegalArgumentException(setup.mode.toString());
        }
        return config;
    }

    private Configuration jobConfiguration(Setup setup, Path dir, Path localRoot, int failures)
            throws IOException {
        Configuration config = new Configuration();
        config.setString("pipeline.name", "flr-benchmark " + setup.id());
        config.setString("parallelism.default", String.valueOf(settings.parallelism));
        config.setString("pipeline.object-reuse", "true");
        boolean plugin = setup.mode == Setup.Mode.PLUGIN;
        if (setup.backend.isRocksDB()) {
            config.setString(
                    "state.backend.type",
                    plugin ? LocalRecoveryRocksDBStateBackendFactory.class.getName() : "rocksdb");
            config.setString(
                    "execution.checkpointing.incremental",
                    String.valueOf(setup.backend == Setup.Backend.ROCKSDB_INCREMENTAL));
        } else {
            config.setString(
                    "state.backend.type",
                    plugin ? LocalRecoveryHashMapStateBackendFactory.class.getName() : "hashmap");
        }
        switch (setup.mode) {
            case NONE:
                config.setString("execution.state-recovery.from-local", "false");
                config.setString("execution.checkpointing.local-backup.enabled", "false");
                break;
            case BUILT_IN:
                config.setString("execution.state-recovery.from-local", "true");
                config.setString("execution.checkpointing.local-backup.enabled", "true");
                break;
            case PLUGIN:
                config.setString("state.backend.local-recovery", "ENABLE_FILE_BASED");
                config.setString("execution.state-recovery.from-local", "true");
                config.setString("execution.checkpointing.local-backup.enabled", "false");
                config.setString(
                        "state.backend.local-recovery.dirs",
                        Files.createDirectories(localRoot).toString());
                break;
            default:
                throw new IllegalArgumentException(setup.mode.toString());
        }
        config.setString("execution.checkpointing.storage", "filesystem");
        config.setString(
                "execution.checkpointing.dir",
                // with an authority: Flink's restore metrics count a file as REMOTE only when its
                // URI has the form scheme://... and the scheme is not file
                ThrottledFileSystem.SCHEME
                        + "://remote"
                        + Files.createDirectories(dir.resolve("primary")).toUri().getPath());
        config.setString("execution.checkpointing.interval", "1 s");
        config.setString("execution.checkpointing.min-pause", "500 ms");
        config.setString("execution.checkpointing.timeout", "10 min");
        config.setString("execution.checkpointing.tolerable-failed-checkpoints", "100");
        // every state stream becomes a file in the checkpoint storage
        config.setString("execution.checkpointing.data-inline-threshold", "0 b");
        config.setString("restart-strategy.type", "fixed-delay");
        config.setString("restart-strategy.fixed-delay.attempts", String.valueOf(failures + 2));
        config.setString("restart-strategy.fixed-delay.delay", "0 s");
        return config;
    }

    private static String dir(Path parent, String name) throws IOException {
        return LoopbackMiniClusterConfig.directory(parent, name);
    }

    // ------------------------------------------------------------------------
    // measurements

    private static List<Span> restoreSpans(JobID jobId) {
        List<Span> result = new ArrayList<>();
        for (Span span : InMemoryMetricReporter.spans(jobId.toString(), "JobInitialization")) {
            if (span.getAttributes().containsKey("checkpointId")) {
                result.add(span);
            }
        }
        return result;
    }

    private static long longAttribute(Span span, String name) {
        Object value = span.getAttributes().get(name);
        return value instanceof Number ? ((Number) value).longValue() : -1;
    }

    private void collect(SetupResult result, JobID jobId, int failures) {
        List<Span> restores = restoreSpans(jobId);
        List<InMemoryMetricReporter.TaskMetric> metrics =
                InMemoryMetricReporter.taskMetrics(jobId.toString());
        for (int i = 0; i < failures; i++) {
            SetupResult.Recovery recovery = new SetupResult.Recovery();
            recovery.recoveryMs = BenchmarkSignals.recoveryNanos(i) / 1_000_000L;
            if (i < restores.size()) {
                Span span = restores.get(i);
                recovery.restoredCheckpointId = longAttribute(span, "checkpointId");
                recovery.maxInitializeStateMs = longAttribute(span, "maxInitializeStateDurationMs");
                recovery.sumInitializeStateMs = longAttribute(span, "sumInitializeStateDurationMs");
                long local = 0;
                long remote = 0;
                long other = 0;
                for (Map.Entry<String, Object> attribute : span.getAttributes().entrySet()) {
                    String key = attribute.getKey();
                    if (!key.startsWith("sumRestoredStateSizeBytes.")
                            || !(attribute.getValue() instanceof Number)) {
                        continue;
                    }
                    long bytes = ((Number) attribute.getValue()).longValue();
                    if (key.endsWith(".LOCAL_DISK")) {
                        local += bytes;
                    } else if (key.endsWith(".REMOTE")) {
                        remote += bytes;
                    } else {
                        other += bytes;
                    }
                }
                recovery.flinkBytesLocalDisk = local;
                recovery.flinkBytesRemote = remote;
                recovery.flinkBytesOther = other;
            }
            int attempt = BenchmarkSignals.failureAttempt(i) + 1;
            boolean pluginSeen = false;
            long bytesLocal = 0;
            long bytesRemote = 0;
            Map<Integer, Map<String, Long>> keyed = new HashMap<>();
            for (InMemoryMetricReporter.TaskMetric metric : metrics) {
                if (metric.attempt != attempt) {
                    continue;
                }
                boolean keyedTask = metric.taskName.startsWith(BenchmarkJob.STATE_OPERATOR);
                if (InMemoryMetricReporter.INITIALIZATION_TIME.equals(metric.name)) {
                    if (keyedTask) {
                        recovery.keyedSubtaskInitializationMs.add(metric.value());
                    }
                    continue;
                }
                pluginSeen = true;
                long value = metric.value();
                switch (metric.name) {
                    case LocalRecoveryMetrics.RESTORED_BYTES_LOCAL:
                        bytesLocal += value;
                        break;
                    case LocalRecoveryMetrics.RESTORED_BYTES_REMOTE:
                        bytesRemote += value;
                        break;
                    case LocalRecoveryMetrics.RESTORES_LOCAL:
                        recovery.pluginRestoresLocal += value;
                        break;
                    case LocalRecoveryMetrics.RESTORES_MIXED:
                        recovery.pluginRestoresMixed += value;
                        break;
                    case LocalRecoveryMetrics.RESTORES_REMOTE:
                        recovery.pluginRestoresRemote += value;
                        break;
                    case LocalRecoveryMetrics.FALLBACKS:
                        recovery.pluginFallbacks += value;
                        break;
                    default:
                        break;
                }
                if (keyedTask) {
                    keyed.computeIfAbsent(metric.subtask, k -> new HashMap<>())
                            .put(metric.name, value);
                }
            }
            if (pluginSeen) {
                recovery.pluginBytesLocal = bytesLocal;
                recovery.pluginBytesRemote = bytesRemote;
            }
            for (Map<String, Long> subtask : keyed.values()) {
                if (subtask.getOrDefault(LocalRecoveryMetrics.RESTORES_LOCAL, 0L) > 0
                        && subtask.getOrDefault(LocalRecoveryMetrics.RESTORES_MIXED, 0L) == 0
                        && subtask.getOrDefault(LocalRecoveryMetrics.RESTORES_REMOTE, 0L) == 0) {
                    recovery.keyedSubtasksRestoredLocally++;
                }
            }
            result.recoveries.add(recovery);
        }

        // checkpoints of the steady state: every completed checkpoint holding the whole state
        // except the first (for incremental RocksDB, the first uploads everything)
        List<long[]> full = BenchmarkSignals.fullCheckpoints();
        Set<Long> steadyIds = new HashSet<>();
        for (int i = 1; i < full.size(); i++) {
            steadyIds.add(full.get(i)[0]);
        }
        Map<Long, Span> checkpointSpans = new HashMap<>();
        for (Span span : InMemoryMetricReporter.spans(jobId.toString(), "Checkpoint")) {
            if ("COMPLETED".equals(String.valueOf(span.getAttributes().get("checkpointStatus")))) {
                checkpointSpans.put(longAttribute(span, "checkpointId"), span);
            }
        }
        full.stream()
                .map(f -> f[0])
                .sorted()
                .forEach(
                        id -> {
                            Span span = checkpointSpans.get(id);
                            if (span == null) {
                                return;
                            }
                            result.checkpointFullBytes = longAttribute(span, "fullSize");
                            if (steadyIds.contains(id)) {
                                result.steadyCheckpoints.add(
                                        new SetupResult.Checkpoint(
                                                id,
                                                span.getEndTsMillis() - span.getStartTsMillis(),
                                                longAttribute(span, "checkpointedSize"),
                                                longAttribute(span, "fullSize")));
                            }
                        });
        KeyedValueCounts counts = BenchmarkSignals.COUNTS;
        result.keysHeld = counts.numKeys();
        result.keysChecked = counts.checkedInAllAttempts();
        result.valuesWrong = counts.checkedInAllAttempts(Found.WRONG);
        result.keysMissing = counts.checkedInAllAttempts(Found.MISSING);
        result.unexpectedRestarts = Math.max(0, BenchmarkSignals.maxAttempt() - failures);
    }

    private void check(SetupResult result, int failures) {
        if (!result.problems.isEmpty()) {
            return;
        }
        String setup = result.setup.label();
        if (result.recoveries.size() != failures) {
            result.problems.add(setup + ": " + result.recoveries.size() + " recoveries measured");
        }
        // every key is checked once per recovery (the next failure waits for the checks)
        if (result.keysChecked != result.keysHeld * failures
                || result.keysMissing > 0
                || result.valuesWrong > 0) {
            result.problems.add(
                    String.format(
                            Locale.ROOT,
                            "%s: wrong state after recovery: %,d keys checked in %d recoveries of"
                                    + " %,d keys, %,d values wrong, %,d keys missing",
                            setup,
                            result.keysChecked,
                            failures,
                            result.keysHeld,
                            result.valuesWrong,
                            result.keysMissing));
        }
        if (result.unexpectedRestarts > 0) {
            result.problems.add(
                    setup + ": " + result.unexpectedRestarts + " restarts besides the injected");
        }
        for (int i = 0; i < result.recoveries.size(); i++) {
            SetupResult.Recovery recovery = result.recoveries.get(i);
            String which = setup + ", recovery " + (i + 1) + ": ";
            if (recovery.recoveryMs <= 0) {
                result.problems.add(which + "no recovery time");
            }
            if (recovery.flinkBytesLocalDisk < 0) {
                result.problems.add(which + "no JobInitialization trace from Flink");
                continue;
            }
            switch (result.setup.mode) {
                case NONE:
                    if (recovery.flinkBytesLocalDisk > 0 || recovery.pluginBytesLocal > 0) {
                        result.problems.add(
                                which + "restored from local disk without local" + " recovery");
                    }
                    break;
                case BUILT_IN:
                    // Flink keeps no local copy of operator state (the source's splits)
                    if (recovery.flinkBytesLocalDisk <= recovery.flinkBytesRemote) {
                        result.problems.add(
                                String.format(
                                        Locale.ROOT,
                                        "%sFlink's built-in did not restore locally: %d bytes"
                                                + " from local disk, %d remote",
                                        which,
                                        recovery.flinkBytesLocalDisk,
                                        recovery.flinkBytesRemote));
                    }
                    break;
                case PLUGIN:
                    if (recovery.keyedSubtasksRestoredLocally != settings.parallelism
                            || recovery.pluginBytesLocal <= 0) {
                        result.problems.add(
                                String.format(
                                        Locale.ROOT,
                                        "%sthe plugin did not restore every keyed subtask"
                                                + " locally: %d of %d local, %d bytes local, %d"
                                                + " remote, fallbacks %d",
                                        which,
                                        recovery.keyedSubtasksRestoredLocally,
                                        settings.parallelism,
                                        recovery.pluginBytesLocal,
                                        recovery.pluginBytesRemote,
                                        recovery.pluginFallbacks));
                    }
                    break;
                default:
                    break;
            }
        }
    }
}
