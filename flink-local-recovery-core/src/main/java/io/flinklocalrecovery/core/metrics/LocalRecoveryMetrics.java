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
package io.flinklocalrecovery.core.metrics;

import org.apache.flink.annotation.Internal;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;

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
 *   <li>{@code rescaleRestores}, {@code rescaleRestoredBytesLocal}, {@code
 *       rescaleRestoredBytesRemote}: keyed restores after a change of parallelism (the subtask's
 *       key groups are not those of one old subtask: several handles merged, or part of a wider
 *       one), and the bytes of those restores read from local copies and from the primary copy;
 *       they are also counted in the totals above. A heap or RocksDB-full subtask whose new range
 *       lies within one old subtask's is handed a handle cut to its range and counts in the totals
 *       only (see {@code KeyedRescale}).
 *   <li>{@code restoredHandlesAdopted}, {@code restoredHandlesBorrowed}: state handles restored
 *       from local copies that are not this TaskManager's own: adopted from the root of a
 *       TaskManager of the host that is gone, or borrowed from one that lives; they are also
 *       counted in the totals above.
 *   <li>{@code fallbacks} and {@code fallbackReason.<reason>}: handles (or whole restores) that
 *       fell back to the primary copy, by {@link FallbackReason}.
 *   <li>{@code localWriteFailures} and {@code localWriteFailureReason.<reason>}: local copies not
 *       kept, by {@link LocalWriteFailure}.
 *   <li>{@code localCheckpointsCompleted}: local checkpoints whose manifest was written.
 *   <li>{@code localBytesHeld}: bytes of local copies held by this TaskManager's store, every
 *       distinct (hard-linked) file once.
 *   <li>{@code disk.sizeLimit}, {@code disk.<n>.bytesHeld}, {@code disk.<n>.freeSpace}, {@code
 *       disk.<n>.reserve}: the disk budget and its figures per local-recovery directory {@code n}.
 *   <li>{@code evictions} and {@code evictionReason.<reason>}: local copies the disk budget evicted
 *       on this TaskManager, by {@link EvictionReason}.
 *   <li>{@code newestLocalCopyAgeMs}: how long ago this task attempt last committed a local copy
 *       (-1 before its first).
 * </ul>
 */
@Internal
public final class LocalRecoveryMetrics {

    public static final String GROUP = "localRecovery";

    // the names of the metrics in the group, as every test, demo and benchmark reads them
    public static final String RESTORES_LOCAL = "restoresLocal";
    public static final String RESTORES_MIXED = "restoresMixed";
    public static final String RESTORES_REMOTE = "restoresRemote";
    public static final String RESTORED_BYTES_LOCAL = "restoredBytesLocal";
    public static final String RESTORED_BYTES_REMOTE = "restoredBytesRemote";
    public static final String RESCALE_RESTORES = "rescaleRestores";
    public static final String RESCALE_RESTORED_BYTES_LOCAL = "rescaleRestoredBytesLocal";
    public static final String RESCALE_RESTORED_BYTES_REMOTE = "rescaleRestoredBytesRemote";
    public static final String RESTORED_HANDLES_ADOPTED = "restoredHandlesAdopted";
    public static final String RESTORED_HANDLES_BORROWED = "restoredHandlesBorrowed";
    public static final String FALLBACKS = "fallbacks";
    public static final String FALLBACK_REASON_GROUP = "fallbackReason";
    public static final String LOCAL_WRITE_FAILURES = "localWriteFailures";
    public static final String LOCAL_WRITE_FAILURE_REASON_GROUP = "localWriteFailureReason";
    public static final String LOCAL_CHECKPOINTS_COMPLETED = "localCheckpointsCompleted";
    public static final String LOCAL_BYTES_HELD = "localBytesHeld";
    public static final String DISK_GROUP = "disk";
    public static final String DISK_SIZE_LIMIT = "sizeLimit";
    public static final String DISK_BYTES_HELD = "bytesHeld";
    public static final String DISK_FREE_SPACE = "freeSpace";
    public static final String DISK_RESERVE = "reserve";
    public static final String EVICTIONS = "evictions";
    public static final String EVICTION_REASON_GROUP = "evictionReason";
    public static final String NEWEST_LOCAL_COPY_AGE = "newestLocalCopyAgeMs";

    private static final Map<MetricGroup, LocalRecoveryMetrics> PER_TASK = new WeakHashMap<>();

    private final Counter restoresLocal;
    private final Counter restoresMixed;
    private final Counter restoresRemote;
    private final Counter restoredBytesLocal;
    private final Counter restoredBytesRemote;
    private final Counter rescaleRestores;
    private final Counter rescaleRestoredBytesLocal;
    private final Counter rescaleRestoredBytesRemote;
    private final Counter restoredHandlesAdopted;
    private final Counter restoredHandlesBorrowed;
    private final Counter fallbacks;
    private final Map<FallbackReason, Counter> fallbacksByReason =
            new EnumMap<>(FallbackReason.class);
    private final Counter localWriteFailures;
    private final Map<LocalWriteFailure, Counter> writeFailuresByReason =
            new EnumMap<>(LocalWriteFailure.class);
    private final Counter localCheckpointsCompleted;
    private volatile long lastLocalCopyMillis = -1;

    private LocalRecoveryMetrics(MetricGroup group, LongSupplier bytesHeld, LocalDiskGauges disk) {
        restoresLocal = group.counter(RESTORES_LOCAL);
        restoresMixed = group.counter(RESTORES_MIXED);
        restoresRemote = group.counter(RESTORES_REMOTE);
        restoredBytesLocal = group.counter(RESTORED_BYTES_LOCAL);
        restoredBytesRemote = group.counter(RESTORED_BYTES_REMOTE);
        rescaleRestores = group.counter(RESCALE_RESTORES);
        rescaleRestoredBytesLocal = group.counter(RESCALE_RESTORED_BYTES_LOCAL);
        rescaleRestoredBytesRemote = group.counter(RESCALE_RESTORED_BYTES_REMOTE);
        restoredHandlesAdopted = group.counter(RESTORED_HANDLES_ADOPTED);
        restoredHandlesBorrowed = group.counter(RESTORED_HANDLES_BORROWED);
        fallbacks = group.counter(FALLBACKS);
        MetricGroup reasons = group.addGroup(FALLBACK_REASON_GROUP);
        for (FallbackReason reason : FallbackReason.values()) {
            fallbacksByReason.put(reason, reasons.counter(reason.getMetricName()));
        }
        localWriteFailures = group.counter(LOCAL_WRITE_FAILURES);
        MetricGroup writeReasons = group.addGroup(LOCAL_WRITE_FAILURE_REASON_GROUP);
        for (LocalWriteFailure reason : LocalWriteFailure.values()) {
            writeFailuresByReason.put(reason, writeReasons.counter(reason.getMetricName()));
        }
        localCheckpointsCompleted = group.counter(LOCAL_CHECKPOINTS_COMPLETED);
        group.gauge(LOCAL_BYTES_HELD, (Gauge<Long>) bytesHeld::getAsLong);
        group.gauge(NEWEST_LOCAL_COPY_AGE, (Gauge<Long>) this::newestLocalCopyAgeMillis);
        MetricGroup diskGroup = group.addGroup(DISK_GROUP);
        diskGroup.gauge(DISK_SIZE_LIMIT, (Gauge<Long>) disk::sizeLimit);
        for (int i = 0; i < disk.directories(); i++) {
            int directory = i;
            MetricGroup one = diskGroup.addGroup(String.valueOf(i));
            one.gauge(DISK_BYTES_HELD, (Gauge<Long>) () -> disk.bytesHeld(directory));
            one.gauge(DISK_FREE_SPACE, (Gauge<Long>) () -> disk.freeSpace(directory));
            one.gauge(DISK_RESERVE, (Gauge<Long>) () -> disk.reserve(directory));
        }
        group.gauge(
                EVICTIONS,
                (Gauge<Long>)
                        () -> {
                            long total = 0;
                            for (EvictionReason reason : EvictionReason.values()) {
                                total += disk.evictions(reason);
                            }
                            return total;
                        });
        MetricGroup evictionReasons = group.addGroup(EVICTION_REASON_GROUP);
        for (EvictionReason reason : EvictionReason.values()) {
            evictionReasons.gauge(
                    reason.getMetricName(), (Gauge<Long>) () -> disk.evictions(reason));
        }
    }

    /** The name, within the group, of the gauge of evictions for one reason. */
    public static String nameOf(EvictionReason reason) {
        return EVICTION_REASON_GROUP + "." + reason.getMetricName();
    }

    /** The name, within the group, of a gauge of local-recovery directory {@code n}. */
    public static String diskMetric(int directory, String gauge) {
        return DISK_GROUP + "." + directory + "." + gauge;
    }

    /** The name, within the group, of the counter of one fallback reason. */
    public static String nameOf(FallbackReason reason) {
        return FALLBACK_REASON_GROUP + "." + reason.getMetricName();
    }

    /** The name, within the group, of the counter of one reason for a local copy not kept. */
    public static String nameOf(LocalWriteFailure reason) {
        return LOCAL_WRITE_FAILURE_REASON_GROUP + "." + reason.getMetricName();
    }

    /** The metrics of the task owning this metric group, registered on first use. */
    public static LocalRecoveryMetrics forTask(
            MetricGroup taskMetricGroup, LongSupplier bytesHeld) {
        return forTask(taskMetricGroup, bytesHeld, LocalDiskGauges.NONE);
    }

    /** The metrics of the task owning this metric group, with the disk budget's gauges. */
    public static LocalRecoveryMetrics forTask(
            MetricGroup taskMetricGroup, LongSupplier bytesHeld, LocalDiskGauges disk) {
        synchronized (PER_TASK) {
            return PER_TASK.computeIfAbsent(
                    taskMetricGroup,
                    group -> new LocalRecoveryMetrics(group.addGroup(GROUP), bytesHeld, disk));
        }
    }

    /** Metrics that are counted but reported nowhere (no metric group available). */
    public static LocalRecoveryMetrics unregistered(LongSupplier bytesHeld) {
        return new LocalRecoveryMetrics(
                new org.apache.flink.metrics.groups.UnregisteredMetricsGroup(),
                bytesHeld,
                LocalDiskGauges.NONE);
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

    /**
     * Starts a rescale restore: what the restores count until {@link RescaleRestore#end()} is also
     * counted as the rescale's. Restores of one task run one after the other, in its thread.
     */
    public RescaleRestore startRescaleRestore() {
        return new RescaleRestore(restoredBytesLocal.getCount(), restoredBytesRemote.getCount());
    }

    /** A keyed restore after a change of parallelism, counted in the rescale metrics. */
    public final class RescaleRestore {
        private final long localBytesBefore;
        private final long remoteBytesBefore;

        private RescaleRestore(long localBytesBefore, long remoteBytesBefore) {
            this.localBytesBefore = localBytesBefore;
            this.remoteBytesBefore = remoteBytesBefore;
        }

        /** Counts the rescale restore and the bytes restored since its start. */
        public void end() {
            rescaleRestores.inc();
            rescaleRestoredBytesLocal.inc(restoredBytesLocal.getCount() - localBytesBefore);
            rescaleRestoredBytesRemote.inc(restoredBytesRemote.getCount() - remoteBytesBefore);
        }
    }

    public long getRescaleRestores() {
        return rescaleRestores.getCount();
    }

    public long getRescaleRestoredBytesLocal() {
        return rescaleRestoredBytesLocal.getCount();
    }

    public long getRescaleRestoredBytesRemote() {
        return rescaleRestoredBytesRemote.getCount();
    }

    /**
     * A local restore read {@code adopted} handles from copies adopted from TaskManagers that are
     * gone and {@code borrowed} from copies of live ones.
     */
    public void restoredFromOtherTaskManagers(int adopted, int borrowed) {
        restoredHandlesAdopted.inc(adopted);
        restoredHandlesBorrowed.inc(borrowed);
    }

    public long getRestoredHandlesAdopted() {
        return restoredHandlesAdopted.getCount();
    }

    public long getRestoredHandlesBorrowed() {
        return restoredHandlesBorrowed.getCount();
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
        lastLocalCopyMillis = System.currentTimeMillis();
    }

    /** Milliseconds since this task attempt last committed a local copy, -1 before its first. */
    public long newestLocalCopyAgeMillis() {
        long last = lastLocalCopyMillis;
        return last < 0 ? -1 : Math.max(0, System.currentTimeMillis() - last);
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
