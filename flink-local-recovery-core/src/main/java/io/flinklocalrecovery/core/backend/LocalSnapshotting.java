package io.flinklocalrecovery.core.backend;

import org.apache.flink.runtime.checkpoint.CheckpointOptions;
import org.apache.flink.runtime.state.CheckpointStreamFactory;
import org.apache.flink.runtime.state.SnapshotResult;
import org.apache.flink.runtime.state.StateObject;

import io.flinklocalrecovery.core.metrics.LocalRecoveryMetrics;
import io.flinklocalrecovery.core.snapshot.DuplicatingStreamFactory;
import io.flinklocalrecovery.core.snapshot.LocalCopyingSnapshotFuture;
import io.flinklocalrecovery.core.snapshot.LocalSnapshotCollector;
import io.flinklocalrecovery.core.snapshot.LocalWriteFailure;
import io.flinklocalrecovery.core.store.LocalSnapshotScope;

import javax.annotation.Nullable;

import java.util.concurrent.RunnableFuture;

/**
 * The snapshot side shared by the keyed and operator wrappers: checkpoints get their streams
 * duplicated into a local checkpoint of the wrapper's scope; savepoints pass through untouched.
 */
final class LocalSnapshotting {

    /** A backend's snapshot method. */
    @FunctionalInterface
    interface SnapshotCall<T extends StateObject> {
        RunnableFuture<SnapshotResult<T>> snapshot(CheckpointStreamFactory streamFactory)
                throws Exception;
    }

    @Nullable private final LocalRecoveryRuntime runtime;
    private final LocalSnapshotScope scope;
    private final LocalRecoveryMetrics metrics;

    /** {@code runtime} is null when this TaskManager's local directories are unusable. */
    LocalSnapshotting(
            @Nullable LocalRecoveryRuntime runtime,
            LocalSnapshotScope scope,
            LocalRecoveryMetrics metrics) {
        this.runtime = runtime;
        this.scope = scope;
        this.metrics = metrics;
    }

    LocalSnapshotScope scope() {
        return scope;
    }

    <T extends StateObject> RunnableFuture<SnapshotResult<T>> snapshot(
            long checkpointId,
            CheckpointStreamFactory streamFactory,
            CheckpointOptions checkpointOptions,
            SnapshotCall<T> call)
            throws Exception {
        if (checkpointOptions.getCheckpointType().isSavepoint()) {
            return call.snapshot(streamFactory);
        }
        if (runtime == null) {
            // counted per checkpoint, so the degradation shows in the metrics, not only the log
            metrics.localWriteFailed(LocalWriteFailure.DIRECTORY_NOT_CREATABLE);
            return call.snapshot(streamFactory);
        }
        LocalSnapshotCollector collector =
                new LocalSnapshotCollector(
                        runtime.store(),
                        runtime.writers(),
                        metrics,
                        runtime.store().begin(scope, checkpointId));
        final RunnableFuture<SnapshotResult<T>> primary;
        try {
            primary = call.snapshot(new DuplicatingStreamFactory(streamFactory, collector));
        } catch (Exception e) {
            collector.discard();
            throw e;
        }
        return new LocalCopyingSnapshotFuture<>(primary, collector);
    }

    void confirm(long checkpointId) {
        if (runtime != null) {
            runtime.store().confirm(scope.getJobId(), checkpointId);
        }
    }

    void abort(long checkpointId) {
        if (runtime != null) {
            runtime.store().abort(scope.getJobId(), checkpointId);
        }
    }
}
