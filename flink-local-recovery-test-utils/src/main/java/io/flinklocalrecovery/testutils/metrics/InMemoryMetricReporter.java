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

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;
import org.apache.flink.runtime.metrics.scope.ScopeFormat;
import org.apache.flink.traces.Span;
import org.apache.flink.traces.reporter.TraceReporter;
import org.apache.flink.traces.reporter.TraceReporterFactory;

import io.flinklocalrecovery.core.metrics.LocalRecoveryMetrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Keeps the metrics and spans that the MiniCluster demo and the benchmark read in static
 * collections; the MiniCluster runs in their JVM. Configured with {@code
 * metrics.reporter.<name>.factory.class} and {@code traces.reporter.<name>.factory.class} set to
 * {@link Factory} and {@link TraceFactory}.
 *
 * <p>It keeps, per job: the task-scope metrics of the plugin ({@code localRecovery.*}) and Flink's
 * {@code initializationTime} of every task attempt, the job's checkpoint gauges, and Flink's {@code
 * JobInitialization} spans. Task metrics keep their last value after their task ends.
 */
public final class InMemoryMetricReporter implements MetricReporter, TraceReporter {

    private static final String LOCAL_RECOVERY_GROUP = LocalRecoveryMetrics.GROUP + ".";
    public static final String INITIALIZATION_TIME = "initializationTime";

    /** A metric of one task attempt. */
    public static final class TaskMetric {
        public final String jobId;
        public final String taskName;
        public final int subtask;
        public final int attempt;
        public final String name;

        /** The live metric while its task runs; null once frozen. */
        private volatile Metric metric;

        private volatile long frozenValue;

        TaskMetric(
                String jobId,
                String taskName,
                int subtask,
                int attempt,
                String name,
                Metric metric) {
            this.jobId = jobId;
            this.taskName = taskName;
            this.subtask = subtask;
            this.attempt = attempt;
            this.name = name;
            this.metric = metric;
        }

        public long value() {
            Metric live = metric;
            return live == null ? frozenValue : valueOf(live);
        }

        /** Keeps the last value and drops the metric, which may reference the whole task. */
        void freeze() {
            Metric live = metric;
            if (live != null) {
                frozenValue = valueOf(live);
                metric = null;
            }
        }
    }

    private static final List<TaskMetric> TASK_METRICS = new CopyOnWriteArrayList<>();
    private static final Map<String, Map<String, Metric>> JOB_METRICS = new ConcurrentHashMap<>();
    private static final List<Span> SPANS = new CopyOnWriteArrayList<>();

    /** Forgets everything kept so far (the collections are shared by all jobs in the JVM). */
    public static void clear() {
        TASK_METRICS.clear();
        JOB_METRICS.clear();
        SPANS.clear();
    }

    @Override
    public void open(MetricConfig config) {}

    @Override
    public void close() {}

    @Override
    public void notifyOfAddedMetric(Metric metric, String metricName, MetricGroup group) {
        Map<String, String> variables = group.getAllVariables();
        String jobId = variables.get(ScopeFormat.SCOPE_JOB_ID);
        if (jobId == null) {
            return;
        }
        String subtask = variables.get(ScopeFormat.SCOPE_TASK_SUBTASK_INDEX);
        String attempt = variables.get(ScopeFormat.SCOPE_TASK_ATTEMPT_NUM);
        if (subtask != null && attempt != null) {
            String identifier = group.getMetricIdentifier(metricName);
            int at = identifier.indexOf(LOCAL_RECOVERY_GROUP);
            String name;
            if (at >= 0) {
                name = identifier.substring(at + LOCAL_RECOVERY_GROUP.length());
            } else if (INITIALIZATION_TIME.equals(metricName)) {
                name = INITIALIZATION_TIME;
            } else {
                return;
            }
            TASK_METRICS.add(
                    new TaskMetric(
                            jobId,
                            variables.get(ScopeFormat.SCOPE_TASK_NAME),
                            Integer.parseInt(subtask),
                            Integer.parseInt(attempt),
                            name,
                            metric));
        } else if (variables.get(ScopeFormat.SCOPE_TASK_VERTEX_ID) == null) {
            JOB_METRICS
                    .computeIfAbsent(jobId, k -> new ConcurrentHashMap<>())
                    .put(metricName, metric);
        }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String metricName, MetricGroup group) {
        // the values of ended task attempts stay readable; the metric objects are released
        for (TaskMetric taskMetric : TASK_METRICS) {
            if (taskMetric.metric == metric) {
                taskMetric.freeze();
            }
        }
        String jobId = group.getAllVariables().get(ScopeFormat.SCOPE_JOB_ID);
        Map<String, Metric> jobMetrics = jobId == null ? null : JOB_METRICS.get(jobId);
        if (jobMetrics != null) {
            jobMetrics.remove(metricName, metric);
        }
    }

    @Override
    public void notifyOfAddedSpan(Span span) {
        SPANS.add(span);
    }

    // ------------------------------------------------------------------------

    public static List<TaskMetric> taskMetrics(String jobId) {
        List<TaskMetric> result = new ArrayList<>();
        for (TaskMetric metric : TASK_METRICS) {
            if (metric.jobId.equals(jobId)) {
                result.add(metric);
            }
        }
        return result;
    }

    /** A job-level metric (JobManager scope), for example {@code lastCheckpointSize}. */
    public static Optional<Long> jobMetric(String jobId, String name) {
        Map<String, Metric> metrics = JOB_METRICS.get(jobId);
        Metric metric = metrics == null ? null : metrics.get(name);
        return metric == null ? Optional.empty() : Optional.of(valueOf(metric));
    }

    /** Flink's spans of the given name for the job, oldest first. */
    public static List<Span> spans(String jobId, String name) {
        List<Span> result = new ArrayList<>();
        for (Span span : SPANS) {
            if (name.equals(span.getName())
                    && Objects.equals(
                            jobId,
                            String.valueOf(span.getAttributes().get(ScopeFormat.SCOPE_JOB_ID)))) {
                result.add(span);
            }
        }
        return result;
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

    /** {@code metrics.reporter.<name>.factory.class}. */
    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new InMemoryMetricReporter();
        }
    }

    /** {@code traces.reporter.<name>.factory.class}. */
    public static final class TraceFactory implements TraceReporterFactory {
        @Override
        public TraceReporter createTraceReporter(Properties properties) {
            return new InMemoryMetricReporter();
        }
    }
}
