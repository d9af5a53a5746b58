package io.flinklocalrecovery.e2e.job;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.util.Arrays;

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
        KeyedValueJob.build(
                env,
                numKeys,
                parallelism,
                recordsPerSecondAfterBuild,
                STATE_OPERATOR,
                new StateBuilder(valueBytes));
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
            values = getRuntimeContext().getState(KeyedValueJob.valueStateDescriptor());
            keysCreated = getRuntimeContext().getMetricGroup().counter(KEYS_CREATED);
            valuesChecked = getRuntimeContext().getMetricGroup().counter(VALUES_CHECKED);
            valuesWrong = getRuntimeContext().getMetricGroup().counter(VALUES_WRONG);
            keysMissing = getRuntimeContext().getMetricGroup().counter(KEYS_MISSING);
        }

        @Override
        public void processElement(Long key, Context ctx, Collector<Long> out) throws Exception {
            byte[] expected = KeyedValueJob.valueFor(key, valueBytes);
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
