package io.flinklocalrecovery.e2e.job;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
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
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The job of the real-cluster demo: a generator source emits keys, a keyed function keeps one
 * {@code byte[]} value per key in heap state. Each source subtask first emits its share of the keys
 * once, as fast as it can (building the state), then keeps cycling over them at a low rate, so that
 * the job stays alive and checkpoints continue.
 *
 * <p>Its tasks run in other processes, so it reports through task metrics, read by the demo through
 * the REST API: {@value #KEYS_CREATED} while the state is built, and after a restore {@value
 * #VALUES_CHECKED}, {@value #VALUES_WRONG} (a restored value differs from the one written) and
 * {@value #KEYS_MISSING} (a key came back without its value).
 */
public final class DemoStateJob {

    public static final String SOURCE = "keys";
    public static final String STATE_OPERATOR = "state-builder";

    public static final String KEYS_CREATED = "demoKeysCreated";
    public static final String VALUES_CHECKED = "demoValuesChecked";
    public static final String VALUES_WRONG = "demoValuesWrong";
    public static final String KEYS_MISSING = "demoKeysMissing";

    private DemoStateJob() {}

    public static void build(
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
                .process(new StateBuilder(valueBytes))
                .uid(STATE_OPERATOR)
                .name(STATE_OPERATOR)
                .setParallelism(parallelism)
                .sinkTo(new DiscardingSink<>())
                .name("discard")
                .setParallelism(parallelism);
    }

    /** The value of a key: {@code valueBytes} pseudo-random bytes derived from the key. */
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
     * so the rate limiter of a source subtask sees what its generator emitted). Split {@code i}
     * emits the keys {@code [i * keysPerSplit, (i + 1) * keysPerSplit)} in a cycle; the first cycle
     * is not paced.
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

    /** Keeps one value per key; after a restore, checks the values it touches. */
    static final class StateBuilder extends KeyedProcessFunction<Long, Long, Long> {

        private static final long serialVersionUID = 1L;

        private final int valueBytes;

        private transient ValueState<byte[]> values;
        private transient boolean restored;
        private transient Counter keysCreated;
        private transient Counter valuesChecked;
        private transient Counter valuesWrong;
        private transient Counter keysMissing;

        StateBuilder(int valueBytes) {
            this.valueBytes = valueBytes;
        }

        @Override
        public void open(OpenContext openContext) {
            restored = getRuntimeContext().getTaskInfo().getAttemptNumber() > 0;
            values =
                    getRuntimeContext()
                            .getState(
                                    new ValueStateDescriptor<>(
                                            "value",
                                            PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
            keysCreated = getRuntimeContext().getMetricGroup().counter(KEYS_CREATED);
            valuesChecked = getRuntimeContext().getMetricGroup().counter(VALUES_CHECKED);
            valuesWrong = getRuntimeContext().getMetricGroup().counter(VALUES_WRONG);
            keysMissing = getRuntimeContext().getMetricGroup().counter(KEYS_MISSING);
        }

        @Override
        public void processElement(Long key, Context ctx, Collector<Long> out) throws Exception {
            byte[] expected = valueFor(key, valueBytes);
            byte[] current = values.value();
            if (current == null) {
                if (restored) {
                    keysMissing.inc();
                } else {
                    keysCreated.inc();
                }
                values.update(expected);
            } else if (restored) {
                valuesChecked.inc();
                if (!Arrays.equals(current, expected)) {
                    valuesWrong.inc();
                    values.update(expected);
                }
            }
        }
    }
}
