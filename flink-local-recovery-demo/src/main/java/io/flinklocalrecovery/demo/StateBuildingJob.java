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
package io.flinklocalrecovery.demo;

import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;

import io.flinklocalrecovery.testutils.job.KeyedValueJob;
import io.flinklocalrecovery.testutils.job.ValueCheckingFunction;
import io.flinklocalrecovery.testutils.job.ValueChecks;

/**
 * The demo's stateful job: a generator source emits keys, a keyed function keeps one {@code byte[]}
 * value per key in heap state.
 *
 * <p>Each source subtask first emits its share of the keys once, as fast as it can (building the
 * state), then keeps cycling over them at a low rate, so that the job stays alive and checkpoints
 * continue without burning the CPU. After a restore, the keyed function checks the restored value
 * of every key against the value it wrote ({@link ValueCheckingFunction}).
 */
final class StateBuildingJob {

    static final String STATE_OPERATOR = "state-builder";

    private StateBuildingJob() {}

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
                new StateBuilder(valueBytes));
    }

    /** Keeps one value per key; builds the state, injects the failure, checks the restore. */
    static final class StateBuilder extends ValueCheckingFunction {

        private static final long serialVersionUID = 1L;

        StateBuilder(int valueBytes) {
            super(valueBytes);
        }

        @Override
        protected ValueChecks checks() {
            return DemoSignals.COUNTS;
        }

        @Override
        protected void restored(long checkpointId) {
            DemoSignals.restored(subtask, checkpointId);
        }

        @Override
        public void processElement(Long key, Context ctx, Collector<Long> out) throws Exception {
            updateValue(key);

            if (firstRecordAfterRestart()) {
                DemoSignals.processingAgain(subtask);
            }
            if (attempt == 0 && DemoSignals.failNow(subtask)) {
                throw new RuntimeException(
                        "Injected task failure (demo): the job restarts and restores its state");
            }
        }

        @Override
        public void snapshotState(FunctionSnapshotContext context) {
            if (attempt == 0 && DemoSignals.COUNTS.stateBuilt()) {
                DemoSignals.fullSnapshotTaken(context.getCheckpointId(), subtask);
            }
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            DemoSignals.checkpointCompleted(checkpointId);
        }
    }
}
