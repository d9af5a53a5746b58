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
package io.flinklocalrecovery.core.backend;

import org.apache.flink.annotation.Internal;
import org.apache.flink.runtime.checkpoint.CheckpointOptions;
import org.apache.flink.runtime.state.CheckpointStreamFactory;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.runtime.state.SnapshotResult;
import org.apache.flink.runtime.state.StateObject;
import org.apache.flink.util.Preconditions;

import io.flinklocalrecovery.core.metrics.LocalRecoveryMetrics;
import io.flinklocalrecovery.core.metrics.LocalWriteFailure;
import io.flinklocalrecovery.core.snapshot.DuplicatingStreamFactory;
import io.flinklocalrecovery.core.snapshot.LocalCopyingSnapshotFuture;
import io.flinklocalrecovery.core.snapshot.LocalFailureLog;
import io.flinklocalrecovery.core.snapshot.LocalSnapshotCollector;
import io.flinklocalrecovery.core.snapshot.LocalSnapshotFinisher;
import io.flinklocalrecovery.core.store.LocalSnapshotScope;
import io.flinklocalrecovery.core.store.PendingLocalCheckpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.util.concurrent.RunnableFuture;

/**
 * The snapshot side shared by the keyed and operator wrappers: checkpoints get their streams
 * duplicated into a local checkpoint of the wrapper's scope, or, for backends that make their own
 * local copy ({@link BackendLocalCopies}), that copy taken into the local checkpoint; savepoints
 * keep no local copy.
 */
@Internal
final class LocalSnapshotting {

    private static final Logger LOG = LoggerFactory.getLogger(LocalSnapshotting.class);

    /** A backend's snapshot method. */
    @FunctionalInterface
    interface SnapshotCall<T extends StateObject> {
        RunnableFuture<SnapshotResult<T>> snapshot(CheckpointStreamFactory streamFactory)
                throws Exception;
    }

    private final LocalRecoveryRuntime runtime;
    private final LocalSnapshotScope scope;
    private final LocalRecoveryMetrics metrics;
    @Nullable private final BackendLocalCopies backendCopies;

    /**
     * {@code runtime} is {@link LocalRecoveryRuntime#UNAVAILABLE} when this TaskManager's local
     * directories are unusable.
     */
    LocalSnapshotting(
            LocalRecoveryRuntime runtime, LocalSnapshotScope scope, LocalRecoveryMetrics metrics) {
        this(runtime, scope, metrics, null);
    }

    /**
     * @param backendCopies when set, streams are not duplicated and the backend's own task-local
     *     result is the local copy
     */
    LocalSnapshotting(
            LocalRecoveryRuntime runtime,
            LocalSnapshotScope scope,
            LocalRecoveryMetrics metrics,
            @Nullable BackendLocalCopies backendCopies) {
        this.runtime = Preconditions.checkNotNull(runtime);
        this.scope = scope;
        this.metrics = metrics;
        this.backendCopies = backendCopies;
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
            if (backendCopies != null) {
                return new LocalCopyingSnapshotFuture<>(
                        call.snapshot(streamFactory),
                        finisher(backendCopies.discarding(checkpointId)));
            }
            return call.snapshot(streamFactory);
        }
        if (!runtime.isAvailable()) {
            // counted per checkpoint, so the degradation shows in the metrics, not only the log
            metrics.localWriteFailed(LocalWriteFailure.DIRECTORY_NOT_CREATABLE);
            return call.snapshot(streamFactory);
        }
        PendingLocalCheckpoint pending = begin(checkpointId);
        if (pending == null) {
            if (backendCopies != null) {
                // the backend makes its local result anyway: it is dropped
                return new LocalCopyingSnapshotFuture<>(
                        call.snapshot(streamFactory),
                        finisher(backendCopies.discarding(checkpointId)));
            }
            return call.snapshot(streamFactory);
        }
        if (backendCopies != null) {
            LocalSnapshotFinisher<T> finisher = finisher(backendCopies.forCheckpoint(pending));
            final RunnableFuture<SnapshotResult<T>> primary;
            try {
                primary = call.snapshot(streamFactory);
            } catch (Exception e) {
                finisher.discard(null);
                throw e;
            }
            return new LocalCopyingSnapshotFuture<>(primary, finisher);
        }
        LocalSnapshotCollector collector =
                new LocalSnapshotCollector(runtime.store(), runtime.writers(), metrics, pending);
        final RunnableFuture<SnapshotResult<T>> primary;
        try {
            primary = call.snapshot(new DuplicatingStreamFactory(streamFactory, collector));
        } catch (Exception e) {
            collector.discard();
            throw e;
        }
        return new LocalCopyingSnapshotFuture<>(primary, collector);
    }

    /**
     * Starts the local checkpoint; null, counted and logged, when the store cannot (it was closed
     * under a task that still snapshots): the checkpoint goes on without its local copy.
     */
    @Nullable
    private PendingLocalCheckpoint begin(long checkpointId) {
        try {
            return runtime.store().begin(scope, checkpointId);
        } catch (RuntimeException e) {
            metrics.localWriteFailed(LocalWriteFailure.WRITE_ERROR);
            LocalFailureLog.warnOnce(
                    LOG,
                    "begin@" + runtime.store().getRoots(),
                    "The local copy of checkpoint "
                            + checkpointId
                            + " of "
                            + scope
                            + " could not be started",
                    e);
            return null;
        }
    }

    /** Backend copies exist for keyed state only, whose snapshots are keyed state handles. */
    @SuppressWarnings("unchecked")
    private static <T extends StateObject> LocalSnapshotFinisher<T> finisher(
            LocalSnapshotFinisher<KeyedStateHandle> keyed) {
        return (LocalSnapshotFinisher<T>) (LocalSnapshotFinisher<?>) keyed;
    }

    void confirm(long checkpointId) {
        runtime.confirm(scope.getJobId(), checkpointId);
    }

    void abort(long checkpointId) {
        runtime.abort(scope.getJobId(), checkpointId);
    }
}
