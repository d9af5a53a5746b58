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
import org.apache.flink.core.fs.CloseableRegistry;
import org.apache.flink.runtime.state.DirectoryStateHandle;
import org.apache.flink.runtime.state.IncrementalKeyedStateHandle.HandleAndLocalPath;
import org.apache.flink.runtime.state.IncrementalLocalKeyedStateHandle;
import org.apache.flink.runtime.state.IncrementalRemoteKeyedStateHandle;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.runtime.state.StreamStateHandle;
import org.apache.flink.util.FileUtils;

import io.flinklocalrecovery.core.metrics.FallbackReason;
import io.flinklocalrecovery.core.restore.CopyOrigins;
import io.flinklocalrecovery.core.restore.FallbackCounts;
import io.flinklocalrecovery.core.restore.LocalCopyFinder;
import io.flinklocalrecovery.core.restore.LocalFileStreamStateHandle;
import io.flinklocalrecovery.core.restore.LocalFirstRestore;
import io.flinklocalrecovery.core.restore.LocalHandleSubstitution;
import io.flinklocalrecovery.core.store.ChecksumMemo;
import io.flinklocalrecovery.core.store.CopyOrigin;
import io.flinklocalrecovery.core.store.LocalFileEntry;
import io.flinklocalrecovery.core.store.LocalNativeCheckpoint;
import io.flinklocalrecovery.core.store.LocalNativeCheckpointRef;
import io.flinklocalrecovery.core.store.TaskLocalSnapshotStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The local alternative of RocksDB's keyed state handles. Each primary {@link
 * IncrementalRemoteKeyedStateHandle} with a local native directory of the same backend, checkpoint
 * and key-group range becomes an {@link IncrementalLocalKeyedStateHandle} that keeps the primary's
 * shared-state handles, so that the next checkpoint references only ids the JobManager knows. The
 * handles inside the primary are never replaced.
 *
 * <p>Every file the primary lists is verified locally (presence, size, and the CRC32C when one was
 * recorded and checksums are on). An SST file whose checksum this process computed by reading it
 * and which is unchanged since is used once without reading it again ({@link ChecksumMemo}); SST
 * files carry RocksDB's own block checksums, checked on every read. If all pass, RocksDB restores
 * straight from the stored directory. If some fail, a restore directory is assembled next to it:
 * hard links to the verified files and downloads from the primary for the others (a mixed restore).
 * If none pass, the primary handle is kept. Other handle types get the default substitution
 * (duplicated streams).
 *
 * <p>A restore that merges several RocksDB handles (a scale-in, or a scale-out whose new range
 * straddles old ones) uses every verified local copy and reads only the rest from the checkpoint
 * storage; Flink's own clipping and merging rules do the rest. Flink opens such handles'
 * directories in place, so each local copy is given as a directory assembled for this restore (SST
 * files hard-linked, the small rest copied) and deleted after it.
 */
@Internal
final class NativeCheckpointRestore
        implements LocalFirstRestore.LocalAlternative<KeyedStateHandle> {

    private static final Logger LOG = LoggerFactory.getLogger(NativeCheckpointRestore.class);

    @Nullable private final TaskLocalSnapshotStore store;
    private final LocalCopyFinder finder;
    private final boolean verifyChecksums;
    private final LocalNativeFileVerifier verifier;
    private final CloseableRegistry cancelRegistry;

    /**
     * @param trustUnchangedSstFiles whether an SST file checksummed by this process and unchanged
     *     since is used once without reading it
     */
    NativeCheckpointRestore(
            @Nullable TaskLocalSnapshotStore store,
            LocalCopyFinder finder,
            boolean verifyChecksums,
            boolean trustUnchangedSstFiles,
            CloseableRegistry cancelRegistry) {
        this.store = store;
        this.finder = finder;
        this.verifyChecksums = verifyChecksums;
        this.verifier =
                new LocalNativeFileVerifier(
                        store != null && verifyChecksums && trustUnchangedSstFiles
                                ? store.checksumMemo()
                                : null);
        this.cancelRegistry = cancelRegistry;
    }

    @Override
    public LocalHandleSubstitution<KeyedStateHandle> of(Collection<KeyedStateHandle> primaries)
            throws Exception {
        List<KeyedStateHandle> handles = new ArrayList<>(primaries.size());
        FallbackCounts fallbacks = new FallbackCounts();
        List<Path> assembled = new ArrayList<>();
        List<Runnable> releases = new ArrayList<>();
        CopyOrigins origins = new CopyOrigins();
        long localBytes = 0;
        long remoteBytes = 0;
        int substituted = 0;
        Runnable cleanup =
                () -> {
                    assembled.forEach(NativeCheckpointRestore::deleteQuietly);
                    releases.forEach(Runnable::run);
                };
        boolean merging = nativeHandles(primaries) > 1;
        try {
            for (KeyedStateHandle primary : primaries) {
                if (primary == null) {
                    // Flink's restore operations skip null handles; so does this
                    handles.add(null);
                } else if (primary.getClass() == IncrementalRemoteKeyedStateHandle.class) {
                    Conversion conversion =
                            convert(
                                    (IncrementalRemoteKeyedStateHandle) primary,
                                    fallbacks,
                                    merging);
                    handles.add(conversion.handle);
                    localBytes += conversion.localBytes;
                    remoteBytes += conversion.remoteBytes;
                    if (conversion.handle != primary) {
                        substituted++;
                        origins.add(conversion.origin);
                    }
                    if (conversion.assembledDirectory != null) {
                        assembled.add(conversion.assembledDirectory);
                    }
                    releases.add(conversion.release);
                } else {
                    LocalHandleSubstitution<KeyedStateHandle> single =
                            LocalHandleSubstitution.of(List.of(primary), finder);
                    handles.addAll(single.handles());
                    localBytes += single.localBytes();
                    remoteBytes += single.remoteBytes();
                    substituted += single.substituted();
                    fallbacks.addAll(single.fallbacks());
                    origins.addAll(single.origins());
                    releases.add(single::cleanup);
                }
            }
        } catch (Exception e) {
            cleanup.run();
            throw e;
        }
        return LocalHandleSubstitution.of(
                handles, localBytes, remoteBytes, substituted, fallbacks, cleanup, origins);
    }

    /**
     * How many RocksDB handles a restore merges. With more than one (a rescaling that merges
     * key-group ranges), Flink opens temporary RocksDB instances directly in the handles'
     * directories, which would rewrite a local copy (new MANIFEST, OPTIONS and log files): each
     * local copy is given as a directory assembled for the restore ({@link
     * AssembledRestoreDirectory}). A single handle is hard-linked into RocksDB's working directory
     * by Flink and never opened in place; its stored directory is given as it is.
     */
    private static int nativeHandles(Collection<KeyedStateHandle> primaries) {
        int count = 0;
        for (KeyedStateHandle primary : primaries) {
            if (primary != null && primary.getClass() == IncrementalRemoteKeyedStateHandle.class) {
                count++;
            }
        }
        return count;
    }

    /** The outcome for one primary handle. */
    static final class Conversion {
        final KeyedStateHandle handle;
        final long localBytes;
        final long remoteBytes;
        @Nullable final Path assembledDirectory;

        /** Whose copy the local handle reads (the store's own when the primary is kept). */
        final CopyOrigin origin;

        /** Runs when the restore ended: gives a borrowed copy's links back. */
        final Runnable release;

        Conversion(
                KeyedStateHandle handle,
                long localBytes,
                long remoteBytes,
                @Nullable Path assembledDirectory) {
            this(handle, localBytes, remoteBytes, assembledDirectory, CopyOrigin.OWN, () -> {});
        }

        Conversion(
                KeyedStateHandle handle,
                long localBytes,
                long remoteBytes,
                @Nullable Path assembledDirectory,
                CopyOrigin origin,
                Runnable release) {
            this.handle = handle;
            this.localBytes = localBytes;
            this.remoteBytes = remoteBytes;
            this.assembledDirectory = assembledDirectory;
            this.origin = origin;
            this.release = release;
        }
    }

    /**
     * @param merging whether the restore merges several RocksDB handles: Flink opens each one's
     *     directory in place then, so a local copy is always given as an assembled directory
     */
    Conversion convert(
            IncrementalRemoteKeyedStateHandle primary, FallbackCounts fallbacks, boolean merging)
            throws IOException {
        long primarySize = Math.max(0, primary.getStateSize());
        Optional<LocalNativeCheckpointRef> found =
                store == null
                        ? Optional.empty()
                        : store.lookupNative(
                                primary.getBackendIdentifier().toString(),
                                primary.getCheckpointId());
        if (!found.isPresent() || !sameKeyGroups(found.get().getNativeCheckpoint(), primary)) {
            LOG.debug(
                    "No local RocksDB checkpoint for backend {} checkpoint {} key groups {}.",
                    primary.getBackendIdentifier(),
                    primary.getCheckpointId(),
                    primary.getKeyGroupRange());
            fallbacks.add(FallbackReason.NO_LOCAL_COPY);
            return new Conversion(primary, 0, primarySize, null);
        }
        LocalNativeCheckpointRef ref = found.get();
        // a borrowed copy is links of ours to another TaskManager's files: given back at the end
        Runnable release =
                ref.getOrigin().getKind() == CopyOrigin.Kind.BORROWED
                        ? () -> store.releaseBorrowed(ref.getDirectory())
                        : () -> {};
        try {
            return convert(primary, ref, fallbacks, merging, release);
        } catch (IOException | RuntimeException e) {
            release.run();
            throw e;
        }
    }

    private Conversion convert(
            IncrementalRemoteKeyedStateHandle primary,
            LocalNativeCheckpointRef ref,
            FallbackCounts fallbacks,
            boolean merging,
            Runnable release)
            throws IOException {
        long primarySize = Math.max(0, primary.getStateSize());
        LocalNativeCheckpoint local = ref.getNativeCheckpoint();
        Map<String, LocalFileEntry> localFiles = new HashMap<>();
        for (LocalFileEntry entry : local.getFiles()) {
            localFiles.put(entry.getFileName(), entry);
        }
        boolean checkCrc = verifyChecksums && local.isChecksummed();

        List<HandleAndLocalPath> all = new ArrayList<>(primary.getSharedState());
        all.addAll(primary.getPrivateState());
        List<HandleAndLocalPath> verified = new ArrayList<>();
        List<HandleAndLocalPath> missing = new ArrayList<>();
        for (HandleAndLocalPath file : all) {
            FallbackReason reason =
                    verifier.verify(
                            ref.getDirectory().resolve(file.getLocalPath()),
                            localFiles.get(file.getLocalPath()),
                            file.getHandle(),
                            file.getStateSize(),
                            checkCrc);
            if (reason == null) {
                verified.add(file);
            } else {
                fallbacks.add(reason);
                missing.add(file);
            }
        }
        StreamStateHandle primaryMeta = primary.getMetaDataStateHandle();
        FallbackReason metaReason =
                verifier.verify(
                        ref.getMetaDataFile(),
                        local.getMetaData(),
                        primaryMeta,
                        primaryMeta.getStateSize(),
                        checkCrc);
        StreamStateHandle meta;
        long localBytes = 0;
        long remoteBytes = 0;
        if (metaReason == null) {
            meta =
                    new LocalFileStreamStateHandle(
                            ref.getMetaDataFile(), primaryMeta.getStateSize());
            localBytes += primaryMeta.getStateSize();
        } else {
            fallbacks.add(metaReason);
            meta = primaryMeta;
            remoteBytes += primaryMeta.getStateSize();
        }
        for (HandleAndLocalPath file : verified) {
            localBytes += file.getStateSize();
        }
        for (HandleAndLocalPath file : missing) {
            remoteBytes += file.getStateSize();
        }
        if (verified.isEmpty()) {
            LOG.warn(
                    "No file of the local RocksDB checkpoint {} passed verification; restoring "
                            + "checkpoint {} from the checkpoint storage.",
                    ref.getDirectory(),
                    primary.getCheckpointId());
            return new Conversion(primary, 0, primarySize, null, CopyOrigin.OWN, release);
        }

        Path directory;
        Path assembled = null;
        if (missing.isEmpty() && !merging) {
            directory = ref.getDirectory();
        } else {
            if (missing.isEmpty()) {
                LOG.debug(
                        "The local RocksDB checkpoint {} joins a restore that merges several "
                                + "handles: linked into a restore directory of its own.",
                        ref.getDirectory());
            } else {
                LOG.warn(
                        "{} of {} files of the local RocksDB checkpoint {} failed verification; they "
                                + "are downloaded from the checkpoint storage and the others used "
                                + "locally.",
                        missing.size(),
                        all.size(),
                        ref.getDirectory());
            }
            assembled = ref.newAssemblyDirectory();
            directory = assembled.resolve(ref.getNativeCheckpoint().getDirectoryName());
            try {
                AssembledRestoreDirectory.assemble(
                        ref.getDirectory(), directory, verified, missing, cancelRegistry);
            } catch (IOException | RuntimeException e) {
                deleteQuietly(assembled);
                throw e;
            }
        }
        IncrementalLocalKeyedStateHandle converted =
                new IncrementalLocalKeyedStateHandle(
                        primary.getBackendIdentifier(),
                        primary.getCheckpointId(),
                        new DirectoryStateHandle(directory, localBytes + remoteBytes),
                        primary.getKeyGroupRange(),
                        meta,
                        // the primary's handles: the incremental chain continues from them
                        primary.getSharedState());
        return new Conversion(
                converted, localBytes, remoteBytes, assembled, ref.getOrigin(), release);
    }

    private static boolean sameKeyGroups(
            LocalNativeCheckpoint local, IncrementalRemoteKeyedStateHandle primary) {
        KeyGroupRange range = primary.getKeyGroupRange();
        return local.getKeyGroupStart() == range.getStartKeyGroup()
                && local.getKeyGroupEnd() == range.getEndKeyGroup();
    }

    private static void deleteQuietly(Path dir) {
        FileUtils.deleteDirectoryQuietly(dir.toFile());
    }
}
