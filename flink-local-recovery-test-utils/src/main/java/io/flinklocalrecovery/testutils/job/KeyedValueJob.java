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
package io.flinklocalrecovery.testutils.job;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.lib.NumberSequenceSource.NumberSequenceSplit;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

import io.flinklocalrecovery.testutils.flinkline.FlinkLineRateLimiterStrategy;
import io.flinklocalrecovery.testutils.flinkline.Permits;

import java.util.concurrent.CompletableFuture;

/**
 * The topology of the demos' and the benchmark's jobs: a generator source emits keys, a keyed
 * function (given by the caller) keeps one {@code byte[]} value per key, {@link #valueFor}.
 *
 * <p>Each source subtask first emits its share of the keys once, as fast as it can (building the
 * state), then keeps cycling over them at a low rate, so that the job stays alive, every keyed
 * subtask keeps receiving records and checkpoints continue without burning the CPU. After a restore
 * it emits its keys once more as fast as it can, so that the keyed function checks every restored
 * value, then slows down again.
 */
public final class KeyedValueJob {

    public static final String SOURCE = "keys";

    private KeyedValueJob() {}

    /**
     * Adds the job to {@code env}: source {@value #SOURCE}, then {@code stateFunction} as the
     * operator {@code stateOperator} (its uid and name), then a discarding sink.
     */
    public static void build(
            StreamExecutionEnvironment env,
            long numKeys,
            int parallelism,
            double recordsPerSecondAfterBuild,
            String stateOperator,
            KeyedProcessFunction<Long, Long, Long> stateFunction) {
        long keysPerSplit = numKeys / parallelism;
        // effectively unbounded; each split is [i * splitLength, (i + 1) * splitLength)
        long splitLength = keysPerSplit * (Long.MAX_VALUE / 4 / numKeys);
        KeyGenerator keys = new KeyGenerator(keysPerSplit, splitLength, recordsPerSecondAfterBuild);
        env.fromSource(
                        new DataGeneratorSource<>(
                                keys, splitLength * parallelism, keys, Types.LONG),
                        WatermarkStrategy.noWatermarks(),
                        SOURCE)
                .uid(SOURCE)
                .setParallelism(parallelism)
                .keyBy(key -> key, Types.LONG)
                .process(stateFunction)
                .uid(stateOperator)
                .name(stateOperator)
                .setParallelism(parallelism)
                .sinkTo(new DiscardingSink<>())
                .name("discard")
                .setParallelism(parallelism);
    }

    /** The state of the keyed function: the {@code byte[]} value of the current key. */
    public static ValueStateDescriptor<byte[]> valueStateDescriptor() {
        return new ValueStateDescriptor<>(
                "value", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);
    }

    /** The value of a key: {@code valueBytes} pseudo-random (incompressible) bytes. */
    public static byte[] valueFor(long key, int valueBytes) {
        byte[] value = new byte[valueBytes];
        long x = key * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L;
        for (int i = 0; i < valueBytes; i++) {
            if ((i & 7) == 0) {
                x ^= x << 13;
                x ^= x >>> 7;
                x ^= x << 17;
            }
            value[i] = (byte) (x >>> ((i & 7) << 3));
        }
        return value;
    }

    /**
     * Maps the generator's sequence numbers to keys and paces the source: both roles in one object,
     * so that the rate limiter of a source subtask sees what its generator emitted (the source is
     * deserialized once per subtask and attempt, shared references stay shared). Split {@code i}
     * emits the keys {@code [i * keysPerSplit, (i + 1) * keysPerSplit)} in a cycle. Every attempt
     * starts with one unpaced cycle from where its split stands: in the first attempt it builds the
     * state, after a restore it brings every key to the keyed function once, which checks the
     * restored value ({@link ValueCheckingFunction}).
     */
    static final class KeyGenerator extends FlinkLineRateLimiterStrategy<NumberSequenceSplit>
            implements GeneratorFunction<Long, Long> {

        private static final long serialVersionUID = 1L;

        private final long keysPerSplit;
        private final long splitLength;
        private final double recordsPerSecondAfterBuild;

        /** The first sequence number this attempt emitted, once it emitted one. */
        private transient long firstIndex;

        private transient boolean started;

        /** Whether the next record is past the first cycle of this attempt. */
        private transient volatile boolean paced;

        KeyGenerator(long keysPerSplit, long splitLength, double recordsPerSecondAfterBuild) {
            this.keysPerSplit = keysPerSplit;
            this.splitLength = splitLength;
            this.recordsPerSecondAfterBuild = recordsPerSecondAfterBuild;
        }

        @Override
        public Long map(Long index) {
            if (!started) {
                started = true;
                firstIndex = index;
            }
            long split = index / splitLength;
            long offset = index % splitLength;
            paced = index - firstIndex + 1 >= keysPerSplit;
            return split * keysPerSplit + offset % keysPerSplit;
        }

        @Override
        protected Permits createPermits(int parallelism) {
            Permits slow = steady(recordsPerSecondAfterBuild);
            return records ->
                    paced ? slow.acquire(records) : CompletableFuture.completedFuture(null);
        }
    }
}
