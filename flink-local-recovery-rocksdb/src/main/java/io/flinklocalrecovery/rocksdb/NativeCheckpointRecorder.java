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

import org.apache.flink.runtime.state.IncrementalKeyedStateHandle.HandleAndLocalPath;
import org.apache.flink.runtime.state.IncrementalRemoteKeyedStateHandle;
import org.apache.flink.runtime.state.StreamStateHandle;

import io.flinklocalrecovery.core.store.FileChecksums;
import io.flinklocalrecovery.core.store.LocalFileEntry;
import io.flinklocalrecovery.core.store.LocalNativeCheckpoint;
import io.flinklocalrecovery.core.store.LocalNativeCheckpointRef;
import io.flinklocalrecovery.core.store.LocalSnapshotScope;
import io.flinklocalrecovery.core.store.TaskLocalSnapshotStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Records RocksDB's native checkpoint, once it is in the store, against its primary handles: every
 * file with its size (which must match the primary's) and CRC32C (unless checksums are off). SST
 * files are immutable, so the checksum of an SST file already recorded for the previous local
 * checkpoint of the same backend is reused and only new SST files are read.
 */
final class NativeCheckpointRecorder {

    private static final Logger LOG = LoggerFactory.getLogger(NativeCheckpointRecorder.class);

    static final String SST_SUFFIX = ".sst";

    private final TaskLocalSnapshotStore store;
    private final LocalSnapshotScope scope;
    private final boolean checksums;
    private final boolean trustUnchangedSstFiles;

    /**
     * @param checksums whether CRC32Cs are computed and recorded
     * @param trustUnchangedSstFiles whether the checksums of SST files are remembered for restores
     *     ({@link io.flinklocalrecovery.core.store.ChecksumMemo})
     */
    NativeCheckpointRecorder(
            TaskLocalSnapshotStore store,
            LocalSnapshotScope scope,
            boolean checksums,
            boolean trustUnchangedSstFiles) {
        this.store = store;
        this.scope = scope;
        this.checksums = checksums;
        this.trustUnchangedSstFiles = checksums && trustUnchangedSstFiles;
    }

    /** The record of RocksDB's native checkpoint, now in the store, against its primary. */
    LocalNativeCheckpoint describe(
            Path nativeDir, Path metaFile, IncrementalRemoteKeyedStateHandle primary)
            throws IOException {
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
        return new LocalNativeCheckpoint(
                primary.getBackendIdentifier().toString(),
                primary.getKeyGroupRange().getStartKeyGroup(),
                primary.getKeyGroupRange().getEndKeyGroup(),
                nativeDir.getFileName().toString(),
                meta,
                files,
                checksums);
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

    /** The local result does not match the primary one. */
    static final class LocalMismatch extends IOException {
        private static final long serialVersionUID = 1L;

        LocalMismatch(String message) {
            super(message);
        }
    }
}
