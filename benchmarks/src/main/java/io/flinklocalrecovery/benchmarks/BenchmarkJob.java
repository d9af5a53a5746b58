package io.flinklocalrecovery.benchmarks;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.lib.NumberSequenceSource.NumberSequenceSplit;
import org.apache.flink.api.connector.source.util.ratelimit.GuavaRateLimiter;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiter;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;

import java.util.Arrays;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The benchmarked job, the same for every setup: a generator source emits keys, a keyed function
 * keeps one {@code byte[]} value per key (heap or RocksDB state, as configured).
 *
 * <p>Each source subtask first emits its share of the keys once, as fast as it can (building the
 * state), then keeps cycling over them at a low rate, so that the job stays alive, every keyed
 * subtask keeps receiving records and checkpoints continue without burning the CPU. The keyed
 * function injects the failures ({@link BenchmarkSignals#failNow}), reports when each attempt
 * processes again, and checks every value it touches after a restore.
 */
final class BenchmarkJob {

    static final String SOURCE = "keys";
    static final String STATE_OPERATOR = "state";

    private BenchmarkJob() {}

    static void build(
            StreamExecutionEnvironment env,
            long numKeys,
            int parallelism,
            int valueBytes,
            double recordsPerSecondAfterBuild) {
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
                .process(new StateHolder(valueBytes))
                .uid(STATE_OPERATOR)
                .name(STATE_OPERATOR)
                .setParallelism(parallelism)
                .sinkTo(new DiscardingSink<>())
                .name("discard")
                .setParallelism(parallelism);
    }

    /** The value of a key: {@code valueBytes} pseudo-random (incompressible) bytes. */
    static byte[] valueFor(long key, int valueBytes) {
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
     * Maps the generator's sequence numbers to keys and paces the source (both roles in one object,
     * so that the rate limiter of a source subtask sees what its generator emitted). Split {@code
     * i} emits the keys {@code [i * keysPerSplit, (i + 1) * keysPerSplit)} in a cycle; the first
     * cycle is not paced.
     */
    static final class KeyGenerator
            implements GeneratorFunction<Long, Long>, RateLimiterStrategy<NumberSequenceSplit> {

        private static final long serialVersionUID = 1L;

        private final long keysPerSplit;
        private final long splitLength;
        private final double recordsPerSecondAfterBuild;

        private transient volatile boolean paced;

        KeyGenerator(long keysPerSplit, long splitLength, double recordsPerSecondAfterBuild) {
            this.keysPerSplit = keysPerSplit;
            this.splitLength = splitLength;
            this.recordsPerSecondAfterBuild = recordsPerSecondAfterBuild;
        }

        @Override
        public Long map(Long index) {
            long split = index / splitLength;
            long offset = index % splitLength;
            paced = offset + 1 >= keysPerSplit;
            return split * keysPerSplit + offset % keysPerSplit;
        }

        @Override
        public RateLimiter<NumberSequenceSplit> createRateLimiter(int parallelism) {
            RateLimiter<NumberSequenceSplit> slow =
                    new GuavaRateLimiter<>(recordsPerSecondAfterBuild);
            return new RateLimiter<>() {
                @Override
                public CompletionStage<Void> acquire(int permits) {
                    return paced ? slow.acquire(permits) : CompletableFuture.completedFuture(null);
                }
            };
        }
    }

    /** Keeps one value per key; injects the failures and checks the restored values. */
    static final class StateHolder extends KeyedProcessFunction<Long, Long, Long>
            implements CheckpointedFunction, CheckpointListener {

        private static final long serialVersionUID = 1L;

        private final int valueBytes;

        private transient ValueState<byte[]> values;
        private transient int subtask;
        private transient int attempt;
        private transient boolean processingReported;

        StateHolder(int valueBytes) {
            this.valueBytes = valueBytes;
        }

        @Override
        public void initializeState(FunctionInitializationContext context) {
            subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
            attempt = getRuntimeContext().getTaskInfo().getAttemptNumber();
            values =
                    context.getKeyedStateStore()
                            .getState(
                                    new ValueStateDescriptor<>(
                                            "value",
                                            PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
            OptionalLong restoredFrom = context.getRestoredCheckpointId();
            if (restoredFrom.isPresent()) {
                BenchmarkSignals.restored(attempt, subtask, restoredFrom.getAsLong());
            }
        }

        @Override
        public void processElement(Long key, Context ctx, Collector<Long> out) throws Exception {
            if (attempt > 0 && !processingReported) {
                processingReported = true;
                BenchmarkSignals.processingAgain(attempt, subtask);
            }
            byte[] expected = valueFor(key, valueBytes);
            byte[] current = values.value();
            if (current == null) {
                if (attempt == 0) {
                    BenchmarkSignals.keyCreated();
                } else {
                    BenchmarkSignals.keyLost();
                }
            } else if (attempt > 0) {
                BenchmarkSignals.valueChecked(Arrays.equals(current, expected));
            }
            // a steady trickle of updates, so that incremental checkpoints have something to do
            values.update(expected);
            if (BenchmarkSignals.failNow(attempt)) {
                throw new RuntimeException(
                        "Injected task failure (benchmark): the job restarts and restores its"
                                + " state");
            }
        }

        @Override
        public void snapshotState(FunctionSnapshotContext context) {
            if (attempt > 0 || BenchmarkSignals.stateBuilt()) {
                BenchmarkSignals.fullSnapshotTaken(attempt, context.getCheckpointId(), subtask);
            }
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            BenchmarkSignals.checkpointCompleted(attempt, checkpointId);
        }
    }
}
