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

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;

/**
 * The job of the real-cluster demo: a generator source emits keys, a keyed function keeps one
 * {@code byte[]} value per key ({@link KeyedValueJob}), and after each restore checks the restored
 * value of every key ({@link ValueCheckingFunction}).
 *
 * <p>Its tasks run in other processes, so it reports through task metrics, read by the demo through
 * the REST API: {@value #KEYS_CREATED} while the state is built, and after a restore one check per
 * key, counted as {@value #KEYS_CORRECT}, {@value #VALUES_WRONG} (a restored value differs from the
 * one written) or {@value #KEYS_MISSING} (a key came back without its value). The checks of a
 * restore are complete when the three add up to the number of keys. {@value #ATTEMPT} is the
 * attempt number of the task that reports them: a reader of the JobManager's metric store can tell
 * the counts of the current attempt from those of the one before.
 *
 * <p>A task failure is injected through a marker file: the first subtask of the keyed function that
 * finds it deletes it and throws (each subtask looks for it at most every {@value
 * #FAILURE_MARKER_CHECK_MILLIS} ms, so the look costs nothing while the state is built).
 */
public final class DemoStateJob {

    public static final String STATE_OPERATOR = "state-builder";

    public static final String KEYS_CREATED = "demoKeysCreated";
    public static final String KEYS_CORRECT = "demoKeysCorrect";
    public static final String VALUES_WRONG = "demoValuesWrong";
    public static final String KEYS_MISSING = "demoKeysMissing";
    public static final String ATTEMPT = "demoAttempt";

    static final long FAILURE_MARKER_CHECK_MILLIS = 10;

    private DemoStateJob() {}

    /**
     * Adds the job to {@code env}; a subtask of the keyed function throws once for each time the
     * file {@code failureMarker} is created (visible to every TaskManager: same machine).
     */
    public static void build(
            StreamExecutionEnvironment env,
            long numKeys,
            int parallelism,
            int valueBytes,
            double recordsPerSecondAfterBuild,
            String failureMarker) {
        KeyedValueJob.build(
                env,
                numKeys,
                parallelism,
                recordsPerSecondAfterBuild,
                STATE_OPERATOR,
                new StateBuilder(valueBytes, failureMarker));
    }

    /** Keeps one value per key; after a restore, checks every restored value. */
    static final class StateBuilder extends ValueCheckingFunction {

        private static final long serialVersionUID = 1L;

        private final String failureMarker;

        private transient ValueChecks checks;
        private transient Path failureMarkerPath;
        private transient long nextMarkerCheckNanos;

        StateBuilder(int valueBytes, String failureMarker) {
            super(valueBytes);
            this.failureMarker = failureMarker;
        }

        @Override
        public void open(OpenContext openContext) {
            MetricGroup metrics = getRuntimeContext().getMetricGroup();
            checks = new MetricValueChecks(metrics);
            int thisAttempt = attempt;
            metrics.gauge(ATTEMPT, (Gauge<Integer>) () -> thisAttempt);
            failureMarkerPath = Paths.get(failureMarker);
            nextMarkerCheckNanos = System.nanoTime();
        }

        @Override
        protected ValueChecks checks() {
            return checks;
        }

        @Override
        public void processElement(Long key, Context ctx, Collector<Long> out) throws Exception {
            long now = System.nanoTime();
            if (now - nextMarkerCheckNanos >= 0) {
                nextMarkerCheckNanos =
                        now + TimeUnit.MILLISECONDS.toNanos(FAILURE_MARKER_CHECK_MILLIS);
                // only one subtask can delete it: exactly one failure per marker
                if (Files.deleteIfExists(failureMarkerPath)) {
                    throw new RuntimeException(
                            "Injected task failure (marker file " + failureMarker + ")");
                }
            }
            updateValue(key);
        }
    }

    /** Counts the checks of one task attempt in its metrics. */
    private static final class MetricValueChecks implements ValueChecks {

        private final Counter created;
        private final Counter[] found = new Counter[Found.values().length];

        MetricValueChecks(MetricGroup metrics) {
            created = metrics.counter(KEYS_CREATED);
            found[Found.CORRECT.ordinal()] = metrics.counter(KEYS_CORRECT);
            found[Found.WRONG.ordinal()] = metrics.counter(VALUES_WRONG);
            found[Found.MISSING.ordinal()] = metrics.counter(KEYS_MISSING);
        }

        @Override
        public void keyCreated() {
            created.inc();
        }

        @Override
        public void keyChecked(int attempt, Found what) {
            found[what.ordinal()].inc();
        }
    }
}
