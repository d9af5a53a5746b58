package io.flinklocalrecovery.core.metrics;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;

import io.flinklocalrecovery.core.restore.FallbackReason;
import io.flinklocalrecovery.core.snapshot.LocalWriteFailure;

import java.util.EnumMap;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.LongSupplier;

/**
 * The plugin's metrics, registered once per task attempt in the group {@value #GROUP} of the task's
 * metric group (Flink hands the operator state backend no operator metric group, so the task is the
 * narrowest scope both backends share). Counts are per attempt: a restarted task starts from zero,
 * so each attempt shows where its own restore came from.
 *
 * <ul>
 *   <li>{@code restoresLocal}, {@code restoresMixed}, {@code restoresRemote}: backends restored
 *       entirely from local copies, partly, or entirely from the primary copy.
 *   <li>{@code restoredBytesLocal}, {@code restoredBytesRemote}: bytes of state read from each.
 *   <li>{@code fallbacks} and {@code fallbackReason.<reason>}: handles (or whole restores) that
 *       fell back to the primary copy, by {@link FallbackReason}.
 *   <li>{@code localWriteFailures} and {@code localWriteFailureReason.<reason>}: local copies not
 *       kept, by {@link LocalWriteFailure}.
 *   <li>{@code localCheckpointsCompleted}: local checkpoints whose manifest was written.
 *   <li>{@code localBytesHeld}: bytes of local copies held by this TaskManager's store.
 * </ul>
 */
public final class LocalRecoveryMetrics {

    public static final String GROUP = "localRecovery";

    private static final Map<MetricGroup, LocalRecoveryMetrics> PER_TASK = new WeakHashMap<>();

    private final Counter restoresLocal;
    private final Counter restoresMixed;
    private final Counter restoresRemote;
    private final Counter restoredBytesLocal;
    private final Counter restoredBytesRemote;
    private final Counter fallbacks;
    private final Map<FallbackReason, Counter> fallbacksByReason =
            new EnumMap<>(FallbackReason.class);
    private final Counter localWriteFailures;
    private final Map<LocalWriteFailure, Counter> writeFailuresByReason =
            new EnumMap<>(LocalWriteFailure.class);
    private final Counter localCheckpointsCompleted;

    private LocalRecoveryMetrics(MetricGroup group, LongSupplier bytesHeld) {
        restoresLocal = group.counter("restoresLocal");
        restoresMixed = group.counter("restoresMixed");
        restoresRemote = group.counter("restoresRemote");
        restoredBytesLocal = group.counter("restoredBytesLocal");
        restoredBytesRemote = group.counter("restoredBytesRemote");
        fallbacks = group.counter("fallbacks");
        MetricGroup reasons = group.addGroup("fallbackReason");
        for (FallbackReason reason : FallbackReason.values()) {
            fallbacksByReason.put(reason, reasons.counter(reason.getMetricName()));
        }
        localWriteFailures = group.counter("localWriteFailures");
        MetricGroup writeReasons = group.addGroup("localWriteFailureReason");
        for (LocalWriteFailure reason : LocalWriteFailure.values()) {
            writeFailuresByReason.put(reason, writeReasons.counter(reason.getMetricName()));
        }
        localCheckpointsCompleted = group.counter("localCheckpointsCompleted");
        group.gauge("localBytesHeld", (Gauge<Long>) bytesHeld::getAsLong);
    }

    /** The metrics of the task owning this metric group, registered on first use. */
    public static LocalRecoveryMetrics forTask(
            MetricGroup taskMetricGroup, LongSupplier bytesHeld) {
        synchronized (PER_TASK) {
            return PER_TASK.computeIfAbsent(
                    taskMetricGroup,
                    group -> new LocalRecoveryMetrics(group.addGroup(GROUP), bytesHeld));
        }
    }

    /** Metrics that are counted but reported nowhere (no metric group available). */
    public static LocalRecoveryMetrics unregistered(LongSupplier bytesHeld) {
        return new LocalRecoveryMetrics(
                new org.apache.flink.metrics.groups.UnregisteredMetricsGroup(), bytesHeld);
    }

    public void restoredLocally(long bytes) {
        restoresLocal.inc();
        restoredBytesLocal.inc(bytes);
    }

    public void restoredMixed(long localBytes, long remoteBytes) {
        restoresMixed.inc();
        restoredBytesLocal.inc(localBytes);
        restoredBytesRemote.inc(remoteBytes);
    }

    public void restoredRemotely(long bytes) {
        restoresRemote.inc();
        restoredBytesRemote.inc(bytes);
    }

    public void fallback(FallbackReason reason) {
        fallbacks.inc();
        fallbacksByReason.get(reason).inc();
    }

    public void localWriteFailed(LocalWriteFailure reason) {
        localWriteFailures.inc();
        writeFailuresByReason.get(reason).inc();
    }

    public void localCheckpointCompleted() {
        localCheckpointsCompleted.inc();
    }

    public long getRestoresLocal() {
        return restoresLocal.getCount();
    }

    public long getRestoresMixed() {
        return restoresMixed.getCount();
    }

    public long getRestoresRemote() {
        return restoresRemote.getCount();
    }

    public long getFallbacks(FallbackReason reason) {
        return fallbacksByReason.get(reason).getCount();
    }

    public long getLocalWriteFailures(LocalWriteFailure reason) {
        return writeFailuresByReason.get(reason).getCount();
    }

    public long getLocalCheckpointsCompleted() {
        return localCheckpointsCompleted.getCount();
    }
}
