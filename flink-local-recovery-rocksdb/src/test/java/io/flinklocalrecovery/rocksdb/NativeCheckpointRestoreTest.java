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

import org.apache.flink.core.fs.CloseableRegistry;
import org.apache.flink.runtime.state.IncrementalKeyedStateHandle.HandleAndLocalPath;
import org.apache.flink.runtime.state.IncrementalLocalKeyedStateHandle;
import org.apache.flink.runtime.state.IncrementalRemoteKeyedStateHandle;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.runtime.state.memory.ByteStreamStateHandle;

import io.flinklocalrecovery.core.metrics.FallbackReason;
import io.flinklocalrecovery.core.restore.LocalCopyFinder;
import io.flinklocalrecovery.core.restore.LocalHandleSubstitution;
import io.flinklocalrecovery.core.store.CopyOrigin;
import io.flinklocalrecovery.core.store.LocalFileEntry;
import io.flinklocalrecovery.core.store.LocalNativeCheckpoint;
import io.flinklocalrecovery.core.store.LocalSnapshotScope;
import io.flinklocalrecovery.core.store.PendingLocalCheckpoint;
import io.flinklocalrecovery.core.store.TaskLocalSnapshotStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/** Converting and verifying RocksDB's primary handles against local native directories. */
class NativeCheckpointRestoreTest {

    private static final LocalSnapshotScope SCOPE =
            new LocalSnapshotScope("job1", "op1", 0, LocalSnapshotScope.Kind.KEYED);
    private static final UUID BACKEND = UUID.randomUUID();
    private static final KeyGroupRange KEY_GROUPS = KeyGroupRange.of(0, 63);
    private static final long CHECKPOINT = 7;

    @TempDir Path tmp;

    private TaskLocalSnapshotStore store;
    private final Map<String, byte[]> files = new LinkedHashMap<>();
    private Path nativeDir;
    private IncrementalRemoteKeyedStateHandle primary;

    @BeforeEach
    void setUp() throws IOException {
        store = TaskLocalSnapshotStore.open(List.of(tmp.resolve("store")), 1);
        files.put("000010.sst", bytes("first sst file with some content", 40));
        files.put("000011.sst", bytes("second sst file", 60));
        files.put("MANIFEST-000005", bytes("manifest", 3));
        files.put("CURRENT", "MANIFEST-000005\n".getBytes(StandardCharsets.UTF_8));
        byte[] meta = bytes("metadata", 5);

        primary = primaryWithHandleNames("primary-", meta);

        PendingLocalCheckpoint pending = store.begin(SCOPE, CHECKPOINT);
        nativeDir = pending.getDirectory().resolve("db");
        Files.createDirectories(nativeDir);
        List<LocalFileEntry> entries = new ArrayList<>();
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            Files.write(nativeDir.resolve(file.getKey()), file.getValue());
            entries.add(
                    new LocalFileEntry(
                            "primary-" + file.getKey(),
                            file.getKey(),
                            file.getValue().length,
                            crc(file.getValue())));
        }
        Files.write(pending.getDirectory().resolve("meta-file"), meta);
        LocalNativeCheckpoint local =
                new LocalNativeCheckpoint(
                        BACKEND.toString(),
                        0,
                        63,
                        "db",
                        new LocalFileEntry("primary-meta", "meta-file", meta.length, crc(meta)),
                        entries,
                        true);
        assertThat(store.commit(pending, List.of(), List.of(local))).isTrue();
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    @Test
    void convertsToALocalHandleThatKeepsThePrimarySharedState() throws Exception {
        LocalHandleSubstitution<KeyedStateHandle> result = restore().of(List.of(primary));

        assertThat(result.substituted()).isOne();
        assertThat(result.fallbacks().asMap()).isEmpty();
        assertThat(result.remoteBytes()).isZero();
        assertThat(result.localBytes()).isPositive();
        IncrementalLocalKeyedStateHandle local =
                (IncrementalLocalKeyedStateHandle) result.handles().get(0);
        assertThat(local.getBackendIdentifier()).isEqualTo(BACKEND);
        assertThat(local.getCheckpointId()).isEqualTo(CHECKPOINT);
        assertThat(local.getKeyGroupRange()).isEqualTo(KEY_GROUPS);
        assertThat(local.getDirectoryStateHandle().getDirectory()).isEqualTo(nativeDir);
        // the very handles the JobManager registered: the next checkpoint references their ids
        assertThat(local.getSharedStateHandles()).isEqualTo(primary.getSharedState());
        assertThat(primary.getSharedState().get(0).getHandle())
                .isInstanceOf(ByteStreamStateHandle.class);
    }

    @Test
    void downloadsATruncatedFileAndLinksTheOthers() throws Exception {
        truncate(nativeDir.resolve("000011.sst"));

        LocalHandleSubstitution<KeyedStateHandle> result = restore().of(List.of(primary));

        assertThat(result.fallbacks().asMap())
                .containsEntry(FallbackReason.FILE_MISSING_OR_TRUNCATED, 1)
                .hasSize(1);
        assertThat(result.remoteBytes()).isEqualTo(files.get("000011.sst").length);
        IncrementalLocalKeyedStateHandle local =
                (IncrementalLocalKeyedStateHandle) result.handles().get(0);
        Path assembled = local.getDirectoryStateHandle().getDirectory();
        assertThat(assembled).isNotEqualTo(nativeDir);
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            assertThat(Files.readAllBytes(assembled.resolve(file.getKey())))
                    .as(file.getKey())
                    .isEqualTo(file.getValue());
        }
        assertThat(local.getSharedStateHandles()).isEqualTo(primary.getSharedState());

        result.cleanup();
        assertThat(assembled).doesNotExist();
        assertThat(nativeDir.resolve("000010.sst")).exists();
    }

    @Test
    void downloadsAFileThatFailsItsChecksum() throws Exception {
        flipOneBit(nativeDir.resolve("000010.sst"));

        LocalHandleSubstitution<KeyedStateHandle> result = restore().of(List.of(primary));

        assertThat(result.fallbacks().asMap()).containsEntry(FallbackReason.CHECKSUM_MISMATCH, 1);
        Path assembled =
                ((IncrementalLocalKeyedStateHandle) result.handles().get(0))
                        .getDirectoryStateHandle()
                        .getDirectory();
        assertThat(Files.readAllBytes(assembled.resolve("000010.sst")))
                .isEqualTo(files.get("000010.sst"));
        result.cleanup();
    }

    @Test
    void keepsThePrimaryForAnotherKeyGroupRangeCheckpointOrBackend() throws Exception {
        List<IncrementalRemoteKeyedStateHandle> others =
                List.of(
                        withIdentity(BACKEND, KeyGroupRange.of(0, 31), CHECKPOINT),
                        withIdentity(BACKEND, KEY_GROUPS, CHECKPOINT + 1),
                        withIdentity(UUID.randomUUID(), KEY_GROUPS, CHECKPOINT));
        for (IncrementalRemoteKeyedStateHandle other : others) {
            LocalHandleSubstitution<KeyedStateHandle> result = restore().of(List.of(other));
            assertThat(result.handles()).containsExactly(other);
            assertThat(result.substituted()).isZero();
            assertThat(result.fallbacks().asMap()).containsEntry(FallbackReason.NO_LOCAL_COPY, 1);
        }
    }

    @Test
    void neverUsesFilesOfAnotherHistoryWithTheSameBackendIdCheckpointIdNamesAndSizes()
            throws Exception {
        // a job started from another job's retained checkpoint inherits its backend id: its
        // checkpoint 7 has files of the same names and sizes, but they are other files
        IncrementalRemoteKeyedStateHandle otherHistory =
                primaryWithHandleNames(
                        "other-history-",
                        primary.getMetaDataStateHandle().asBytesIfInMemory().get());

        LocalHandleSubstitution<KeyedStateHandle> result = restore().of(List.of(otherHistory));

        assertThat(result.handles()).containsExactly(otherHistory);
        assertThat(result.substituted()).isZero();
        assertThat(result.localBytes()).isZero();
        assertThat(result.fallbacks().asMap()).containsOnlyKeys(FallbackReason.NO_LOCAL_COPY);
    }

    @Test
    void aRestoreThatMergesSeveralHandlesUsesTheLocalCopiesFromDirectoriesOfItsOwn()
            throws Exception {
        // Flink opens the directories of a merging restore (a rescaling) in place: the stored
        // one must not be it; the handle without a local copy is read from the checkpoint storage
        IncrementalRemoteKeyedStateHandle other =
                withIdentity(UUID.randomUUID(), KeyGroupRange.of(64, 127), CHECKPOINT);
        LocalHandleSubstitution<KeyedStateHandle> result =
                restore().of(Arrays.asList(primary, null, other));

        assertThat(result.handles()).hasSize(3);
        assertThat(result.handles().get(1)).isNull();
        assertThat(result.handles().get(2)).isSameAs(other);
        assertThat(result.substituted()).isOne();
        assertThat(result.fallbacks().asMap()).containsOnly(entry(FallbackReason.NO_LOCAL_COPY, 1));
        assertThat(result.remoteBytes()).isEqualTo(other.getStateSize());
        IncrementalLocalKeyedStateHandle local =
                (IncrementalLocalKeyedStateHandle) result.handles().get(0);
        Path assembled = local.getDirectoryStateHandle().getDirectory();
        assertThat(assembled).isNotEqualTo(nativeDir);
        assertThat(local.getSharedStateHandles()).isEqualTo(primary.getSharedState());
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            Path copy = assembled.resolve(file.getKey());
            assertThat(Files.readAllBytes(copy)).as(file.getKey()).isEqualTo(file.getValue());
            // immutable SST files are linked; MANIFEST and CURRENT, which RocksDB may rewrite,
            // are copies
            assertThat(Files.isSameFile(copy, nativeDir.resolve(file.getKey())))
                    .as("%s is a hard link to the stored file", file.getKey())
                    .isEqualTo(file.getKey().endsWith(".sst"));
        }

        // what RocksDB does in a directory it opens: new files, obsolete ones deleted
        Files.write(assembled.resolve("MANIFEST-000005"), bytes("rewritten", 2));
        Files.delete(assembled.resolve("000010.sst"));
        Files.write(assembled.resolve("OPTIONS-000012"), bytes("options", 2));
        result.cleanup();

        assertThat(assembled).doesNotExist();
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            assertThat(Files.readAllBytes(nativeDir.resolve(file.getKey())))
                    .as("stored %s after the restore", file.getKey())
                    .isEqualTo(file.getValue());
        }
        try (java.util.stream.Stream<Path> stored = Files.list(nativeDir)) {
            assertThat(stored.map(f -> f.getFileName().toString()))
                    .containsExactlyInAnyOrderElementsOf(files.keySet());
        }
    }

    @Test
    void skipsNullHandles() throws Exception {
        LocalHandleSubstitution<KeyedStateHandle> result =
                restore().of(Arrays.asList(null, primary));

        assertThat(result.handles()).hasSize(2).startsWith((KeyedStateHandle) null);
        assertThat(result.handles().get(1)).isInstanceOf(IncrementalLocalKeyedStateHandle.class);
        assertThat(result.substituted()).isOne();
    }

    @Test
    void keepsThePrimaryWhenTheWholeLocalCopyIsGone() throws Exception {
        for (String file : files.keySet()) {
            Files.delete(nativeDir.resolve(file));
        }
        LocalHandleSubstitution<KeyedStateHandle> result = restore().of(List.of(primary));

        assertThat(result.handles()).containsExactly(primary);
        assertThat(result.fallbacks().asMap())
                .containsEntry(FallbackReason.FILE_MISSING_OR_TRUNCATED, files.size());
    }

    @Test
    void usesAnSstFileThisProcessReadOnceWithoutReadingItAgain() throws Exception {
        // damage no attribute shows (a disk returning wrong bytes): only reading finds it
        Path sst = rememberedThenDamagedUnseen("000010.sst");

        LocalHandleSubstitution<KeyedStateHandle> first = restore().of(List.of(primary));
        // trusted once: RocksDB's block checksums would fail the task reading the damaged block
        assertThat(first.fallbacks().asMap()).isEmpty();
        assertThat(first.remoteBytes()).isZero();

        LocalHandleSubstitution<KeyedStateHandle> second = restore().of(List.of(primary));
        assertThat(second.fallbacks().asMap()).containsEntry(FallbackReason.CHECKSUM_MISMATCH, 1);
        Path assembled =
                ((IncrementalLocalKeyedStateHandle) second.handles().get(0))
                        .getDirectoryStateHandle()
                        .getDirectory();
        assertThat(Files.readAllBytes(assembled.resolve("000010.sst")))
                .isEqualTo(files.get("000010.sst"));
        second.cleanup();
    }

    @Test
    void readsAnSstFileThatWasWrittenSinceThisProcessReadIt() throws Exception {
        Path sst = nativeDir.resolve("000010.sst");
        byte[] content = files.get("000010.sst");
        store.checksumMemo().remember(sst, content.length, crc(content));
        FileTime remembered = Files.getLastModifiedTime(sst);
        flipOneBit(sst);
        // a write shows in the modification time (set explicitly: the clock may not have ticked)
        Files.setLastModifiedTime(sst, FileTime.fromMillis(remembered.toMillis() + 1_000));

        LocalHandleSubstitution<KeyedStateHandle> result = restore().of(List.of(primary));

        assertThat(result.fallbacks().asMap()).containsEntry(FallbackReason.CHECKSUM_MISMATCH, 1);
        result.cleanup();
    }

    @Test
    void anSstFileReadInFullIsTrustedForTheNextRestore() throws Exception {
        LocalHandleSubstitution<KeyedStateHandle> first = restore().of(List.of(primary));
        assertThat(first.fallbacks().asMap()).isEmpty();
        // both SST files were read and found intact: good for one restore each
        assertThat(store.checksumMemo().size()).isEqualTo(2);

        flipOneBitKeepingModificationTime(nativeDir.resolve("000011.sst"));
        assertThat(restore().of(List.of(primary)).fallbacks().asMap()).isEmpty();
        assertThat(store.checksumMemo().size()).isZero();
        assertThat(restore().of(List.of(primary)).fallbacks().asMap())
                .containsEntry(FallbackReason.CHECKSUM_MISMATCH, 1);
    }

    @Test
    void neverTrustsFilesOtherThanSstFilesWithoutReadingThem() throws Exception {
        Path manifest = rememberedThenDamagedUnseen("MANIFEST-000005");

        LocalHandleSubstitution<KeyedStateHandle> result = restore().of(List.of(primary));

        assertThat(result.fallbacks().asMap()).containsEntry(FallbackReason.CHECKSUM_MISMATCH, 1);
        result.cleanup();
    }

    @Test
    void readsEveryFileWhenUnchangedSstFilesAreNotTrusted() throws Exception {
        Path sst = rememberedThenDamagedUnseen("000010.sst");

        LocalHandleSubstitution<KeyedStateHandle> result =
                new NativeCheckpointRestore(
                                store,
                                new LocalCopyFinder(store, true),
                                true,
                                false,
                                new CloseableRegistry())
                        .of(List.of(primary));

        assertThat(result.fallbacks().asMap()).containsEntry(FallbackReason.CHECKSUM_MISMATCH, 1);
        result.cleanup();
    }

    @Test
    void aNativeCheckpointOfAnotherLiveTaskManagerIsBorrowedCountedAndGivenBackAfterTheRestore()
            throws Exception {
        try (TaskLocalSnapshotStore borrower =
                TaskLocalSnapshotStore.open(List.of(tmp.resolve("borrower")), 1)) {
            // the TaskManager shares the host directory of the store that wrote the copy
            borrower.collectAbandonedRoots();
            LocalHandleSubstitution<KeyedStateHandle> result =
                    new NativeCheckpointRestore(
                                    borrower,
                                    new LocalCopyFinder(borrower, true),
                                    true,
                                    true,
                                    new CloseableRegistry())
                            .of(List.of(primary));

            assertThat(result.substituted()).isOne();
            assertThat(result.remoteBytes()).isZero();
            assertThat(result.origins().borrowed()).isOne();
            assertThat(result.origins().adopted()).isZero();
            assertThat(result.origins().sources())
                    .containsExactly(
                            CopyOrigin.borrowedFrom(tmp.resolve("store").toString()).toString());
            Path restoredFrom =
                    ((IncrementalLocalKeyedStateHandle) result.handles().get(0))
                            .getDirectoryStateHandle()
                            .getDirectory();
            Path borrowedLinks = tmp.resolve("borrower").resolve("_borrowed");
            assertThat(restoredFrom).startsWith(borrowedLinks);
            assertThat(Files.readAllBytes(restoredFrom.resolve("000010.sst")))
                    .isEqualTo(files.get("000010.sst"));

            result.cleanup();
            borrower.awaitHousekeeping();
            assertThat(restoredFrom).doesNotExist();
            try (Stream<Path> left = Files.list(borrowedLinks)) {
                assertThat(left).isEmpty();
            }
            // the owner's copy is untouched
            assertThat(Files.readAllBytes(nativeDir.resolve("000010.sst")))
                    .isEqualTo(files.get("000010.sst"));
        }
    }

    @Test
    void anOwnNativeCheckpointCountsNoOtherOrigin() throws Exception {
        LocalHandleSubstitution<KeyedStateHandle> result = restore().of(List.of(primary));

        assertThat(result.substituted()).isOne();
        assertThat(result.origins().any()).isFalse();
        result.cleanup();
        assertThat(nativeDir.resolve("000010.sst")).exists();
    }

    // ------------------------------------------------------------------------

    private NativeCheckpointRestore restore() {
        return new NativeCheckpointRestore(
                store, new LocalCopyFinder(store, true), true, true, new CloseableRegistry());
    }

    /** The primary of the test's files, its handles named {@code <prefix><file name>}. */
    private IncrementalRemoteKeyedStateHandle primaryWithHandleNames(String prefix, byte[] meta) {
        List<HandleAndLocalPath> shared = new ArrayList<>();
        List<HandleAndLocalPath> privates = new ArrayList<>();
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            HandleAndLocalPath handle =
                    HandleAndLocalPath.of(
                            new ByteStreamStateHandle(prefix + file.getKey(), file.getValue()),
                            file.getKey());
            (file.getKey().endsWith(".sst") ? shared : privates).add(handle);
        }
        return new IncrementalRemoteKeyedStateHandle(
                BACKEND,
                KEY_GROUPS,
                CHECKPOINT,
                shared,
                privates,
                new ByteStreamStateHandle(prefix + "meta", meta),
                100);
    }

    private IncrementalRemoteKeyedStateHandle withIdentity(
            UUID backend, KeyGroupRange keyGroups, long checkpointId) {
        return new IncrementalRemoteKeyedStateHandle(
                backend,
                keyGroups,
                checkpointId,
                primary.getSharedState(),
                primary.getPrivateState(),
                primary.getMetaDataStateHandle(),
                100);
    }

    private static byte[] bytes(String text, int repeat) {
        return text.repeat(repeat).getBytes(StandardCharsets.UTF_8);
    }

    private static int crc(byte[] data) {
        CRC32C crc = new CRC32C();
        crc.update(data);
        return (int) crc.getValue();
    }

    private static void truncate(Path file) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(raf.length() - 1);
        }
    }

    /**
     * Remembers the checksum of a local file as if this process had read it, then damages the file
     * keeping its size and modification time.
     */
    private Path rememberedThenDamagedUnseen(String name) throws IOException {
        Path file = nativeDir.resolve(name);
        byte[] content = files.get(name);
        store.checksumMemo().remember(file, content.length, crc(content));
        flipOneBitKeepingModificationTime(file);
        return file;
    }

    private static void flipOneBitKeepingModificationTime(Path file) throws IOException {
        FileTime modified = Files.getLastModifiedTime(file);
        flipOneBit(file);
        Files.setLastModifiedTime(file, modified);
    }

    private static void flipOneBit(Path file) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            long at = raf.length() / 2;
            raf.seek(at);
            int b = raf.read();
            raf.seek(at);
            raf.write(b ^ 0x01);
        }
    }
}
