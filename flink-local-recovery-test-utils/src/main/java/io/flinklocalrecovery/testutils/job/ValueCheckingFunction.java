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

import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;

import java.util.Arrays;
import java.util.BitSet;
import java.util.OptionalLong;

/**
 * The keyed function of a {@link KeyedValueJob}: keeps one value per key and checks, after every
 * restore, the restored value of every key against the value computed from the key, independently
 * of Flink ({@link KeyedValueJob#valueFor}).
 *
 * <p>Each source subtask starts every attempt with one unpaced cycle over its keys (see {@link
 * KeyedValueJob}), so after a restore every key reaches this function once more, soon. The first
 * record of a key in an attempt after the first is that key's check, done before anything in this
 * attempt wrote the key: {@link ValueChecks#keyChecked} with what the restore brought back. The
 * checks of an attempt are complete when there are as many as the job has keys. Subclasses say
 * where the checks are counted ({@link #checks()}) and tell their harness about restores,
 * checkpoints and failures.
 */
public abstract class ValueCheckingFunction extends KeyedProcessFunction<Long, Long, Long>
        implements CheckpointedFunction, CheckpointListener {

    private static final long serialVersionUID = 1L;

    private final int valueBytes;

    private transient ValueState<byte[]> values;
    private transient boolean processingReported;

    /** The keys checked in this attempt (keys are {@code 0 .. numKeys - 1}). */
    private transient BitSet checkedKeys;

    /** This subtask's index and attempt number, set in {@link #initializeState}. */
    protected transient int subtask;

    protected transient int attempt;

    protected ValueCheckingFunction(int valueBytes) {
        this.valueBytes = valueBytes;
    }

    /** Where {@link #updateValue} counts what it finds; called on the task thread. */
    protected abstract ValueChecks checks();

    /** This subtask restored its state of checkpoint {@code checkpointId}. */
    protected void restored(long checkpointId) {}

    @Override
    public final void initializeState(FunctionInitializationContext context) {
        subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        attempt = getRuntimeContext().getTaskInfo().getAttemptNumber();
        values = context.getKeyedStateStore().getState(KeyedValueJob.valueStateDescriptor());
        checkedKeys = new BitSet();
        OptionalLong restoredFrom = context.getRestoredCheckpointId();
        if (restoredFrom.isPresent()) {
            restored(restoredFrom.getAsLong());
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {}

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {}

    /**
     * Checks the key's value if this is its first record since the restore, then (re)writes the
     * value it must have (a correct restored value is left as it is: the check writes nothing).
     */
    protected final void updateValue(long key) throws Exception {
        byte[] expected = KeyedValueJob.valueFor(key, valueBytes);
        byte[] current = values.value();
        if (attempt > 0 && !checkedKeys.get(Math.toIntExact(key))) {
            checkedKeys.set(Math.toIntExact(key));
            if (current == null) {
                checks().keyChecked(attempt, ValueChecks.Found.MISSING);
            } else if (Arrays.equals(current, expected)) {
                checks().keyChecked(attempt, ValueChecks.Found.CORRECT);
                return;
            } else {
                checks().keyChecked(attempt, ValueChecks.Found.WRONG);
            }
        } else if (current == null && attempt == 0) {
            checks().keyCreated();
        }
        values.update(expected);
    }

    /** True for the first record this subtask processes in an attempt after the first one. */
    protected final boolean firstRecordAfterRestart() {
        if (attempt > 0 && !processingReported) {
            processingReported = true;
            return true;
        }
        return false;
    }
}
