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

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The metrics the guide documents, under the names the constants give, counting what happened. */
class LocalRecoveryMetricsTest {

    @Test
    void registersEveryDocumentedMetricUnderItsConstantName() {
        RecordingGroup task = new RecordingGroup();
        LocalRecoveryMetrics.forTask(task, () -> 42L);

        String prefix = LocalRecoveryMetrics.GROUP + ".";
        assertThat(task.metrics)
                .containsKeys(
                        prefix + LocalRecoveryMetrics.RESTORES_LOCAL,
                        prefix + LocalRecoveryMetrics.RESTORES_MIXED,
                        prefix + LocalRecoveryMetrics.RESTORES_REMOTE,
                        prefix + LocalRecoveryMetrics.RESTORED_BYTES_LOCAL,
                        prefix + LocalRecoveryMetrics.RESTORED_BYTES_REMOTE,
                        prefix + LocalRecoveryMetrics.RESCALE_RESTORES,
                        prefix + LocalRecoveryMetrics.RESCALE_RESTORED_BYTES_LOCAL,
                        prefix + LocalRecoveryMetrics.RESCALE_RESTORED_BYTES_REMOTE,
                        prefix + LocalRecoveryMetrics.RESTORED_HANDLES_ADOPTED,
                        prefix + LocalRecoveryMetrics.RESTORED_HANDLES_BORROWED,
                        prefix + LocalRecoveryMetrics.FALLBACKS,
                        prefix + LocalRecoveryMetrics.LOCAL_WRITE_FAILURES,
                        prefix + LocalRecoveryMetrics.LOCAL_CHECKPOINTS_COMPLETED,
                        prefix + LocalRecoveryMetrics.LOCAL_BYTES_HELD,
                        prefix + LocalRecoveryMetrics.NEWEST_LOCAL_COPY_AGE,
                        prefix + LocalRecoveryMetrics.EVICTIONS,
                        prefix
                                + LocalRecoveryMetrics.DISK_GROUP
                                + "."
                                + LocalRecoveryMetrics.DISK_SIZE_LIMIT);
        for (EvictionReason reason : EvictionReason.values()) {
            assertThat(task.metrics).containsKey(prefix + LocalRecoveryMetrics.nameOf(reason));
        }
        for (FallbackReason reason : FallbackReason.values()) {
            assertThat(task.metrics).containsKey(prefix + LocalRecoveryMetrics.nameOf(reason));
        }
        for (LocalWriteFailure reason : LocalWriteFailure.values()) {
            assertThat(task.metrics).containsKey(prefix + LocalRecoveryMetrics.nameOf(reason));
        }
        assertThat(task.metrics)
                .hasSize(
                        17
                                + FallbackReason.values().length
                                + LocalWriteFailure.values().length
                                + EvictionReason.values().length);
        assertThat(
                        ((Gauge<?>)
                                        task.metrics.get(
                                                prefix + LocalRecoveryMetrics.LOCAL_BYTES_HELD))
                                .getValue())
                .isEqualTo(42L);
    }

    @Test
    void reportsTheDiskBudgetPerDirectoryAndTheEvictionsByReason() {
        RecordingGroup task = new RecordingGroup();
        LocalRecoveryMetrics metrics =
                LocalRecoveryMetrics.forTask(
                        task,
                        () -> 0L,
                        new LocalDiskGauges() {
                            @Override
                            public int directories() {
                                return 2;
                            }

                            @Override
                            public long bytesHeld(int directory) {
                                return 100 + directory;
                            }

                            @Override
                            public long freeSpace(int directory) {
                                return 200 + directory;
                            }

                            @Override
                            public long reserve(int directory) {
                                return 300 + directory;
                            }

                            @Override
                            public long sizeLimit() {
                                return 1000;
                            }

                            @Override
                            public long evictions(EvictionReason reason) {
                                return reason.ordinal() + 1;
                            }
                        });

        String prefix = LocalRecoveryMetrics.GROUP + ".";
        assertThat(gauge(task, prefix + "disk.sizeLimit")).isEqualTo(1000L);
        assertThat(
                        gauge(
                                task,
                                prefix
                                        + LocalRecoveryMetrics.diskMetric(
                                                1, LocalRecoveryMetrics.DISK_BYTES_HELD)))
                .isEqualTo(101L);
        assertThat(gauge(task, prefix + "disk.0.freeSpace")).isEqualTo(200L);
        assertThat(gauge(task, prefix + "disk.1.reserve")).isEqualTo(301L);
        assertThat(gauge(task, prefix + LocalRecoveryMetrics.nameOf(EvictionReason.ORPHANED_ROOT)))
                .isEqualTo(1L);
        assertThat(gauge(task, prefix + LocalRecoveryMetrics.nameOf(EvictionReason.RELEASED_JOB)))
                .isEqualTo(2L);
        assertThat(gauge(task, prefix + LocalRecoveryMetrics.EVICTIONS)).isEqualTo(10L);
        assertThat(gauge(task, prefix + LocalRecoveryMetrics.NEWEST_LOCAL_COPY_AGE)).isEqualTo(-1L);
        metrics.localCheckpointCompleted();
        assertThat((Long) gauge(task, prefix + LocalRecoveryMetrics.NEWEST_LOCAL_COPY_AGE))
                .isNotNegative();
    }

    private static Object gauge(RecordingGroup group, String name) {
        assertThat(group.metrics).containsKey(name);
        return ((Gauge<?>) group.metrics.get(name)).getValue();
    }

    @Test
    void countsRestoresBytesFallbacksAndWriteFailures() {
        RecordingGroup task = new RecordingGroup();
        LocalRecoveryMetrics metrics = LocalRecoveryMetrics.forTask(task, () -> 0L);

        metrics.restoredLocally(100);
        metrics.restoredMixed(10, 20);
        metrics.restoredRemotely(5);
        metrics.fallback(FallbackReason.CHECKSUM_MISMATCH);
        metrics.localWriteFailed(LocalWriteFailure.DISK_FULL);
        metrics.localWriteFailed(LocalWriteFailure.DISK_FULL);
        metrics.localCheckpointCompleted();

        String prefix = LocalRecoveryMetrics.GROUP + ".";
        assertThat(task.count(prefix + LocalRecoveryMetrics.RESTORES_LOCAL)).isOne();
        assertThat(task.count(prefix + LocalRecoveryMetrics.RESTORES_MIXED)).isOne();
        assertThat(task.count(prefix + LocalRecoveryMetrics.RESTORES_REMOTE)).isOne();
        assertThat(task.count(prefix + LocalRecoveryMetrics.RESTORED_BYTES_LOCAL)).isEqualTo(110);
        assertThat(task.count(prefix + LocalRecoveryMetrics.RESTORED_BYTES_REMOTE)).isEqualTo(25);
        assertThat(task.count(prefix + LocalRecoveryMetrics.FALLBACKS)).isOne();
        assertThat(
                        task.count(
                                prefix
                                        + LocalRecoveryMetrics.nameOf(
                                                FallbackReason.CHECKSUM_MISMATCH)))
                .isOne();
        assertThat(task.count(prefix + LocalRecoveryMetrics.nameOf(FallbackReason.NO_LOCAL_COPY)))
                .isZero();
        assertThat(task.count(prefix + LocalRecoveryMetrics.LOCAL_WRITE_FAILURES)).isEqualTo(2);
        assertThat(task.count(prefix + LocalRecoveryMetrics.nameOf(LocalWriteFailure.DISK_FULL)))
                .isEqualTo(2);
        assertThat(task.count(prefix + LocalRecoveryMetrics.LOCAL_CHECKPOINTS_COMPLETED)).isOne();
        // one set of metrics per task: a second backend of the task shares it
        assertThat(LocalRecoveryMetrics.forTask(task, () -> 0L)).isSameAs(metrics);
    }

    @Test
    void countsOnlyTheBytesOfRescaleRestoresAsTheRescale() {
        RecordingGroup task = new RecordingGroup();
        LocalRecoveryMetrics metrics = LocalRecoveryMetrics.forTask(task, () -> 0L);

        metrics.restoredLocally(1_000); // an operator state restore of the same task
        LocalRecoveryMetrics.RescaleRestore rescale = metrics.startRescaleRestore();
        metrics.restoredMixed(300, 40);
        rescale.end();
        metrics.restoredRemotely(7); // after the rescale restore

        String prefix = LocalRecoveryMetrics.GROUP + ".";
        assertThat(task.count(prefix + LocalRecoveryMetrics.RESCALE_RESTORES)).isOne();
        assertThat(task.count(prefix + LocalRecoveryMetrics.RESCALE_RESTORED_BYTES_LOCAL))
                .isEqualTo(300);
        assertThat(task.count(prefix + LocalRecoveryMetrics.RESCALE_RESTORED_BYTES_REMOTE))
                .isEqualTo(40);
        assertThat(task.count(prefix + LocalRecoveryMetrics.RESTORED_BYTES_LOCAL)).isEqualTo(1_300);
        assertThat(task.count(prefix + LocalRecoveryMetrics.RESTORED_BYTES_REMOTE)).isEqualTo(47);
    }

    /** A metric group that remembers what is registered in it and its sub-groups, by full name. */
    private static final class RecordingGroup extends UnregisteredMetricsGroup {
        private final Map<String, Metric> metrics;
        private final String prefix;

        RecordingGroup() {
            this(new TreeMap<>(), "");
        }

        private RecordingGroup(Map<String, Metric> metrics, String prefix) {
            this.metrics = metrics;
            this.prefix = prefix;
        }

        @Override
        public Counter counter(String name) {
            return counter(name, new SimpleCounter());
        }

        @Override
        public <C extends Counter> C counter(String name, C counter) {
            metrics.put(prefix + name, counter);
            return counter;
        }

        @Override
        public <T, G extends Gauge<T>> G gauge(String name, G gauge) {
            metrics.put(prefix + name, gauge);
            return gauge;
        }

        @Override
        public MetricGroup addGroup(String name) {
            return new RecordingGroup(metrics, prefix + name + ".");
        }

        long count(String name) {
            return ((Counter) metrics.get(name)).getCount();
        }
    }
}
