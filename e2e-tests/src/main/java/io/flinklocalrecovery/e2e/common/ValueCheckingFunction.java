package io.flinklocalrecovery.e2e.common;

import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;

import io.flinklocalrecovery.e2e.job.KeyedValueJob;

import java.util.OptionalLong;

/**
 * The keyed function of a {@link KeyedValueJob} run in a MiniCluster: keeps one value per key and
 * counts what it finds in {@link #counts()} ({@link #updateValue}). Subclasses tell their harness
 * about restores, checkpoints and failures.
 */
public abstract class ValueCheckingFunction extends KeyedProcessFunction<Long, Long, Long>
        implements CheckpointedFunction, CheckpointListener {

    private static final long serialVersionUID = 1L;

    private final int valueBytes;

    private transient ValueState<byte[]> values;
    private transient boolean processingReported;

    /** This subtask's index and attempt number, set in {@link #initializeState}. */
    protected transient int subtask;

    protected transient int attempt;

    protected ValueCheckingFunction(int valueBytes) {
        this.valueBytes = valueBytes;
    }

    /** Where {@link #updateValue} counts what it finds. */
    protected abstract KeyedValueCounts counts();

    /** This subtask restored its state of checkpoint {@code checkpointId}. */
    protected abstract void restored(long checkpointId);

    @Override
    public final void initializeState(FunctionInitializationContext context) {
        subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        attempt = getRuntimeContext().getTaskInfo().getAttemptNumber();
        values = context.getKeyedStateStore().getState(KeyedValueJob.valueStateDescriptor());
        OptionalLong restoredFrom = context.getRestoredCheckpointId();
        if (restoredFrom.isPresent()) {
            restored(restoredFrom.getAsLong());
        }
    }

    /** Counts what the key's value is, then (re)writes the value it must have. */
    protected final void updateValue(long key) throws Exception {
        byte[] expected = KeyedValueJob.valueFor(key, valueBytes);
        counts().found(attempt, values.value(), expected);
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
