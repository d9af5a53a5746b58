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
import org.apache.flink.traces.Span;

import io.flinklocalrecovery.core.metrics.LocalRecoveryMetrics;
import io.flinklocalrecovery.testutils.job.KeyedValueCounts;
import io.flinklocalrecovery.testutils.job.ValueChecks.Found;
import io.flinklocalrecovery.testutils.metrics.InMemoryMetricReporter;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Collects what a setup measured once its job is done: per recovery Flink's JobInitialization trace
 * and the task metrics of the restored attempt (Flink's and the plugin's), the checkpoints of the
 * steady state, and the job's own counts of checked keys.
 */
final class ResultCollector {

    private ResultCollector() {}

    /** Flink's JobInitialization traces of the job's restores (those with a checkpoint id). */
    static List<Span> restoreSpans(JobID jobId) {
        List<Span> result = new ArrayList<>();
        for (Span span : InMemoryMetricReporter.spans(jobId.toString(), "JobInitialization")) {
            if (span.getAttributes().containsKey("checkpointId")) {
                result.add(span);
            }
        }
        return result;
    }

    static void collect(SetupResult result, JobID jobId, int failures) {
        List<Span> restores = restoreSpans(jobId);
        List<InMemoryMetricReporter.TaskMetric> metrics =
                InMemoryMetricReporter.taskMetrics(jobId.toString());
        for (int i = 0; i < failures; i++) {
            SetupResult.Recovery recovery = new SetupResult.Recovery();
            recovery.recoveryMs = BenchmarkSignals.recoveryNanos(i) / 1_000_000L;
            if (i < restores.size()) {
                readRestoreSpan(restores.get(i), recovery);
            }
            readTaskMetrics(metrics, BenchmarkSignals.failureAttempt(i) + 1, recovery);
            result.recoveries.add(recovery);
        }
        collectSteadyCheckpoints(result, jobId);
        KeyedValueCounts counts = BenchmarkSignals.COUNTS;
        result.keysHeld = counts.numKeys();
        result.keysChecked = counts.checkedInAllAttempts();
        result.valuesWrong = counts.checkedInAllAttempts(Found.WRONG);
        result.keysMissing = counts.checkedInAllAttempts(Found.MISSING);
        result.unexpectedRestarts = Math.max(0, BenchmarkSignals.maxAttempt() - failures);
    }

    /** Flink's restore trace: state init durations and restored bytes by location. */
    private static void readRestoreSpan(Span span, SetupResult.Recovery recovery) {
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

    /** The task metrics of the restored attempt: keyed init times and the plugin's counters. */
    private static void readTaskMetrics(
            List<InMemoryMetricReporter.TaskMetric> metrics,
            int attempt,
            SetupResult.Recovery recovery) {
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
                case LocalRecoveryMetrics.RESTORED_HANDLES_ADOPTED:
                case LocalRecoveryMetrics.RESTORED_HANDLES_BORROWED:
                    recovery.pluginHandlesFromOtherTaskManagers += value;
                    break;
                default:
                    break;
            }
            if (keyedTask) {
                keyed.computeIfAbsent(metric.subtask, k -> new HashMap<>()).put(metric.name, value);
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
    }

    private static void collectSteadyCheckpoints(SetupResult result, JobID jobId) {
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
    }

    private static long longAttribute(Span span, String name) {
        Object value = span.getAttributes().get(name);
        return value instanceof Number ? ((Number) value).longValue() : -1;
    }
}
