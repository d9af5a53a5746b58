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
package io.flinklocalrecovery.rocksdb;

import org.apache.flink.annotation.Internal;
import org.apache.flink.runtime.state.IncrementalLocalKeyedStateHandle;
import org.apache.flink.runtime.state.IncrementalRemoteKeyedStateHandle;
import org.apache.flink.runtime.state.KeyedStateHandle;

import io.flinklocalrecovery.core.backend.BackendLocalCopies;
import io.flinklocalrecovery.core.flinkline.FlinkLineStreamHandles;
import io.flinklocalrecovery.core.metrics.LocalRecoveryMetrics;
import io.flinklocalrecovery.core.metrics.LocalWriteFailure;
import io.flinklocalrecovery.core.snapshot.LocalFailureLog;
import io.flinklocalrecovery.core.snapshot.LocalSnapshotFinisher;
import io.flinklocalrecovery.core.store.LocalNativeCheckpoint;
import io.flinklocalrecovery.core.store.LocalSnapshotScope;
import io.flinklocalrecovery.core.store.PendingLocalCheckpoint;
import io.flinklocalrecovery.core.store.TaskLocalSnapshotStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Takes RocksDB's native checkpoint (its task-local snapshot result, staged in RocksDB's own
 * working directory by {@link StagingDirectoryProvider}) into the plugin's store: after the primary
 * snapshot completed, the TaskManager's commit thread ({@link NativeCommitQueue}) moves the staged
 * directory into the store ({@link NativeCheckpointTransfer}: a rename on the same file system, a
 * copy on another one), records its files against the primary handles (size, and CRC32C unless
 * checksums are off) and commits the manifest. SST files are immutable, so the checksum of an SST
 * file already recorded for the previous local checkpoint of the same backend is reused and only
 * new SST files are read. Any local problem (a full or failing disk included) only drops the local
 * copy and is counted by reason; a failed or cancelled snapshot deletes the staged directory.
 */
@Internal
final class NativeCheckpointCopies implements BackendLocalCopies {

    private static final Logger LOG = LoggerFactory.getLogger(NativeCheckpointCopies.class);

    private final TaskLocalSnapshotStore store;
    private final LocalSnapshotScope scope;
    private final LocalRecoveryMetrics metrics;
    private final NativeCheckpointRecorder recorder;
    private final StagingDirectoryProvider staging;
    private final NativeCommitQueue queue;

    /**
     * @param checksums whether CRC32Cs are computed and recorded
     * @param trustUnchangedSstFiles whether the checksums of SST files are remembered for restores
     *     ({@link io.flinklocalrecovery.core.store.ChecksumMemo})
     * @param staging where RocksDB stages its native checkpoints for this scope
     */
    NativeCheckpointCopies(
            TaskLocalSnapshotStore store,
            LocalSnapshotScope scope,
            LocalRecoveryMetrics metrics,
            boolean checksums,
            boolean trustUnchangedSstFiles,
            StagingDirectoryProvider staging,
            NativeCommitQueue queue) {
        this.store = store;
        this.scope = scope;
        this.metrics = metrics;
        this.recorder =
                new NativeCheckpointRecorder(store, scope, checksums, trustUnchangedSstFiles);
        this.staging = staging;
        this.queue = queue;
    }

    @Override
    public LocalSnapshotFinisher<KeyedStateHandle> forCheckpoint(PendingLocalCheckpoint pending) {
        Path stagingDir = staging.stage(pending.getCheckpointId());
        return new LocalSnapshotFinisher<KeyedStateHandle>() {
            @Override
            public void primaryCompleted(
                    KeyedStateHandle jobManagerOwned, @Nullable KeyedStateHandle taskLocal) {
                queue.submit(new StagedCommit(pending, stagingDir, jobManagerOwned, taskLocal));
            }

            @Override
            public void discard(@Nullable KeyedStateHandle taskLocal) {
                store.discard(pending);
                queue.dropStaged(() -> staging.delete(pending.getCheckpointId(), stagingDir));
            }
        };
    }

    @Override
    public LocalSnapshotFinisher<KeyedStateHandle> discarding(long checkpointId) {
        Path stagingDir = staging.stage(checkpointId);
        return new LocalSnapshotFinisher<KeyedStateHandle>() {
            @Override
            public void primaryCompleted(
                    KeyedStateHandle jobManagerOwned, @Nullable KeyedStateHandle taskLocal) {
                discard(taskLocal);
            }

            @Override
            public void discard(@Nullable KeyedStateHandle taskLocal) {
                queue.dropStaged(() -> staging.delete(checkpointId, stagingDir));
            }
        };
    }

    /** One staged native checkpoint on its way into the store. */
    private final class StagedCommit implements NativeCommitQueue.Commit {
        private final PendingLocalCheckpoint pending;
        private final Path stagingDir;
        private final KeyedStateHandle jobManagerOwned;
        @Nullable private final KeyedStateHandle taskLocal;

        StagedCommit(
                PendingLocalCheckpoint pending,
                Path stagingDir,
                KeyedStateHandle jobManagerOwned,
                @Nullable KeyedStateHandle taskLocal) {
            this.pending = pending;
            this.stagingDir = stagingDir;
            this.jobManagerOwned = jobManagerOwned;
            this.taskLocal = taskLocal;
        }

        @Override
        public LocalSnapshotScope scope() {
            return scope;
        }

        @Override
        public long checkpointId() {
            return pending.getCheckpointId();
        }

        @Override
        public void run() {
            try {
                commit(pending, stagingDir, jobManagerOwned, taskLocal);
            } finally {
                staging.delete(pending.getCheckpointId(), stagingDir);
            }
        }

        @Override
        public void drop() {
            try {
                if (store.isWanted(pending)) {
                    metrics.localWriteFailed(LocalWriteFailure.COMMIT_BACKLOG);
                    LocalFailureLog.warnOnce(
                            LOG,
                            LocalWriteFailure.COMMIT_BACKLOG + "@" + store.getRoots(),
                            "The local RocksDB checkpoint "
                                    + pending
                                    + " was dropped: it still waited to be taken into the "
                                    + "local directory when a newer one arrived (the local disk "
                                    + "is slower than the checkpoints)",
                            null);
                }
                store.discard(pending);
            } finally {
                staging.delete(pending.getCheckpointId(), stagingDir);
            }
        }
    }

    private void commit(
            PendingLocalCheckpoint pending,
            Path stagingDir,
            KeyedStateHandle jobManagerOwned,
            @Nullable KeyedStateHandle taskLocal) {
        try {
            if (!store.isWanted(pending)) {
                // pruned or aborted while it waited: nothing to move or checksum
                store.discard(pending);
                return;
            }
            Optional<LocalNativeCheckpoint> nativeCheckpoint =
                    takeIntoStore(pending, stagingDir, jobManagerOwned, taskLocal);
            if (!nativeCheckpoint.isPresent()) {
                store.discard(pending);
                return;
            }
            if (store.commit(pending, Collections.emptyList(), List.of(nativeCheckpoint.get()))) {
                metrics.localCheckpointCompleted();
                LOG.debug("Committed local RocksDB checkpoint {}: {}", pending, nativeCheckpoint);
            }
        } catch (NativeCheckpointRecorder.LocalMismatch e) {
            failed(pending, LocalWriteFailure.SIZE_MISMATCH, "does not match its primary", e);
        } catch (LocalDirectoryNotCreatable e) {
            failed(
                    pending,
                    LocalWriteFailure.of(
                            e, LocalWriteFailure.DIRECTORY_NOT_CREATABLE, pending.getDirectory()),
                    "was not kept: its local directory could not be created",
                    e.getCause());
        } catch (Throwable t) {
            // anything, an OutOfMemoryError included: the local copy may cost itself, never the
            // TaskManager (this thread has no handler that ends the process)
            failed(
                    pending,
                    LocalWriteFailure.of(t, LocalWriteFailure.WRITE_ERROR, pending.getDirectory()),
                    "was not kept",
                    t);
        }
    }

    private void failed(
            PendingLocalCheckpoint pending,
            LocalWriteFailure reason,
            String what,
            @Nullable Throwable cause) {
        metrics.localWriteFailed(reason);
        LocalFailureLog.warnOnce(
                LOG,
                reason + "@" + store.getRoots(),
                "The local RocksDB checkpoint " + pending + " " + what,
                cause);
        try {
            store.discard(pending);
        } catch (Throwable discardFailure) {
            LOG.debug("Could not discard {}", pending, discardFailure);
        }
    }

    /**
     * Moves RocksDB's staged result into the store's directory of the pending checkpoint and
     * describes it there; empty when there is nothing to keep.
     */
    private Optional<LocalNativeCheckpoint> takeIntoStore(
            PendingLocalCheckpoint pending,
            Path stagingDir,
            KeyedStateHandle jobManagerOwned,
            @Nullable KeyedStateHandle taskLocal)
            throws IOException {
        if (!(taskLocal instanceof IncrementalLocalKeyedStateHandle)
                || !(jobManagerOwned instanceof IncrementalRemoteKeyedStateHandle)) {
            LOG.debug(
                    "No native local result to keep for {} ({}).",
                    pending,
                    taskLocal == null ? "none" : taskLocal.getClass().getSimpleName());
            return Optional.empty();
        }
        IncrementalLocalKeyedStateHandle local = (IncrementalLocalKeyedStateHandle) taskLocal;
        Path stagedNativeDir =
                local.getDirectoryStateHandle().getDirectory().toAbsolutePath().normalize();
        Optional<org.apache.flink.core.fs.Path> metaPath =
                FlinkLineStreamHandles.filePath(local.getMetaDataStateHandle());
        if (!metaPath.isPresent()) {
            LOG.debug("The metadata of {} is not a local file; no local copy.", pending);
            return Optional.empty();
        }
        Path stagedMeta = Path.of(metaPath.get().toUri()).toAbsolutePath().normalize();
        Path expected = stagingDir.toAbsolutePath().normalize();
        if (!expected.equals(stagedNativeDir.getParent())
                || !expected.equals(stagedMeta.getParent())) {
            LOG.debug(
                    "RocksDB's local result of {} is not where it was staged ({}); no local copy.",
                    pending,
                    stagedNativeDir);
            return Optional.empty();
        }
        if (!Files.isDirectory(stagedNativeDir)) {
            // a later attempt of this subtask removed what an earlier one left: nothing to keep
            LOG.debug("The staged result of {} is gone; no local copy.", pending);
            return Optional.empty();
        }
        Path checkpointDir = pending.getDirectory();
        try {
            TaskLocalSnapshotStore.createOwnerOnlyDirectories(checkpointDir);
        } catch (IOException | RuntimeException e) {
            throw new LocalDirectoryNotCreatable(checkpointDir, e);
        }
        Path nativeDir = checkpointDir.resolve(stagedNativeDir.getFileName().toString());
        Path metaFile = checkpointDir.resolve(stagedMeta.getFileName().toString());
        NativeCheckpointTransfer.Kind kind =
                NativeCheckpointTransfer.transfer(stagedNativeDir, nativeDir);
        NativeCheckpointTransfer.transfer(stagedMeta, metaFile);
        LOG.debug("Local RocksDB checkpoint {} {} into {}.", pending, kind, checkpointDir);
        return Optional.of(
                recorder.describe(
                        nativeDir, metaFile, (IncrementalRemoteKeyedStateHandle) jobManagerOwned));
    }

    /** The store's directory of a local checkpoint could not be created. */
    private static final class LocalDirectoryNotCreatable extends IOException {
        private static final long serialVersionUID = 1L;

        LocalDirectoryNotCreatable(Path directory, Throwable cause) {
            super("Could not create the local checkpoint directory " + directory, cause);
        }
    }
}
