package io.flinklocalrecovery.rocksdb;

import org.apache.flink.runtime.state.DirectoryStateHandle;
import org.apache.flink.runtime.state.IncrementalKeyedStateHandle.HandleAndLocalPath;
import org.apache.flink.runtime.state.IncrementalLocalKeyedStateHandle;
import org.apache.flink.runtime.state.IncrementalRemoteKeyedStateHandle;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.StreamStateHandle;
import org.apache.flink.runtime.state.filesystem.FileStateHandle;
import org.apache.flink.runtime.state.memory.ByteStreamStateHandle;

import io.flinklocalrecovery.core.metrics.LocalRecoveryMetrics;
import io.flinklocalrecovery.core.snapshot.LocalWriteFailure;
import io.flinklocalrecovery.core.store.LocalFileEntry;
import io.flinklocalrecovery.core.store.LocalNativeCheckpointRef;
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
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.zip.CRC32C;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Committing RocksDB's native checkpoints to the store: checksums recorded, and remembered for the
 * next restore, also again after a restore used them.
 */
class NativeCheckpointCopiesTest {

    private static final LocalSnapshotScope SCOPE =
            new LocalSnapshotScope("job1", "op1", 0, LocalSnapshotScope.Kind.KEYED);
    private static final UUID BACKEND = UUID.randomUUID();
    private static final byte[] SST_A = "sst file a".repeat(100).getBytes(StandardCharsets.UTF_8);
    private static final byte[] SST_B = "sst file b".repeat(70).getBytes(StandardCharsets.UTF_8);

    @TempDir Path tmp;

    private TaskLocalSnapshotStore store;
    private NativeCheckpointCopies copies;
    private LocalRecoveryMetrics metrics;
    private Path liveDb;

    @BeforeEach
    void setUp() throws IOException {
        store = TaskLocalSnapshotStore.open(List.of(tmp.resolve("store")), 1);
        metrics = LocalRecoveryMetrics.unregistered(() -> 0);
        copies = new NativeCheckpointCopies(store, SCOPE, metrics, true, true);
        liveDb = Files.createDirectories(tmp.resolve("live-db"));
        Files.write(liveDb.resolve("000010.sst"), SST_A);
        Files.write(liveDb.resolve("000011.sst"), SST_B);
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    @Test
    void recordsChecksumsAndRemembersTheSstFilesItRead() throws Exception {
        LocalNativeCheckpointRef committed = checkpoint(1);

        assertThat(committed.getNativeCheckpoint().isChecksummed()).isTrue();
        for (LocalFileEntry file : committed.getNativeCheckpoint().getFiles()) {
            Path local = committed.getDirectory().resolve(file.getFileName());
            assertThat(file.getCrc32c()).isEqualTo(crc(Files.readAllBytes(local)));
        }
        Path sst = committed.getDirectory().resolve("000010.sst");
        assertThat(store.checksumMemo().contains(sst, SST_A.length, crc(SST_A))).isTrue();
    }

    @Test
    void rereadsTheSstFilesARestoreUsedSoThatTheNextRestoreNeedNot() throws Exception {
        LocalNativeCheckpointRef first = checkpoint(1);
        Path sst = first.getDirectory().resolve("000010.sst");
        // a restore used the remembered checksum
        assertThat(store.checksumMemo().consume(sst, SST_A.length, crc(SST_A))).isTrue();

        LocalNativeCheckpointRef second = checkpoint(2);

        Path again = second.getDirectory().resolve("000010.sst");
        assertThat(store.checksumMemo().contains(again, SST_A.length, crc(SST_A))).isTrue();
    }

    @Test
    void aFileDamagedSinceItsChecksumWasRecordedIsNotRememberedAndKeepsItsRecordedChecksum()
            throws Exception {
        LocalNativeCheckpointRef first = checkpoint(1);
        Path sst = first.getDirectory().resolve("000010.sst");
        assertThat(store.checksumMemo().consume(sst, SST_A.length, crc(SST_A))).isTrue();
        // the live file (every hard link of it) goes bad without any attribute changing
        FileTime modified = Files.getLastModifiedTime(sst);
        try (RandomAccessFile raf = new RandomAccessFile(sst.toFile(), "rw")) {
            raf.seek(7);
            raf.write('X');
        }
        Files.setLastModifiedTime(sst, modified);

        LocalNativeCheckpointRef second = checkpoint(2);

        Path damaged = second.getDirectory().resolve("000010.sst");
        assertThat(store.checksumMemo().contains(damaged, SST_A.length, crc(SST_A))).isFalse();
        LocalFileEntry recorded =
                second.getNativeCheckpoint().getFiles().stream()
                        .filter(f -> f.getFileName().equals("000010.sst"))
                        .findFirst()
                        .orElseThrow();
        // the correct checksum: the next restore reads the file and finds the damage
        assertThat(recorded.getCrc32c()).isEqualTo(crc(SST_A));
    }

    @Test
    void anErrorWhileCommittingCostsOnlyThatLocalCopy() throws Exception {
        // e.g. no direct memory for a checksum buffer: before, this reached Flink's fatal-exit
        // handler on the commit thread and ended the TaskManager (and this test's JVM)
        PendingLocalCheckpoint pending = store.begin(SCOPE, 1);
        Path nativeDir = Files.createDirectories(pending.getDirectory().resolve("db"));
        IncrementalLocalKeyedStateHandle failing =
                unreadableLocalResult(
                        nativeDir,
                        () -> new OutOfMemoryError("Cannot reserve direct buffer memory"));
        IncrementalRemoteKeyedStateHandle primary = emptyPrimary(1);

        copies.forCheckpoint(pending).primaryCompleted(primary, failing);

        // the commit thread lives on: the next checkpoint is committed
        LocalNativeCheckpointRef next = checkpoint(2);
        assertThat(next.getCheckpointId()).isEqualTo(2L);
        assertThat(metrics.getLocalWriteFailures(LocalWriteFailure.WRITE_ERROR)).isOne();
        assertThat(store.lookupNative(BACKEND.toString(), 1)).isEmpty();
        assertThat(pending.getDirectory()).doesNotExist();
    }

    @Test
    void aCheckpointPrunedBeforeItsCommitIsNotChecksummed() throws Exception {
        PendingLocalCheckpoint pending = store.begin(SCOPE, 1);
        store.abort(SCOPE.getJobId(), 1);
        IncrementalLocalKeyedStateHandle untouchable =
                unreadableLocalResult(
                        pending.getDirectory().resolve("db"),
                        () -> new AssertionError("an aborted local checkpoint was described"));
        IncrementalRemoteKeyedStateHandle primary = emptyPrimary(1);

        copies.forCheckpoint(pending).primaryCompleted(primary, untouchable);

        checkpoint(2); // committed after the first on the single commit thread
        assertThat(metrics.getLocalWriteFailures(LocalWriteFailure.WRITE_ERROR)).isZero();
        assertThat(store.lookupNative(BACKEND.toString(), 1)).isEmpty();
    }

    // ------------------------------------------------------------------------

    /** A local result of checkpoint 1 whose metadata cannot be read: describing it fails. */
    private static IncrementalLocalKeyedStateHandle unreadableLocalResult(
            Path nativeDir, Supplier<? extends Error> error) {
        return new IncrementalLocalKeyedStateHandle(
                BACKEND,
                1,
                new DirectoryStateHandle(nativeDir, 0),
                KeyGroupRange.of(0, 127),
                new ByteStreamStateHandle("meta", new byte[1]),
                List.of()) {
            private static final long serialVersionUID = 1L;

            @Override
            public StreamStateHandle getMetaDataStateHandle() {
                throw error.get();
            }
        };
    }

    private static IncrementalRemoteKeyedStateHandle emptyPrimary(long checkpointId) {
        return new IncrementalRemoteKeyedStateHandle(
                BACKEND,
                KeyGroupRange.of(0, 127),
                checkpointId,
                List.of(),
                List.of(),
                new ByteStreamStateHandle("primary-meta", new byte[1]),
                1);
    }

    /** What RocksDB's native checkpoint does: hard links of the live SST files, plus metadata. */
    private LocalNativeCheckpointRef checkpoint(long checkpointId) throws Exception {
        PendingLocalCheckpoint pending = store.begin(SCOPE, checkpointId);
        Path nativeDir = Files.createDirectories(pending.getDirectory().resolve("db"));
        List<HandleAndLocalPath> shared = new ArrayList<>();
        for (String name : List.of("000010.sst", "000011.sst")) {
            Files.createLink(nativeDir.resolve(name), liveDb.resolve(name));
            shared.add(
                    HandleAndLocalPath.of(
                            new ByteStreamStateHandle(
                                    "primary-" + name, Files.readAllBytes(liveDb.resolve(name))),
                            name));
        }
        byte[] current = "MANIFEST-000005\n".getBytes(StandardCharsets.UTF_8);
        Files.write(nativeDir.resolve("CURRENT"), current);
        List<HandleAndLocalPath> privates =
                List.of(
                        HandleAndLocalPath.of(
                                new ByteStreamStateHandle(
                                        "primary-CURRENT-" + checkpointId, current),
                                "CURRENT"));
        byte[] meta = ("metadata " + checkpointId).getBytes(StandardCharsets.UTF_8);
        Path metaFile = Files.write(pending.getDirectory().resolve("meta"), meta);

        IncrementalRemoteKeyedStateHandle primary =
                new IncrementalRemoteKeyedStateHandle(
                        BACKEND,
                        KeyGroupRange.of(0, 127),
                        checkpointId,
                        shared,
                        privates,
                        new ByteStreamStateHandle("primary-meta-" + checkpointId, meta),
                        SST_A.length + SST_B.length + current.length + meta.length);
        IncrementalLocalKeyedStateHandle local =
                new IncrementalLocalKeyedStateHandle(
                        BACKEND,
                        checkpointId,
                        new DirectoryStateHandle(nativeDir, 0),
                        KeyGroupRange.of(0, 127),
                        new FileStateHandle(
                                new org.apache.flink.core.fs.Path(metaFile.toUri()), meta.length),
                        shared);
        copies.forCheckpoint(pending).primaryCompleted(primary, local);
        return awaitCommitted(checkpointId);
    }

    private LocalNativeCheckpointRef awaitCommitted(long checkpointId) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            Optional<LocalNativeCheckpointRef> ref =
                    store.lookupNative(BACKEND.toString(), checkpointId);
            if (ref.isPresent()) {
                return ref.get();
            }
            Thread.sleep(5);
        }
        throw new AssertionError("local checkpoint " + checkpointId + " not committed");
    }

    private static int crc(byte[] data) {
        CRC32C crc = new CRC32C();
        crc.update(data);
        return (int) crc.getValue();
    }
}
