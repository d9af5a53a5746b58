package io.flinklocalrecovery.rocksdb;

import org.apache.flink.runtime.state.IncrementalKeyedStateHandle.HandleAndLocalPath;
import org.apache.flink.runtime.state.IncrementalLocalKeyedStateHandle;
import org.apache.flink.runtime.state.IncrementalRemoteKeyedStateHandle;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.runtime.state.StreamStateHandle;
import org.apache.flink.util.FileUtils;

import io.flinklocalrecovery.core.backend.BackendLocalCopies;
import io.flinklocalrecovery.core.metrics.LocalRecoveryMetrics;
import io.flinklocalrecovery.core.snapshot.LocalFailureLog;
import io.flinklocalrecovery.core.snapshot.LocalSnapshotFinisher;
import io.flinklocalrecovery.core.snapshot.LocalWriteFailure;
import io.flinklocalrecovery.core.store.BackgroundThreads;
import io.flinklocalrecovery.core.store.FileChecksums;
import io.flinklocalrecovery.core.store.LocalFileEntry;
import io.flinklocalrecovery.core.store.LocalNativeCheckpoint;
import io.flinklocalrecovery.core.store.LocalNativeCheckpointRef;
import io.flinklocalrecovery.core.store.LocalSnapshotScope;
import io.flinklocalrecovery.core.store.PendingLocalCheckpoint;
import io.flinklocalrecovery.core.store.TaskLocalSnapshotStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Takes RocksDB's native checkpoint directory (its task-local snapshot result) into the plugin's
 * store: after the primary snapshot completed, a background thread records the directory's files
 * against the primary handles (size, and CRC32C unless checksums are off) and commits the manifest.
 * SST files are immutable, so the checksum of an SST file already recorded for the previous local
 * checkpoint of the same backend is reused and only new SST files are read. Any local problem only
 * drops the local copy; a failed or cancelled snapshot deletes the directory.
 */
final class NativeCheckpointCopies implements BackendLocalCopies {

    private static final Logger LOG = LoggerFactory.getLogger(NativeCheckpointCopies.class);

    static final String SST_SUFFIX = ".sst";

    /** Commits (and checksums) native directories off the task's snapshot threads. */
    private static final ExecutorService COMMITTER =
            Executors.newSingleThreadExecutor(
                    BackgroundThreads.factory("flink-local-recovery-rocksdb-commit"));

    private final TaskLocalSnapshotStore store;
    private final LocalSnapshotScope scope;
    private final LocalRecoveryMetrics metrics;
    private final boolean checksums;
    private final boolean trustUnchangedSstFiles;

    /**
     * @param checksums whether CRC32Cs are computed and recorded
     * @param trustUnchangedSstFiles whether the checksums of SST files are remembered for restores
     *     ({@link io.flinklocalrecovery.core.store.ChecksumMemo})
     */
    NativeCheckpointCopies(
            TaskLocalSnapshotStore store,
            LocalSnapshotScope scope,
            LocalRecoveryMetrics metrics,
            boolean checksums,
            boolean trustUnchangedSstFiles) {
        this.store = store;
        this.scope = scope;
        this.metrics = metrics;
        this.checksums = checksums;
        this.trustUnchangedSstFiles = checksums && trustUnchangedSstFiles;
    }

    @Override
    public LocalSnapshotFinisher<KeyedStateHandle> forCheckpoint(PendingLocalCheckpoint pending) {
        return new LocalSnapshotFinisher<KeyedStateHandle>() {
            @Override
            public void primaryCompleted(
                    KeyedStateHandle jobManagerOwned, @Nullable KeyedStateHandle taskLocal) {
                COMMITTER.execute(() -> commit(pending, jobManagerOwned, taskLocal));
            }

            @Override
            public void discard(@Nullable KeyedStateHandle taskLocal) {
                deleteOutsideStore(taskLocal, pending.getDirectory());
                store.discard(pending);
            }
        };
    }

    @Override
    public LocalSnapshotFinisher<KeyedStateHandle> discarding(long checkpointId) {
        Path dir = store.checkpointDirectory(scope, checkpointId);
        return new LocalSnapshotFinisher<KeyedStateHandle>() {
            @Override
            public void primaryCompleted(
                    KeyedStateHandle jobManagerOwned, @Nullable KeyedStateHandle taskLocal) {
                discard(taskLocal);
            }

            @Override
            public void discard(@Nullable KeyedStateHandle taskLocal) {
                deleteOutsideStore(taskLocal, dir);
                FileUtils.deleteDirectoryQuietly(dir.toFile());
            }
        };
    }

    private void commit(
            PendingLocalCheckpoint pending,
            KeyedStateHandle jobManagerOwned,
            @Nullable KeyedStateHandle taskLocal) {
        try {
            if (!store.isWanted(pending)) {
                // pruned or aborted while it waited: nothing to checksum
                deleteOutsideStore(taskLocal, pending.getDirectory());
                store.discard(pending);
                return;
            }
            Optional<LocalNativeCheckpoint> nativeCheckpoint =
                    describe(pending, jobManagerOwned, taskLocal);
            if (!nativeCheckpoint.isPresent()) {
                deleteOutsideStore(taskLocal, pending.getDirectory());
                store.discard(pending);
                return;
            }
            if (store.commit(pending, Collections.emptyList(), List.of(nativeCheckpoint.get()))) {
                metrics.localCheckpointCompleted();
                LOG.debug("Committed local RocksDB checkpoint {}: {}", pending, nativeCheckpoint);
            }
        } catch (LocalMismatch e) {
            metrics.localWriteFailed(LocalWriteFailure.SIZE_MISMATCH);
            LocalFailureLog.warnOnce(
                    LOG,
                    LocalWriteFailure.SIZE_MISMATCH + "@" + store.getRoots(),
                    "The local RocksDB checkpoint " + pending + " does not match its primary",
                    e);
            store.discard(pending);
        } catch (Throwable t) {
            // anything, an OutOfMemoryError included: the local copy may cost itself, never the
            // TaskManager (this thread has no handler that ends the process)
            metrics.localWriteFailed(LocalWriteFailure.WRITE_ERROR);
            LocalFailureLog.warnOnce(
                    LOG,
                    LocalWriteFailure.WRITE_ERROR + "@" + store.getRoots(),
                    "The local RocksDB checkpoint " + pending + " was not kept",
                    t);
            try {
                store.discard(pending);
            } catch (Throwable discardFailure) {
                LOG.debug("Could not discard {}", pending, discardFailure);
            }
        }
    }

    /** The record of RocksDB's local result, or empty when there is nothing to keep. */
    private Optional<LocalNativeCheckpoint> describe(
            PendingLocalCheckpoint pending,
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
        IncrementalRemoteKeyedStateHandle primary =
                (IncrementalRemoteKeyedStateHandle) jobManagerOwned;
        Path checkpointDir = pending.getDirectory().toAbsolutePath().normalize();
        Path nativeDir =
                local.getDirectoryStateHandle().getDirectory().toAbsolutePath().normalize();
        Optional<org.apache.flink.core.fs.Path> metaPath =
                local.getMetaDataStateHandle().maybeGetPath();
        if (!checkpointDir.equals(nativeDir.getParent()) || !metaPath.isPresent()) {
            // a scratch directory (the store's could not be created), already counted
            return Optional.empty();
        }
        Path metaFile = Path.of(metaPath.get().toUri()).toAbsolutePath().normalize();
        if (!checkpointDir.equals(metaFile.getParent())) {
            return Optional.empty();
        }

        Map<String, StreamStateHandle> primaryFiles = new HashMap<>();
        for (HandleAndLocalPath file : primary.getSharedState()) {
            primaryFiles.put(file.getLocalPath(), file.getHandle());
        }
        for (HandleAndLocalPath file : primary.getPrivateState()) {
            primaryFiles.put(file.getLocalPath(), file.getHandle());
        }
        Map<String, LocalFileEntry> known =
                knownSstFiles(primary.getBackendIdentifier().toString());

        List<LocalFileEntry> files = new ArrayList<>();
        try (DirectoryStream<Path> listing = Files.newDirectoryStream(nativeDir)) {
            for (Path file : listing) {
                String name = file.getFileName().toString();
                StreamStateHandle primaryFile = primaryFiles.remove(name);
                long size = Files.size(file);
                if (primaryFile == null || primaryFile.getStateSize() != size) {
                    throw new LocalMismatch(
                            String.format(
                                    "Local file %s has %d bytes, its primary %s",
                                    file,
                                    size,
                                    primaryFile == null
                                            ? "does not exist"
                                            : "has " + primaryFile.getStateSize()));
                }
                files.add(
                        new LocalFileEntry(
                                primaryFile.getStreamStateHandleID().getKeyString(),
                                name,
                                size,
                                checksum(file, size, known.get(name))));
            }
        }
        if (!primaryFiles.isEmpty()) {
            throw new LocalMismatch(
                    "Files of the primary missing locally: " + primaryFiles.keySet());
        }
        long metaSize = Files.size(metaFile);
        StreamStateHandle primaryMeta = primary.getMetaDataStateHandle();
        if (metaSize != primaryMeta.getStateSize()) {
            throw new LocalMismatch(
                    String.format(
                            "Local metadata %s has %d bytes, its primary %d",
                            metaFile, metaSize, primaryMeta.getStateSize()));
        }
        LocalFileEntry meta =
                new LocalFileEntry(
                        primaryMeta.getStreamStateHandleID().getKeyString(),
                        metaFile.getFileName().toString(),
                        metaSize,
                        checksum(metaFile, metaSize, null));
        return Optional.of(
                new LocalNativeCheckpoint(
                        primary.getBackendIdentifier().toString(),
                        primary.getKeyGroupRange().getStartKeyGroup(),
                        primary.getKeyGroupRange().getEndKeyGroup(),
                        nativeDir.getFileName().toString(),
                        meta,
                        files,
                        checksums));
    }

    /** SST files recorded for the newest local checkpoint of this backend (immutable files). */
    private Map<String, LocalFileEntry> knownSstFiles(String backendId) {
        Map<String, LocalFileEntry> known = new HashMap<>();
        if (!checksums) {
            return known;
        }
        for (LocalNativeCheckpointRef ref : store.newestNative(scope)) {
            LocalNativeCheckpoint previous = ref.getNativeCheckpoint();
            if (previous.isChecksummed() && previous.getBackendId().equals(backendId)) {
                for (LocalFileEntry file : previous.getFiles()) {
                    if (file.getFileName().endsWith(SST_SUFFIX)) {
                        known.put(file.getFileName(), file);
                    }
                }
            }
        }
        return known;
    }

    private int checksum(Path file, long size, @Nullable LocalFileEntry known) throws IOException {
        if (!checksums) {
            return 0;
        }
        boolean sst = file.getFileName().toString().endsWith(SST_SUFFIX);
        if (known != null && known.getSize() == size) {
            if (trustUnchangedSstFiles
                    && sst
                    && !store.checksumMemo().contains(file, size, known.getCrc32c())) {
                // a restore used this file on the strength of a checksum read earlier: read it
                // again here, off the restore's path, so the next restore need not
                rereadForTheNextRestore(file, size, known.getCrc32c());
            }
            return known.getCrc32c();
        }
        int crc = FileChecksums.crc32c(file, size);
        if (trustUnchangedSstFiles && sst) {
            store.checksumMemo().remember(file, size, crc);
        }
        return crc;
    }

    /**
     * Reads an immutable SST file whose checksum is recorded and remembers it if it still matches.
     * A file that no longer matches keeps its recorded (correct) checksum in the manifest, so the
     * next restore reads it, finds the damage and takes the file from the primary.
     */
    private void rereadForTheNextRestore(Path file, long size, int recorded) throws IOException {
        int actual = FileChecksums.crc32c(file, size);
        if (actual == recorded) {
            store.checksumMemo().remember(file, size, actual);
        } else {
            LOG.warn(
                    "Local SST file {} no longer matches its checksum (CRC32C {} instead of {}); "
                            + "the next restore takes it from the checkpoint storage.",
                    file,
                    Integer.toHexString(actual),
                    Integer.toHexString(recorded));
        }
    }

    /** Deletes a native result that RocksDB wrote outside the store (a scratch directory). */
    private static void deleteOutsideStore(@Nullable KeyedStateHandle taskLocal, Path storeDir) {
        if (!(taskLocal instanceof IncrementalLocalKeyedStateHandle)) {
            return;
        }
        IncrementalLocalKeyedStateHandle local = (IncrementalLocalKeyedStateHandle) taskLocal;
        Path dir = local.getDirectoryStateHandle().getDirectory().toAbsolutePath().normalize();
        if (!dir.startsWith(storeDir.toAbsolutePath().normalize())) {
            FileUtils.deleteDirectoryQuietly(dir.getParent().toFile());
        }
    }

    /** The local result does not match the primary one. */
    private static final class LocalMismatch extends IOException {
        private static final long serialVersionUID = 1L;

        LocalMismatch(String message) {
            super(message);
        }
    }
}
