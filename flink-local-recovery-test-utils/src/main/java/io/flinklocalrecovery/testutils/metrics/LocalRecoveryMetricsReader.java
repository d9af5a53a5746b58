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
package io.flinklocalrecovery.testutils.metrics;

import org.apache.flink.api.common.JobID;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.scope.ScopeFormat;
import org.apache.flink.runtime.testutils.InMemoryReporter;

import io.flinklocalrecovery.core.metrics.LocalRecoveryMetrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Reads the plugin's {@code localRecovery.*} metrics per task attempt from an InMemoryReporter. */
public final class LocalRecoveryMetricsReader {

    private static final String GROUP = LocalRecoveryMetrics.GROUP + ".";

    /** The metrics of one attempt of one subtask. */
    public static final class TaskAttempt {
        public final String taskName;
        public final int subtask;
        public final int attempt;
        public final Map<String, Long> values = new HashMap<>();

        TaskAttempt(String taskName, int subtask, int attempt) {
            this.taskName = taskName;
            this.subtask = subtask;
            this.attempt = attempt;
        }

        public long get(String name) {
            return values.getOrDefault(name, 0L);
        }

        public long restores() {
            return get(LocalRecoveryMetrics.RESTORES_LOCAL)
                    + get(LocalRecoveryMetrics.RESTORES_MIXED)
                    + get(LocalRecoveryMetrics.RESTORES_REMOTE);
        }

        @Override
        public String toString() {
            return taskName + "#" + subtask + " attempt " + attempt + " " + values;
        }
    }

    private LocalRecoveryMetricsReader() {}

    public static List<TaskAttempt> read(InMemoryReporter reporter, JobID jobId) {
        Map<String, TaskAttempt> attempts = new HashMap<>();
        for (Map.Entry<MetricGroup, Map<String, Metric>> group :
                reporter.getMetricsByGroup().entrySet()) {
            Map<String, String> variables = group.getKey().getAllVariables();
            if (!Objects.equals(jobId.toString(), variables.get(ScopeFormat.SCOPE_JOB_ID))) {
                continue;
            }
            for (Map.Entry<String, Metric> metric : group.getValue().entrySet()) {
                String identifier = group.getKey().getMetricIdentifier(metric.getKey());
                int at = identifier.indexOf(GROUP);
                if (at < 0) {
                    continue;
                }
                String name = identifier.substring(at + GROUP.length());
                String task = variables.get(ScopeFormat.SCOPE_TASK_NAME);
                int subtask = Integer.parseInt(variables.get(ScopeFormat.SCOPE_TASK_SUBTASK_INDEX));
                int attempt = Integer.parseInt(variables.get(ScopeFormat.SCOPE_TASK_ATTEMPT_NUM));
                TaskAttempt entry =
                        attempts.computeIfAbsent(
                                task + "/" + subtask + "/" + attempt,
                                k -> new TaskAttempt(task, subtask, attempt));
                entry.values.put(name, valueOf(metric.getValue()));
            }
        }
        return new ArrayList<>(attempts.values());
    }

    private static long valueOf(Metric metric) {
        if (metric instanceof Counter) {
            return ((Counter) metric).getCount();
        }
        if (metric instanceof Gauge) {
            Object value = ((Gauge<?>) metric).getValue();
            return value instanceof Number ? ((Number) value).longValue() : 0L;
        }
        return 0L;
    }
}
