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

import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.runtime.state.CheckpointStateOutputStream;
import org.apache.flink.runtime.state.CheckpointStreamFactory;
import org.apache.flink.runtime.state.CheckpointedStateScope;
import org.apache.flink.runtime.state.StreamStateHandle;
import org.apache.flink.runtime.state.filesystem.FileStateHandle;
import org.apache.flink.runtime.state.filesystem.FsCheckpointStreamFactory;
import org.apache.flink.runtime.state.memory.MemCheckpointStreamFactory;

import io.flinklocalrecovery.core.metrics.LocalRecoveryMetrics;
import io.flinklocalrecovery.core.metrics.LocalWriteFailure;
import io.flinklocalrecovery.core.store.DiskBudget;
import io.flinklocalrecovery.core.store.LocalFileRef;
import io.flinklocalrecovery.core.store.LocalSnapshotScope;
import io.flinklocalrecovery.core.store.PendingLocalCheckpoint;
import io.flinklocalrecovery.core.store.TaskLocalSnapshotStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.annotation.Nullable;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DuplicatingStreamFactoryTest {

    private static final String JOB = "job1";
    private static final LocalSnapshotScope SCOPE =
            new LocalSnapshotScope(JOB, "op1", 0, LocalSnapshotScope.Kind.KEYED);
    private static final long MiB = 1024 * 1024;
    private static final long DEADLINE_MILLIS = 10_000;

    @TempDir Path tmp;

    private TaskLocalSnapshotStore store;
    private CheckpointStreamFactory primaryFactory;
    private LocalRecoveryMetrics metrics;
    @Nullable private LocalCopyWriters writers;

    @BeforeEach
    void setUp() throws IOException {
        store = TaskLocalSnapshotStore.open(List.of(localRoot()), 1);
        Path exclusive = Files.createDirectories(tmp.resolve("primary").resolve("chk-1"));
        Path shared = Files.createDirectories(tmp.resolve("primary").resolve("shared"));
        // threshold 0: every non-empty stream becomes a file, never in-memory bytes
        primaryFactory =
                new FsCheckpointStreamFactory(
                        FileSystem.getLocalFileSystem(),
                        new org.apache.flink.core.fs.Path(exclusive.toUri()),
                        new org.apache.flink.core.fs.Path(shared.toUri()),
                        0,
                        4096);
        metrics = LocalRecoveryMetrics.unregistered(store::getBytesHeld);
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        if (writers != null) {
            writers.close();
            assertThat(writers.executor().awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        store.close();
    }

    private Path localRoot() {
        return tmp.resolve("local");
    }

    // ------------------------------------------------------------------------

    @Test
    void localCopyHasTheBytesOfThePrimaryAndIsFoundByPrimaryId() throws Exception {
        writers = new LocalCopyWriters(2, 8 * MiB, LocalFileOutputFactory.DEFAULT);
        PendingLocalCheckpoint pending = store.begin(SCOPE, 7);
        LocalSnapshotCollector collector =
                new LocalSnapshotCollector(store, writers, metrics, pending);
        DuplicatingStreamFactory factory = new DuplicatingStreamFactory(primaryFactory, collector);

        byte[] first = randomBytes(300_000, 1);
        byte[] second = randomBytes(17, 2);
        StreamStateHandle firstHandle =
                writeAndClose(factory, CheckpointedStateScope.EXCLUSIVE, first);
        StreamStateHandle secondHandle =
                writeAndClose(factory, CheckpointedStateScope.SHARED, second);
        assertPrimaryHolds(firstHandle, first);
        assertPrimaryHolds(secondHandle, second);

        collector.primaryCompleted();
        awaitUntil(
                () -> store.committedCheckpoints(SCOPE).contains(7L),
                "the local checkpoint to be committed");

        for (StreamStateHandle handle : List.of(firstHandle, secondHandle)) {
            LocalFileRef ref =
                    store.lookup(handle.getStreamStateHandleID().getKeyString()).orElseThrow();
            assertThat(ref.getCheckpointId()).isEqualTo(7L);
            assertThat(ref.getScope()).isEqualTo(SCOPE);
            assertThat(ref.getPath().getParent()).isEqualTo(pending.getDirectory());
            assertThat(ref.getEntry().getSize()).isEqualTo(handle.getStateSize());
            assertThat(Files.readAllBytes(ref.getPath())).isEqualTo(primaryBytes(handle));
        }
        assertThat(pending.getDirectory().resolve(TaskLocalSnapshotStore.MANIFEST)).isRegularFile();
        awaitUntil(() -> metrics.getLocalCheckpointsCompleted() == 1, "the completion metric");
        assertNoWriteFailures();
        assertThat(store.getBytesHeld()).isEqualTo(first.length + second.length);
        awaitUntil(() -> writers.chunkPool().inUse() == 0, "all chunks to be returned");
    }

    @Test
    void inMemoryPrimaryHandlesAreNotKeptLocally() throws Exception {
        writers = new LocalCopyWriters(1, 8 * MiB, LocalFileOutputFactory.DEFAULT);
        PendingLocalCheckpoint pending = store.begin(SCOPE, 3);
        LocalSnapshotCollector collector =
                new LocalSnapshotCollector(store, writers, metrics, pending);
        DuplicatingStreamFactory factory =
                new DuplicatingStreamFactory(
                        new MemCheckpointStreamFactory(1024 * 1024), collector);

        byte[] data = randomBytes(1000, 3);
        StreamStateHandle handle = writeAndClose(factory, CheckpointedStateScope.EXCLUSIVE, data);
        assertThat(handle.asBytesIfInMemory()).hasValue(data);

        collector.primaryCompleted();
        awaitUntil(
                () -> !Files.exists(pending.getDirectory()) && !store.isWanted(pending),
                "the unused local checkpoint to be dropped");

        assertThat(store.committedCheckpoints(SCOPE)).isEmpty();
        assertThat(store.lookup(handle.getStreamStateHandleID().getKeyString())).isEmpty();
        assertNoWriteFailures();
    }

    @Test
    void diskFullKeepsThePrimaryAndCountsAFullDisk() throws Exception {
        writers = new LocalCopyWriters(1, 8 * MiB, new FailingAfterBytes(100_000));
        byte[] data = randomBytes(300_000, 4);
        StreamStateHandle handle = writeACopyThatFails(data, LocalWriteFailure.DISK_FULL);

        assertThat(store.committedCheckpoints(SCOPE)).isEmpty();
        assertThat(store.lookup(handle.getStreamStateHandleID().getKeyString())).isEmpty();
        assertThat(metrics.getLocalCheckpointsCompleted()).isZero();
        for (LocalWriteFailure other : LocalWriteFailure.values()) {
            if (other != LocalWriteFailure.DISK_FULL) {
                assertThat(metrics.getLocalWriteFailures(other)).as(other.name()).isZero();
            }
        }
        assertPrimaryHolds(handle, data);
        awaitUntil(() -> writers.chunkPool().inUse() == 0, "all chunks to be returned");
    }

    @Test
    void aCopyOverTheDiskBudgetIsGivenUpWhileWrittenAndThePrimaryIsKept() throws Exception {
        store.close();
        store =
                TaskLocalSnapshotStore.open(
                        List.of(localRoot()), 1, Duration.ofHours(1), DiskBudget.of(200_000, 0));
        CountingOutputs disk = new CountingOutputs();
        writers = new LocalCopyWriters(1, 8 * MiB, disk);
        byte[] data = randomBytes(1_000_000, 5);
        StreamStateHandle handle = writeACopyThatFails(data, LocalWriteFailure.OVER_BUDGET);

        // given up at the chunk that would have passed the limit, not written to the end
        assertThat(disk.written.get()).isLessThanOrEqualTo(200_000);
        assertThat(store.committedCheckpoints(SCOPE)).isEmpty();
        assertThat(store.lookup(handle.getStreamStateHandleID().getKeyString())).isEmpty();
        assertThat(metrics.getLocalWriteFailures(LocalWriteFailure.WRITE_ERROR)).isZero();
        assertPrimaryHolds(handle, data);
        awaitUntil(() -> writers.chunkPool().inUse() == 0, "all chunks to be returned");
    }

    @Test
    void uncreatableDirectoryKeepsThePrimaryAndIsCounted() throws Exception {
        writers = new LocalCopyWriters(1, 8 * MiB, LocalFileOutputFactory.DEFAULT);
        // a regular file where the job directory would go (chmod does not stop root)
        Path blocker = localRoot().resolve("job_" + JOB);
        Files.write(blocker, new byte[] {1});
        PendingLocalCheckpoint pending = store.begin(SCOPE, 1);
        LocalSnapshotCollector collector =
                new LocalSnapshotCollector(store, writers, metrics, pending);
        DuplicatingStreamFactory factory = new DuplicatingStreamFactory(primaryFactory, collector);

        byte[] data = randomBytes(150_000, 5);
        StreamStateHandle handle = writeAndClose(factory, CheckpointedStateScope.EXCLUSIVE, data);
        assertPrimaryHolds(handle, data);

        collector.primaryCompleted();
        awaitUntil(
                () -> metrics.getLocalWriteFailures(LocalWriteFailure.DIRECTORY_NOT_CREATABLE) == 1,
                "the failure to be counted");
        awaitUntil(() -> !store.isWanted(pending), "the local checkpoint to be dropped");

        assertThat(metrics.getLocalWriteFailures(LocalWriteFailure.WRITE_ERROR)).isZero();
        assertThat(store.committedCheckpoints(SCOPE)).isEmpty();
        assertThat(store.lookup(handle.getStreamStateHandleID().getKeyString())).isEmpty();
        assertThat(blocker).isRegularFile().hasBinaryContent(new byte[] {1});
        assertPrimaryHolds(handle, data);
    }

    @Test
    void fullBufferDropsTheLocalCopyWithoutBlockingThePrimary() throws Exception {
        CountDownLatch diskUnblocked = new CountDownLatch(1);
        writers = new LocalCopyWriters(1, MiB, new BlockingOutputs(diskUnblocked));
        PendingLocalCheckpoint pending = store.begin(SCOPE, 1);
        LocalSnapshotCollector collector =
                new LocalSnapshotCollector(store, writers, metrics, pending);
        DuplicatingStreamFactory factory = new DuplicatingStreamFactory(primaryFactory, collector);

        byte[] data = randomBytes((int) (3 * MiB), 6);
        StreamStateHandle handle;
        try {
            // the local disk is stuck for the whole snapshot: the primary must not notice
            handle = writeAndClose(factory, CheckpointedStateScope.EXCLUSIVE, data);
            assertPrimaryHolds(handle, data);
            collector.primaryCompleted();
            assertThat(store.committedCheckpoints(SCOPE)).isEmpty();
        } finally {
            diskUnblocked.countDown();
        }

        awaitUntil(
                () ->
                        metrics.getLocalWriteFailures(LocalWriteFailure.BUFFER_FULL) == 1
                                && !store.isWanted(pending)
                                && !Files.exists(pending.getDirectory()),
                "the full buffer to be counted and the local checkpoint dropped");
        assertThat(metrics.getLocalWriteFailures(LocalWriteFailure.WRITE_ERROR)).isZero();
        assertThat(store.committedCheckpoints(SCOPE)).isEmpty();
        assertThat(store.lookup(handle.getStreamStateHandleID().getKeyString())).isEmpty();
        awaitUntil(() -> writers.chunkPool().inUse() == 0, "all chunks to be returned");
    }

    @Test
    void failingPrimaryPropagatesAndDiscardLeavesNothingOnDisk() throws Exception {
        writers = new LocalCopyWriters(1, 8 * MiB, LocalFileOutputFactory.DEFAULT);
        // the local disk lags behind: everything below is queued for the only writer thread
        CountDownLatch writerBusy = new CountDownLatch(1);
        writers.executor().execute(() -> awaitQuietly(writerBusy));

        PendingLocalCheckpoint pending = store.begin(SCOPE, 1);
        LocalSnapshotCollector collector =
                new LocalSnapshotCollector(store, writers, metrics, pending);
        DuplicatingStreamFactory factory =
                new DuplicatingStreamFactory(new FailingOnClose(primaryFactory, 1), collector);

        // the first stream of the snapshot succeeds, the second one fails
        byte[] first = randomBytes(200_000, 7);
        StreamStateHandle firstHandle =
                writeAndClose(factory, CheckpointedStateScope.EXCLUSIVE, first);
        assertPrimaryHolds(firstHandle, first);

        CheckpointStateOutputStream failing =
                factory.createCheckpointStateOutputStream(CheckpointedStateScope.EXCLUSIVE);
        assertThat(failing).isInstanceOf(DuplicatingCheckpointStateOutputStream.class);
        failing.write(randomBytes(200_000, 8));
        assertThatThrownBy(failing::closeAndGetHandle)
                .isInstanceOf(IOException.class)
                .hasMessage("primary storage unavailable");

        collector.discard();
        writerBusy.countDown();
        drainWriters();
        // the discarded directory is deleted in the background
        store.awaitHousekeeping();

        assertThat(regularFilesUnder(localRoot()))
                .containsExactlyInAnyOrder(".lock", "_LAYOUT", "_CLUSTER");
        assertThat(pending.getDirectory()).doesNotExist();
        assertThat(store.committedCheckpoints(SCOPE)).isEmpty();
        assertThat(store.lookup(firstHandle.getStreamStateHandleID().getKeyString())).isEmpty();
        assertNoWriteFailures();
        assertThat(writers.chunkPool().inUse()).isZero();
    }

    @Test
    void failingPrimaryWithAnIdleWriterLeavesNothingOnDisk() throws Exception {
        writers = new LocalCopyWriters(2, 8 * MiB, LocalFileOutputFactory.DEFAULT);
        PendingLocalCheckpoint pending = store.begin(SCOPE, 1);
        LocalSnapshotCollector collector =
                new LocalSnapshotCollector(store, writers, metrics, pending);
        DuplicatingStreamFactory factory =
                new DuplicatingStreamFactory(new FailingOnClose(primaryFactory, 0), collector);

        CheckpointStateOutputStream failing =
                factory.createCheckpointStateOutputStream(CheckpointedStateScope.EXCLUSIVE);
        failing.write(randomBytes(500_000, 9));
        assertThatThrownBy(failing::closeAndGetHandle).isInstanceOf(IOException.class);

        collector.discard();
        drainWriters();

        assertThat(regularFilesUnder(localRoot()))
                .containsExactlyInAnyOrder(".lock", "_LAYOUT", "_CLUSTER");
        assertThat(pending.getDirectory()).doesNotExist();
        assertThat(store.committedCheckpoints(SCOPE)).isEmpty();
        assertNoWriteFailures();
    }

    // ------------------------------------------------------------------------

    private static StreamStateHandle writeAndClose(
            CheckpointStreamFactory factory, CheckpointedStateScope scope, byte[] data)
            throws IOException {
        CheckpointStateOutputStream out = factory.createCheckpointStateOutputStream(scope);
        assertThat(out).isInstanceOf(DuplicatingCheckpointStateOutputStream.class);
        // a mix of single bytes and odd-sized slices across chunk boundaries
        int pos = 0;
        int step = 1;
        while (pos < data.length) {
            if (step % 5 == 0) {
                out.write(data[pos++]);
            } else {
                int len = Math.min(data.length - pos, 1 + (step * 7919) % 40_000);
                out.write(data, pos, len);
                pos += len;
            }
            step++;
            assertThat(out.getPos()).isEqualTo(pos);
        }
        StreamStateHandle handle = out.closeAndGetHandle();
        assertThat(handle).isNotNull();
        return handle;
    }

    /**
     * Writes one stream of checkpoint 1 and completes the snapshot; waits until its local copy
     * failed for {@code reason} and the local checkpoint is dropped.
     */
    private StreamStateHandle writeACopyThatFails(byte[] data, LocalWriteFailure reason)
            throws Exception {
        PendingLocalCheckpoint pending = store.begin(SCOPE, 1);
        LocalSnapshotCollector collector =
                new LocalSnapshotCollector(store, writers, metrics, pending);
        DuplicatingStreamFactory factory = new DuplicatingStreamFactory(primaryFactory, collector);
        StreamStateHandle handle = writeAndClose(factory, CheckpointedStateScope.EXCLUSIVE, data);
        assertPrimaryHolds(handle, data);

        collector.primaryCompleted();
        awaitUntil(
                () ->
                        metrics.getLocalWriteFailures(reason) == 1
                                && !Files.exists(pending.getDirectory()),
                reason + " to be counted and the local checkpoint dropped");
        return handle;
    }

    private static void assertPrimaryHolds(StreamStateHandle handle, byte[] data)
            throws IOException {
        assertThat(handle).isInstanceOf(FileStateHandle.class);
        assertThat(handle.getStateSize()).isEqualTo(data.length);
        assertThat(primaryBytes(handle)).isEqualTo(data);
        try (InputStream in = handle.openInputStream()) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
    }

    private static byte[] primaryBytes(StreamStateHandle handle) throws IOException {
        return Files.readAllBytes(Paths.get(((FileStateHandle) handle).getFilePath().toUri()));
    }

    private void assertNoWriteFailures() {
        for (LocalWriteFailure reason : LocalWriteFailure.values()) {
            assertThat(metrics.getLocalWriteFailures(reason)).as(reason.name()).isZero();
        }
    }

    /** Waits for everything queued on the writer threads so far (and what it triggers). */
    /** Waits until the writers ended and the deletions they queued ran (in the background). */
    private void drainWriters() throws Exception {
        writers.close();
        assertThat(writers.executor().awaitTermination(DEADLINE_MILLIS, TimeUnit.MILLISECONDS))
                .isTrue();
        store.awaitHousekeeping();
    }

    private static void awaitUntil(BooleanSupplier condition, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DEADLINE_MILLIS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("Timed out waiting for " + what);
            }
            Thread.sleep(2);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(DEADLINE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static List<String> regularFilesUnder(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile)
                    .map(p -> root.relativize(p).toString())
                    .collect(Collectors.toList());
        }
    }

    private static byte[] randomBytes(int length, long seed) {
        byte[] data = new byte[length];
        new Random(seed).nextBytes(data);
        return data;
    }

    // ------------------------------------------------------------------------
    //  test doubles
    // ------------------------------------------------------------------------

    /** A local disk that fills up after a number of bytes. */
    /** The local disk, counting the bytes written to it. */
    private static final class CountingOutputs implements LocalFileOutputFactory {
        final AtomicLong written = new AtomicLong();

        @Override
        public OutputStream open(Path file) throws IOException {
            return new FilterOutputStream(LocalFileOutputFactory.DEFAULT.open(file)) {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                    written.addAndGet(len);
                }
            };
        }
    }

    private static final class FailingAfterBytes implements LocalFileOutputFactory {
        private final long capacity;

        FailingAfterBytes(long capacity) {
            this.capacity = capacity;
        }

        @Override
        public OutputStream open(Path file) throws IOException {
            return new FilterOutputStream(LocalFileOutputFactory.DEFAULT.open(file)) {
                private long written;

                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    if (written + len > capacity) {
                        throw new IOException("No space left on device");
                    }
                    out.write(b, off, len);
                    written += len;
                }
            };
        }
    }

    /** A local disk that does not accept a byte until the latch is released. */
    private static final class BlockingOutputs implements LocalFileOutputFactory {
        private final CountDownLatch unblocked;

        BlockingOutputs(CountDownLatch unblocked) {
            this.unblocked = unblocked;
        }

        @Override
        public OutputStream open(Path file) throws IOException {
            return new FilterOutputStream(LocalFileOutputFactory.DEFAULT.open(file)) {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    awaitUnblocked();
                    out.write(b, off, len);
                }

                private void awaitUnblocked() throws IOException {
                    try {
                        if (!unblocked.await(DEADLINE_MILLIS, TimeUnit.MILLISECONDS)) {
                            throw new IOException("The test never unblocked the disk");
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException(e);
                    }
                }
            };
        }
    }

    /** Primary storage whose streams fail on completion, after the first {@code healthy} ones. */
    private static final class FailingOnClose implements CheckpointStreamFactory {
        private final CheckpointStreamFactory delegate;
        private int healthy;

        FailingOnClose(CheckpointStreamFactory delegate, int healthy) {
            this.delegate = delegate;
            this.healthy = healthy;
        }

        @Override
        public CheckpointStateOutputStream createCheckpointStateOutputStream(
                CheckpointedStateScope scope) throws IOException {
            CheckpointStateOutputStream stream = delegate.createCheckpointStateOutputStream(scope);
            if (healthy-- > 0) {
                return stream;
            }
            return new CheckpointStateOutputStream() {
                @Override
                public void write(int b) throws IOException {
                    stream.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    stream.write(b, off, len);
                }

                @Override
                public long getPos() throws IOException {
                    return stream.getPos();
                }

                @Override
                public void flush() throws IOException {
                    stream.flush();
                }

                @Override
                public void sync() throws IOException {
                    stream.sync();
                }

                @Override
                public StreamStateHandle closeAndGetHandle() throws IOException {
                    stream.close();
                    throw new IOException("primary storage unavailable");
                }

                @Override
                public void close() throws IOException {
                    stream.close();
                }
            };
        }

        @Override
        public boolean canFastDuplicate(
                StreamStateHandle stateHandle, CheckpointedStateScope scope) {
            return false;
        }

        @Override
        public List<StreamStateHandle> duplicate(
                List<StreamStateHandle> stateHandles, CheckpointedStateScope scope) {
            throw new UnsupportedOperationException();
        }
    }
}
