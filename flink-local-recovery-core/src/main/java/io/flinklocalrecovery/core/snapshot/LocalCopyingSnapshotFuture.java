package io.flinklocalrecovery.core.snapshot;

import org.apache.flink.runtime.state.SnapshotResult;
import org.apache.flink.runtime.state.StateObject;
import org.apache.flink.util.concurrent.FutureUtils;

import java.util.concurrent.FutureTask;
import java.util.concurrent.RunnableFuture;

/**
 * Runs the wrapped backend's snapshot and returns its primary result to Flink at once, without a
 * task-local part (the local copies are ours, not Flink's). Only after that are the local copies
 * committed; a failed or cancelled snapshot discards them.
 */
public final class LocalCopyingSnapshotFuture<T extends StateObject>
        extends FutureTask<SnapshotResult<T>> {

    private final RunnableFuture<SnapshotResult<T>> delegate;
    private final LocalSnapshotCollector collector;

    public LocalCopyingSnapshotFuture(
            RunnableFuture<SnapshotResult<T>> delegate, LocalSnapshotCollector collector) {
        super(() -> runAndStrip(delegate, collector));
        this.delegate = delegate;
        this.collector = collector;
    }

    private static <T extends StateObject> SnapshotResult<T> runAndStrip(
            RunnableFuture<SnapshotResult<T>> delegate, LocalSnapshotCollector collector)
            throws Exception {
        SnapshotResult<T> result = FutureUtils.runIfNotDoneAndGet(delegate);
        if (result == null || result.getJobManagerOwnedSnapshot() == null) {
            collector.discard();
            return result == null ? SnapshotResult.empty() : result;
        }
        collector.primaryCompleted();
        return result.getTaskLocalSnapshot() == null
                ? result
                : SnapshotResult.of(result.getJobManagerOwnedSnapshot());
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        delegate.cancel(mayInterruptIfRunning);
        return cancelled;
    }

    @Override
    protected void done() {
        if (isCancelled()) {
            collector.discard();
        }
    }

    @Override
    protected void setException(Throwable t) {
        collector.discard();
        super.setException(t);
    }
}
