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

import org.apache.flink.runtime.state.DirectoryStateHandle;
import org.apache.flink.runtime.state.IncrementalKeyedStateHandle.HandleAndLocalPath;
import org.apache.flink.runtime.state.IncrementalLocalKeyedStateHandle;
import org.apache.flink.runtime.state.IncrementalRemoteKeyedStateHandle;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.runtime.state.StreamStateHandle;
import org.apache.flink.runtime.state.filesystem.FileStateHandle;
import org.apache.flink.runtime.state.memory.ByteStreamStateHandle;

import io.flinklocalrecovery.core.metrics.LocalRecoveryMetrics;
import io.flinklocalrecovery.core.metrics.LocalWriteFailure;
import io.flinklocalrecovery.core.snapshot.LocalSnapshotFinisher;
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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.zip.CRC32C;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
    private StagingDirectoryProvider staging;
    private ManualExecutor committer;
    private ManualExecutor dropper;
    private NativeCommitQueue queue;

    @BeforeEach
    void setUp() throws IOException {
        store = TaskLocalSnapshotStore.open(List.of(tmp.resolve("store")), 1);
        metrics = LocalRecoveryMetrics.unregistered(() -> 0);
        Path rocksDBWorkingDirectory = Files.createDirectories(tmp.resolve("rocksdb-working"));
        staging = StagingDirectoryProvider.create(SCOPE, List.of(rocksDBWorkingDirectory.toFile()));
        committer = new ManualExecutor();
        dropper = new ManualExecutor();
        queue = new NativeCommitQueue(4, committer, dropper);
        copies = new NativeCheckpointCopies(store, SCOPE, metrics, true, true, staging, queue);
        liveDb = Files.createDirectories(rocksDBWorkingDirectory.resolve("db"));
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
        LocalSnapshotFinisher<KeyedStateHandle> finisher = copies.forCheckpoint(pending);
        Path nativeDir = stagedNativeDirectory(1);
        IncrementalLocalKeyedStateHandle failing =
                unreadableLocalResult(
                        nativeDir,
                        () -> new OutOfMemoryError("Cannot reserve direct buffer memory"));
        IncrementalRemoteKeyedStateHandle primary = emptyPrimary(1);

        finisher.primaryCompleted(primary, failing);
        committer.runAll();

        // the commit thread lives on: the next checkpoint is committed
        LocalNativeCheckpointRef next = checkpoint(2);
        assertThat(next.getCheckpointId()).isEqualTo(2L);
        assertThat(metrics.getLocalWriteFailures(LocalWriteFailure.WRITE_ERROR)).isOne();
        assertThat(store.lookupNative(BACKEND.toString(), 1)).isEmpty();
        assertThat(pending.getDirectory()).doesNotExist();
        assertThat(nativeDir.getParent()).as("staging directory").doesNotExist();
    }

    @Test
    void aCheckpointPrunedBeforeItsCommitIsNotChecksummed() throws Exception {
        PendingLocalCheckpoint pending = store.begin(SCOPE, 1);
        LocalSnapshotFinisher<KeyedStateHandle> finisher = copies.forCheckpoint(pending);
        store.abort(SCOPE.getJobId(), 1);
        Path nativeDir = stagedNativeDirectory(1);
        IncrementalLocalKeyedStateHandle untouchable =
                unreadableLocalResult(
                        nativeDir,
                        () -> new AssertionError("an aborted local checkpoint was described"));
        IncrementalRemoteKeyedStateHandle primary = emptyPrimary(1);

        finisher.primaryCompleted(primary, untouchable);
        committer.runAll();

        checkpoint(2);
        assertThat(metrics.getLocalWriteFailures(LocalWriteFailure.WRITE_ERROR)).isZero();
        assertThat(store.lookupNative(BACKEND.toString(), 1)).isEmpty();
        assertThat(nativeDir.getParent()).as("staging directory").doesNotExist();
    }

    @Test
    void rocksDBStagesInItsOwnWorkingDirectoryAndTheStoreTakesTheFilesOverUncopied()
            throws Exception {
        Staged staged = stage(1);
        Path stagingDir = staged.stagingDirectory();
        assertThat(stagingDir).startsWithRaw(tmp.resolve("rocksdb-working")).isDirectory();

        LocalNativeCheckpointRef committed = commit(staged);

        assertThat(stagingDir).doesNotExist();
        Path sst = committed.getDirectory().resolve("000010.sst");
        assertThat(sst).startsWith(tmp.resolve("store"));
        // the same file as RocksDB's live one (a rename of hard links), not a copy
        assertThat(Files.getAttribute(sst, "unix:ino"))
                .isEqualTo(Files.getAttribute(liveDb.resolve("000010.sst"), "unix:ino"));
        assertThat(committed.getMetaDataFile()).startsWith(tmp.resolve("store")).exists();
    }

    @Test
    void aStoreOnAnotherFileSystemGetsACopyOfEveryFile() throws Exception {
        Path otherFileSystem = Path.of("/dev/shm");
        assumeTrue(
                Files.isDirectory(otherFileSystem)
                        && !Files.getFileStore(otherFileSystem).equals(Files.getFileStore(tmp)),
                "needs /dev/shm on another file system than " + tmp);
        Path storeRoot = Files.createTempDirectory(otherFileSystem, "native-copies-test");
        store.close();
        store = TaskLocalSnapshotStore.open(List.of(storeRoot), 1);
        copies = new NativeCheckpointCopies(store, SCOPE, metrics, true, true, staging, queue);
        try {
            Staged staged = stage(1);
            LocalNativeCheckpointRef committed = commit(staged);

            for (LocalFileEntry file : committed.getNativeCheckpoint().getFiles()) {
                Path local = committed.getDirectory().resolve(file.getFileName());
                assertThat(local).startsWith(storeRoot);
                assertThat(file.getCrc32c()).isEqualTo(crc(Files.readAllBytes(local)));
            }
            assertThat(committed.getDirectory().resolve("000010.sst")).hasBinaryContent(SST_A);
            assertThat(staged.stagingDirectory()).doesNotExist();
            for (LocalWriteFailure reason : LocalWriteFailure.values()) {
                assertThat(metrics.getLocalWriteFailures(reason)).as(reason.name()).isZero();
            }
        } finally {
            store.close();
            org.apache.flink.util.FileUtils.deleteDirectory(storeRoot.toFile());
        }
    }

    @Test
    void aWaitingCommitIsDroppedWhenANewerOneOfTheSameSubtaskArrives() throws Exception {
        // the commit thread is stuck (a hung local disk): checkpoints 1 and 2 complete meanwhile
        Staged first = stage(1);
        first.complete();
        Staged second = stage(2);
        second.complete();

        dropper.runAll();
        assertThat(first.stagingDirectory())
                .as("the dropped staging directory, hard links to compacted files included")
                .doesNotExist();
        assertThat(metrics.getLocalWriteFailures(LocalWriteFailure.COMMIT_BACKLOG)).isOne();

        committer.runAll();
        assertThat(store.lookupNative(BACKEND.toString(), 1)).isEmpty();
        assertThat(store.lookupNative(BACKEND.toString(), 2)).isPresent();
    }

    @Test
    void theBacklogOfTheTaskManagerIsBounded() throws Exception {
        List<Staged> subtasks = new ArrayList<>();
        for (int subtask = 0; subtask < 6; subtask++) {
            LocalSnapshotScope scope =
                    new LocalSnapshotScope("job1", "op1", subtask, LocalSnapshotScope.Kind.KEYED);
            subtasks.add(stage(scope, 1));
        }
        for (Staged staged : subtasks) {
            staged.complete();
        }

        dropper.runAll();
        committer.runAll();
        // capacity 4: the two oldest were dropped without being read
        assertThat(metrics.getLocalWriteFailures(LocalWriteFailure.COMMIT_BACKLOG)).isEqualTo(2);
        assertThat(subtasks.get(0).stagingDirectory()).doesNotExist();
        assertThat(subtasks.get(5).stagingDirectory()).doesNotExist();
        assertThat(subtasks.get(5).pending.getDirectory().resolve("meta")).exists();
    }

    @Test
    void aFailedSnapshotDeletesItsStagedDirectoryOffTheCallersThread() throws Exception {
        Staged staged = stage(1);

        staged.finisher.discard(staged.local);

        assertThat(staged.stagingDirectory()).as("deleted on the drop thread").exists();
        dropper.runAll();
        assertThat(staged.stagingDirectory()).doesNotExist();
        assertThat(staged.pending.getDirectory()).doesNotExist();
    }

    @Test
    void stagingDirectoriesOfAnEarlierAttemptAreDeletedWhenTheNextOneStarts() throws Exception {
        Path leftover = stagedNativeDirectory(7);
        Path otherSubtask =
                Files.createDirectories(
                        tmp.resolve("rocksdb-working")
                                .resolve(StagingDirectoryProvider.STAGING_DIRECTORY)
                                .resolve("job1_op1_1_chk_7"));

        StagingDirectoryProvider.create(SCOPE, List.of(tmp.resolve("rocksdb-working").toFile()));

        assertThat(leftover.getParent()).doesNotExist();
        assertThat(otherSubtask).exists();
    }

    // ------------------------------------------------------------------------

    /** Where RocksDB puts its native checkpoint: inside the staging directory Flink asked for. */
    private Path stagedNativeDirectory(long checkpointId) throws IOException {
        return Files.createDirectories(
                staging.subtaskSpecificCheckpointDirectory(checkpointId).toPath().resolve("db"));
    }

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

    /** One snapshot whose native checkpoint RocksDB has staged and uploaded. */
    private static final class Staged {
        final LocalSnapshotFinisher<KeyedStateHandle> finisher;
        final Path stagingDir;
        final PendingLocalCheckpoint pending;
        final IncrementalRemoteKeyedStateHandle primary;
        final IncrementalLocalKeyedStateHandle local;

        Staged(
                LocalSnapshotFinisher<KeyedStateHandle> finisher,
                Path stagingDir,
                PendingLocalCheckpoint pending,
                IncrementalRemoteKeyedStateHandle primary,
                IncrementalLocalKeyedStateHandle local) {
            this.finisher = finisher;
            this.stagingDir = stagingDir;
            this.pending = pending;
            this.primary = primary;
            this.local = local;
        }

        void complete() {
            finisher.primaryCompleted(primary, local);
        }

        Path stagingDirectory() {
            return stagingDir;
        }
    }

    private Staged stage(long checkpointId) throws IOException {
        return stage(SCOPE, checkpointId, copies, staging);
    }

    /** A snapshot of another subtask, sharing this test's store and commit queue. */
    private Staged stage(LocalSnapshotScope scope, long checkpointId) throws IOException {
        StagingDirectoryProvider provider =
                StagingDirectoryProvider.create(
                        scope, List.of(tmp.resolve("rocksdb-working").toFile()));
        return stage(
                scope,
                checkpointId,
                new NativeCheckpointCopies(store, scope, metrics, true, true, provider, queue),
                provider);
    }

    /** What RocksDB's native checkpoint does: hard links of the live SST files, plus metadata. */
    private Staged stage(
            LocalSnapshotScope scope,
            long checkpointId,
            NativeCheckpointCopies copies,
            StagingDirectoryProvider staging)
            throws IOException {
        PendingLocalCheckpoint pending = store.begin(scope, checkpointId);
        // the finisher comes first: the snapshot starts after it
        LocalSnapshotFinisher<KeyedStateHandle> finisher = copies.forCheckpoint(pending);
        Path stagingDir = staging.subtaskSpecificCheckpointDirectory(checkpointId).toPath();
        Path nativeDir = Files.createDirectories(stagingDir.resolve("db"));
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
        Path metaFile = Files.write(stagingDir.resolve("meta"), meta);

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
        return new Staged(finisher, stagingDir, pending, primary, local);
    }

    private LocalNativeCheckpointRef checkpoint(long checkpointId) throws Exception {
        return commit(stage(checkpointId));
    }

    private LocalNativeCheckpointRef commit(Staged staged) {
        long checkpointId = staged.pending.getCheckpointId();
        staged.complete();
        committer.runAll();
        dropper.runAll();
        return store.lookupNative(BACKEND.toString(), checkpointId)
                .orElseThrow(
                        () ->
                                new AssertionError(
                                        "local checkpoint " + checkpointId + " not committed"));
    }

    private static int crc(byte[] data) {
        CRC32C crc = new CRC32C();
        crc.update(data);
        return (int) crc.getValue();
    }

    /** Runs what was handed to it when the test says so: a commit thread that is behind. */
    private static final class ManualExecutor implements Executor {
        private final Deque<Runnable> tasks = new ArrayDeque<>();

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
        }

        void runAll() {
            for (Runnable task = tasks.poll(); task != null; task = tasks.poll()) {
                task.run();
            }
        }
    }
}
