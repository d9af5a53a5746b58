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
import org.apache.flink.runtime.state.StreamStateHandle;

import io.flinklocalrecovery.core.metrics.LocalRecoveryMetrics;
import io.flinklocalrecovery.core.metrics.LocalWriteFailure;
import io.flinklocalrecovery.core.store.LocalFileEntry;
import io.flinklocalrecovery.core.store.PendingLocalCheckpoint;
import io.flinklocalrecovery.core.store.TaskLocalSnapshotStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;
import javax.annotation.concurrent.GuardedBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;

/**
 * Gathers the local copies of one backend's snapshot for one checkpoint and commits them to the
 * store once the primary snapshot has completed and every local file is written. Runs after the
 * checkpoint has been acknowledged; nothing here can fail the checkpoint.
 */
@Internal
public final class LocalSnapshotCollector {

    private static final Logger LOG = LoggerFactory.getLogger(LocalSnapshotCollector.class);

    private final TaskLocalSnapshotStore store;
    private final LocalCopyWriters writers;
    private final LocalRecoveryMetrics metrics;
    private final PendingLocalCheckpoint pending;

    @GuardedBy("this")
    private final List<LocalCopySink> sinks = new ArrayList<>();

    @GuardedBy("this")
    private boolean ended;

    public LocalSnapshotCollector(
            TaskLocalSnapshotStore store,
            LocalCopyWriters writers,
            LocalRecoveryMetrics metrics,
            PendingLocalCheckpoint pending) {
        this.store = store;
        this.writers = writers;
        this.metrics = metrics;
        this.pending = pending;
    }

    PendingLocalCheckpoint getPending() {
        return pending;
    }

    /** A sink for a new primary stream, or null once the snapshot has ended. */
    synchronized LocalCopySink newSink() {
        if (ended) {
            return null;
        }
        LocalCopySink sink =
                new LocalCopySink(
                        store, pending, writers.chunkPool(), writers.executor(), writers.outputs());
        sinks.add(sink);
        return sink;
    }

    /** The primary snapshot completed: commit the local copies once they are all written. */
    public void primaryCompleted() {
        List<CompletableFuture<LocalCopy>> results = new ArrayList<>();
        synchronized (this) {
            ended = true;
            for (LocalCopySink sink : sinks) {
                if (sink.isActive()) {
                    // a stream the backend never closed is not part of the snapshot
                    sink.abandon(null, "The stream was not part of the snapshot", null);
                }
                results.add(sink.result());
            }
        }
        // never on the calling thread (the snapshot thread, on its way to acknowledge the
        // checkpoint, when every copy is already written): the commit writes and fsyncs
        CompletableFuture.allOf(results.toArray(new CompletableFuture<?>[0]))
                .whenComplete(
                        (ignored, error) -> {
                            try {
                                writers.executor().execute(() -> commit(results));
                            } catch (RejectedExecutionException closed) {
                                commit(results); // the writers are shut down: nothing waits
                            }
                        });
    }

    /**
     * This collector as the finisher of a snapshot future. A task-local result of the wrapped
     * backend itself is not expected (its own local copies are switched off) and is discarded.
     */
    <T extends org.apache.flink.runtime.state.StateObject> LocalSnapshotFinisher<T> asFinisher() {
        return new LocalSnapshotFinisher<T>() {
            @Override
            public void primaryCompleted(T jobManagerOwned, @Nullable T taskLocal) {
                discardQuietly(taskLocal);
                LocalSnapshotCollector.this.primaryCompleted();
            }

            @Override
            public void discard(@Nullable T taskLocal) {
                discardQuietly(taskLocal);
                LocalSnapshotCollector.this.discard();
            }
        };
    }

    private static void discardQuietly(
            @Nullable org.apache.flink.runtime.state.StateObject taskLocal) {
        if (taskLocal != null) {
            org.apache.flink.runtime.state.StateUtil.discardStateObjectQuietly(taskLocal);
        }
    }

    /** The primary snapshot failed or was cancelled: drop everything local. */
    public void discard() {
        List<CompletableFuture<LocalCopy>> results = new ArrayList<>();
        synchronized (this) {
            ended = true;
            for (LocalCopySink sink : sinks) {
                sink.abandon(null, "The snapshot failed or was cancelled", null);
                results.add(sink.result());
            }
        }
        store.discard(pending);
        // Bytes queued before the discard may still be on their way to disk and (re)create the
        // directory and files; delete it again once every sink has settled.
        CompletableFuture.allOf(results.toArray(new CompletableFuture<?>[0]))
                .handle(
                        (ignored, error) -> {
                            store.discard(pending);
                            return null;
                        });
    }

    private void commit(List<CompletableFuture<LocalCopy>> results) {
        List<LocalFileEntry> entries = new ArrayList<>();
        for (CompletableFuture<LocalCopy> result : results) {
            LocalCopy copy;
            try {
                copy = result.join();
            } catch (CompletionException e) {
                recordFailure(e.getCause());
                continue;
            }
            StreamStateHandle primary = copy.primary;
            if (primary.asBytesIfInMemory().isPresent()) {
                // the primary is in the checkpoint metadata itself: nothing to gain locally
                deleteQuietly(copy.fileName);
                continue;
            }
            if (primary.getStateSize() != copy.size) {
                recordFailure(
                        new LocalCopyException(
                                LocalWriteFailure.SIZE_MISMATCH,
                                String.format(
                                        "Local copy %s has %d bytes, the primary %s has %d",
                                        copy.fileName,
                                        copy.size,
                                        primary.getStreamStateHandleID(),
                                        primary.getStateSize()),
                                null));
                deleteQuietly(copy.fileName);
                continue;
            }
            entries.add(
                    new LocalFileEntry(
                            primary.getStreamStateHandleID().getKeyString(),
                            copy.fileName,
                            copy.size,
                            copy.crc32c));
        }
        try {
            if (store.commit(pending, entries)) {
                metrics.localCheckpointCompleted();
                LOG.debug("Committed local checkpoint {} with {} files.", pending, entries.size());
            }
        } catch (Throwable e) {
            // an Error included: it costs this local copy, never the TaskManager
            LocalWriteFailure reason =
                    LocalWriteFailure.of(
                            e, LocalWriteFailure.MANIFEST_WRITE_ERROR, pending.getDirectory());
            metrics.localWriteFailed(reason);
            LocalFailureLog.warnOnce(
                    LOG,
                    reason + "@" + pending.getDirectory().getParent(),
                    reason == LocalWriteFailure.OVER_BUDGET
                            ? "A local copy of checkpoint "
                                    + pending.getCheckpointId()
                                    + " was not kept"
                            : "Could not write the manifest of local checkpoint " + pending,
                    e);
        }
    }

    private void recordFailure(Throwable error) {
        LocalWriteFailure reason =
                error instanceof LocalCopyException
                        ? ((LocalCopyException) error).getReason()
                        : LocalWriteFailure.WRITE_ERROR;
        if (reason == null) {
            LOG.debug("Local copy of {} not kept: {}", pending, error.getMessage());
            return;
        }
        metrics.localWriteFailed(reason);
        LocalFailureLog.warnOnce(
                LOG,
                reason + "@" + store.getRoots(),
                "A local copy of checkpoint " + pending.getCheckpointId() + " was not kept",
                error);
    }

    private void deleteQuietly(String fileName) {
        try {
            java.nio.file.Files.deleteIfExists(pending.getDirectory().resolve(fileName));
        } catch (IOException e) {
            LOG.debug("Could not delete {}", fileName, e);
        }
    }
}
