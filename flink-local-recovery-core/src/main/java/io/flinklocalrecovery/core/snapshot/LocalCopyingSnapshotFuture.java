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
package io.flinklocalrecovery.core.snapshot;

import org.apache.flink.annotation.Internal;
import org.apache.flink.runtime.state.SnapshotResult;
import org.apache.flink.runtime.state.StateObject;
import org.apache.flink.util.concurrent.FutureUtils;

import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RunnableFuture;

/**
 * Runs the wrapped backend's snapshot and returns its primary result to Flink at once, without a
 * task-local part: the local copies are ours, not Flink's. The task-local part a backend made
 * itself (RocksDB's native checkpoint) is handed to the {@link LocalSnapshotFinisher}, which
 * commits it or the duplicated streams to the local store; a failed or cancelled snapshot discards
 * them.
 */
@Internal
public final class LocalCopyingSnapshotFuture<T extends StateObject>
        extends FutureTask<SnapshotResult<T>> {

    private final RunnableFuture<SnapshotResult<T>> delegate;
    private final LocalSnapshotFinisher<T> finisher;

    public LocalCopyingSnapshotFuture(
            RunnableFuture<SnapshotResult<T>> delegate, LocalSnapshotCollector collector) {
        this(delegate, collector.<T>asFinisher());
    }

    public LocalCopyingSnapshotFuture(
            RunnableFuture<SnapshotResult<T>> delegate, LocalSnapshotFinisher<T> finisher) {
        super(() -> runAndStrip(delegate, finisher));
        this.delegate = delegate;
        this.finisher = finisher;
    }

    private static <T extends StateObject> SnapshotResult<T> runAndStrip(
            RunnableFuture<SnapshotResult<T>> delegate, LocalSnapshotFinisher<T> finisher)
            throws Exception {
        final SnapshotResult<T> result;
        try {
            result = FutureUtils.runIfNotDoneAndGet(delegate);
        } catch (ExecutionException e) {
            // fail with the cause, as the wrapped future does, not with it wrapped once more
            Throwable cause = e.getCause();
            if (cause instanceof Exception) {
                throw (Exception) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw e;
        }
        if (result == null || result.getJobManagerOwnedSnapshot() == null) {
            finisher.discard(result == null ? null : result.getTaskLocalSnapshot());
            return SnapshotResult.empty();
        }
        finisher.primaryCompleted(
                result.getJobManagerOwnedSnapshot(), result.getTaskLocalSnapshot());
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
            finisher.discard(null);
        }
    }

    @Override
    protected void setException(Throwable t) {
        finisher.discard(null);
        if (t instanceof CancellationException && delegate.isCancelled()) {
            // the wrapped snapshot was cancelled (for one, by closing the backend): so is this one
            super.cancel(false);
            return;
        }
        super.setException(t);
    }
}
