package io.flinklocalrecovery.benchmarks;

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

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Keeps the metrics and spans the harness reads in static collections (the MiniCluster runs in the
 * harness's JVM): the plugin's task metrics ({@code localRecovery.*}) and Flink's {@code
 * initializationTime} of every task attempt, and Flink's {@code Checkpoint} and {@code
 * JobInitialization} spans. Task metrics keep their last value after their task ends.
 */
public final class BenchmarkReporter implements MetricReporter, TraceReporter {

    private static final String LOCAL_RECOVERY_GROUP = "localRecovery.";
    static final String INITIALIZATION_TIME = "initializationTime";

    /** A metric of one task attempt. */
    static final class TaskMetric {
        final String jobId;
        final String taskName;
        final int subtask;
        final int attempt;
        final String name;
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

        long value() {
            Metric live = metric;
            return live == null ? frozenValue : valueOf(live);
        }

        void freeze() {
            Metric live = metric;
            if (live != null) {
                frozenValue = valueOf(live);
                metric = null;
            }
        }
    }

    private static final List<TaskMetric> TASK_METRICS = new CopyOnWriteArrayList<>();
    private static final List<Span> SPANS = new CopyOnWriteArrayList<>();

    static void clear() {
        TASK_METRICS.clear();
        SPANS.clear();
    }

    @Override
    public void open(MetricConfig config) {}

    @Override
    public void close() {}

    @Override
    public void notifyOfAddedMetric(Metric metric, String metricName, MetricGroup group) {
        java.util.Map<String, String> variables = group.getAllVariables();
        String jobId = variables.get(ScopeFormat.SCOPE_JOB_ID);
        String subtask = variables.get(ScopeFormat.SCOPE_TASK_SUBTASK_INDEX);
        String attempt = variables.get(ScopeFormat.SCOPE_TASK_ATTEMPT_NUM);
        if (jobId == null || subtask == null || attempt == null) {
            return;
        }
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
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String metricName, MetricGroup group) {
        for (TaskMetric taskMetric : TASK_METRICS) {
            if (taskMetric.metric == metric) {
                taskMetric.freeze();
            }
        }
    }

    @Override
    public void notifyOfAddedSpan(Span span) {
        SPANS.add(span);
    }

    static List<TaskMetric> taskMetrics(String jobId) {
        List<TaskMetric> result = new ArrayList<>();
        for (TaskMetric metric : TASK_METRICS) {
            if (metric.jobId.equals(jobId)) {
                result.add(metric);
            }
        }
        return result;
    }

    /** Flink's spans of the given name for the job, oldest first. */
    static List<Span> spans(String jobId, String name) {
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

    static long valueOf(Metric metric) {
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
            return new BenchmarkReporter();
        }
    }

    /** {@code traces.reporter.<name>.factory.class}. */
    public static final class TraceFactory implements TraceReporterFactory {
        @Override
        public TraceReporter createTraceReporter(Properties properties) {
            return new BenchmarkReporter();
        }
    }
}
