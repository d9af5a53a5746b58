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
package io.flinklocalrecovery.benchmarks;

import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;

import io.flinklocalrecovery.testutils.job.KeyedValueJob;
import io.flinklocalrecovery.testutils.job.ValueCheckingFunction;
import io.flinklocalrecovery.testutils.job.ValueChecks;

/**
 * The benchmarked job, the same for every setup: a generator source emits keys, a keyed function
 * keeps one {@code byte[]} value per key (heap or RocksDB state, as configured).
 *
 * <p>Each source subtask first emits its share of the keys once, as fast as it can (building the
 * state), then keeps cycling over them at a low rate, so that the job stays alive, every keyed
 * subtask keeps receiving records and checkpoints continue without burning the CPU. The keyed
 * function injects the failures ({@link BenchmarkSignals#failNow}), reports when each attempt
 * processes again, and after each restore checks the restored value of every key.
 */
final class BenchmarkJob {

    static final String STATE_OPERATOR = "state";

    private BenchmarkJob() {}

    static void build(
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
                new StateHolder(valueBytes));
    }

    /** Keeps one value per key; injects the failures and checks the restored values. */
    static final class StateHolder extends ValueCheckingFunction {

        private static final long serialVersionUID = 1L;

        StateHolder(int valueBytes) {
            super(valueBytes);
        }

        @Override
        protected ValueChecks checks() {
            return BenchmarkSignals.COUNTS;
        }

        @Override
        protected void restored(long checkpointId) {
            BenchmarkSignals.restored(attempt, subtask, checkpointId);
        }

        @Override
        public void processElement(Long key, Context ctx, Collector<Long> out) throws Exception {
            if (firstRecordAfterRestart()) {
                BenchmarkSignals.processingAgain(attempt, subtask);
            }
            // a steady trickle of updates, so that incremental checkpoints have something to do
            updateValue(key);
            if (BenchmarkSignals.failNow(attempt)) {
                if (BenchmarkSignals.replacesTaskManager()) {
                    BenchmarkSignals.awaitTaskManagerLoss();
                }
                throw new RuntimeException(
                        "Injected task failure (benchmark): the job restarts and restores its"
                                + " state");
            }
        }

        @Override
        public void snapshotState(FunctionSnapshotContext context) {
            if (attempt > 0 || BenchmarkSignals.COUNTS.stateBuilt()) {
                BenchmarkSignals.fullSnapshotTaken(attempt, context.getCheckpointId(), subtask);
            }
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            BenchmarkSignals.checkpointCompleted(attempt, checkpointId);
        }
    }
}
