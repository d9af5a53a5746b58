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
package io.flinklocalrecovery.core.store;

import io.flinklocalrecovery.core.metrics.EvictionReason;
import io.flinklocalrecovery.core.metrics.LocalWriteFailure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The store under a disk budget: evictions in order, refusals, counted as the disk counts. */
class TaskLocalSnapshotStoreBudgetTest {

    private static final LocalSnapshotScope A =
            new LocalSnapshotScope("job1", "opA", 0, LocalSnapshotScope.Kind.KEYED);
    private static final LocalSnapshotScope B =
            new LocalSnapshotScope("job1", "opB", 0, LocalSnapshotScope.Kind.KEYED);
    private static final LocalSnapshotScope GONE =
            new LocalSnapshotScope("job0", "opA", 0, LocalSnapshotScope.Kind.KEYED);

    @TempDir Path tmp;

    private TaskLocalSnapshotStore open(long limit, int retained) throws IOException {
        return TaskLocalSnapshotStore.open(
                List.of(tmp.resolve("root")),
                retained,
                Duration.ofHours(1),
                DiskBudget.of(limit, 0));
    }

    @Test
    void aNewerCopyReplacesItsSubtasksNewestButNeverAnotherSubtasksNewest() throws Exception {
        try (TaskLocalSnapshotStore store = open(100, 1)) {
            commit(store, A, 1, 40);
            commit(store, B, 1, 40);
            store.confirm("job1", 1);

            commit(store, A, 2, 40);
            store.awaitHousekeeping();

            assertThat(store.committedCheckpoints(A)).containsExactly(2L);
            assertThat(store.committedCheckpoints(B)).containsExactly(1L);
            assertThat(store.getBytesHeld()).isEqualTo(80);
            assertThat(store.diskStatus().bytesHeld(0)).isEqualTo(80);
            assertThat(store.diskStatus().evictions(EvictionReason.REPLACED_BY_NEWER)).isOne();
            assertThat(tmp.resolve("root/job_job1/op_opA_st_0_keyed/chk_1")).doesNotExist();
        }
    }

    @Test
    void olderConfirmedCopiesGoBeforeAnyNewest() throws Exception {
        try (TaskLocalSnapshotStore store = open(100, 2)) {
            commitTwoOfAAndOneOfB(store);

            commit(store, B, 3, 30);

            assertThat(store.committedCheckpoints(A)).containsExactly(2L);
            assertThat(store.committedCheckpoints(B)).containsExactly(2L, 3L);
            assertThat(store.diskStatus().evictions(EvictionReason.OLDER_CHECKPOINT)).isOne();
            assertThat(store.getBytesHeld()).isLessThanOrEqualTo(100);
        }
    }

    @Test
    void copiesOfAReleasedJobGoFirst() throws Exception {
        try (TaskLocalSnapshotStore store = open(100, 2)) {
            commit(store, GONE, 7, 40);
            store.releaseJob("job0");
            commit(store, A, 1, 30);
            store.confirm("job1", 1);

            commit(store, A, 2, 40);

            assertThat(store.committedCheckpoints(GONE)).isEmpty();
            assertThat(store.committedCheckpoints(A)).containsExactly(1L, 2L);
            assertThat(store.diskStatus().evictions(EvictionReason.RELEASED_JOB)).isOne();
        }
    }

    @Test
    void copiesOfAJobNoTaskClaimedAfterARestartGoFirst() throws Exception {
        try (TaskLocalSnapshotStore store = open(100, 1)) {
            commit(store, GONE, 7, 60);
        }
        try (TaskLocalSnapshotStore store = open(100, 1)) {
            commit(store, A, 1, 60);

            assertThat(store.committedCheckpoints(GONE)).isEmpty();
            assertThat(store.committedCheckpoints(A)).containsExactly(1L);
            assertThat(store.diskStatus().evictions(EvictionReason.RELEASED_JOB)).isOne();
        }
    }

    @Test
    void aCopyThatCannotFitIsRefusedCountedAndEvictsNothing() throws Exception {
        try (TaskLocalSnapshotStore store = open(100, 1)) {
            commit(store, A, 1, 60);
            store.confirm("job1", 1);
            PendingLocalCheckpoint tooBig = store.begin(B, 2);
            LocalFileEntry entry = writeFile(tooBig, "p-B-2", 101);

            assertThatThrownBy(() -> store.commit(tooBig, List.of(entry)))
                    .isInstanceOf(OverBudgetException.class)
                    .hasMessageContaining("state.backend.local-recovery.disk.size-limit")
                    .satisfies(
                            e ->
                                    assertThat(
                                                    LocalWriteFailure.of(
                                                            e,
                                                            LocalWriteFailure.WRITE_ERROR,
                                                            tooBig.getDirectory()))
                                            .isEqualTo(LocalWriteFailure.OVER_BUDGET));
            store.awaitHousekeeping();

            assertThat(tooBig.getDirectory()).doesNotExist();
            assertThat(store.committedCheckpoints(A)).containsExactly(1L);
            assertThat(store.lookup("p-B-2")).isEmpty();
            assertThat(store.getBytesHeld()).isEqualTo(60);
        }
    }

    @Test
    void theReserveEvictsOlderCopiesAndCountsDeletionsNotYetRunAsFree() throws Exception {
        AtomicLong others = new AtomicLong();
        Path root = tmp.resolve("root");
        // a 400-byte file system that holds the store's files and others'
        BudgetEnforcer.FileSystemSpace disk =
                new BudgetEnforcer.FileSystemSpace() {
                    @Override
                    public long usable(Path dir) {
                        return 400 - others.get() - filesOnDisk(root);
                    }

                    @Override
                    public long total(Path dir) {
                        return 400;
                    }
                };
        try (TaskLocalSnapshotStore store =
                TaskLocalSnapshotStore.open(
                        List.of(root),
                        2,
                        Duration.ofHours(1),
                        DiskBudget.of(DiskBudget.NO_LIMIT, 100),
                        disk,
                        AtomicFiles::write)) {
            commit(store, A, 1, 50);
            store.confirm("job1", 1);
            commit(store, A, 2, 50);
            store.confirm("job1", 2);
            assertThat(store.diskStatus().reserve(0)).isEqualTo(100);

            others.set(190); // free: 400 - 190 - 150 = 60 once chk_3 is written
            commit(store, A, 3, 50);

            assertThat(store.committedCheckpoints(A)).containsExactly(2L, 3L);
            assertThat(store.diskStatus().evictions(EvictionReason.OLDER_CHECKPOINT)).isOne();
            // whether or not chk_1 is deleted yet, its 50 bytes count as free: 10 more fit
            commit(store, B, 3, 10);
            assertThat(store.diskStatus().evictions(EvictionReason.OLDER_CHECKPOINT)).isOne();
            assertThat(store.committedCheckpoints(B)).containsExactly(3L);
        }
    }

    /**
     * Bytes of the local files under a root (manifests, lock and markers aside), deletions in
     * progress included.
     */
    private static long filesOnDisk(Path root) {
        while (true) {
            try (Stream<Path> files = Files.walk(root)) {
                return files.filter(f -> !f.getFileName().toString().startsWith("_MANIFEST"))
                        .filter(f -> Files.isRegularFile(f))
                        .filter(f -> !f.getFileName().toString().equals(".lock"))
                        .filter(f -> !f.getFileName().toString().equals(StoreLayout.MARKER))
                        .filter(f -> !f.getFileName().toString().equals(ClusterMarker.MARKER))
                        .mapToLong(
                                f -> {
                                    try {
                                        return Files.size(f);
                                    } catch (IOException e) {
                                        throw new UncheckedIOException(e);
                                    }
                                })
                        .sum();
            } catch (IOException | UncheckedIOException e) {
                // a file deleted while walking: walk again
            }
        }
    }

    @Test
    void bytesBeingWrittenEvictOlderCopiesAtOnceAndACopyThatCannotFitStopsEarly() throws Exception {
        try (TaskLocalSnapshotStore store = open(100, 2)) {
            commitTwoOfAAndOneOfB(store);
            PendingLocalCheckpoint writing = store.begin(B, 3);

            store.admitWrite(writing, 5); // 90 held + 5 written
            assertThat(store.diskStatus().evictions(EvictionReason.OLDER_CHECKPOINT)).isZero();

            store.admitWrite(writing, 10); // 105: the older copy of A goes before B@3 is done
            assertThat(store.committedCheckpoints(A)).containsExactly(2L);
            assertThat(store.diskStatus().evictions(EvictionReason.OLDER_CHECKPOINT)).isOne();

            // 60 held + 45 written: over, but B@3 replaces B@2 when it commits, so it fits then
            store.admitWrite(writing, 30);
            assertThat(store.committedCheckpoints(B)).containsExactly(2L);

            // 85 written: more than the limit leaves beside A's newest copy, even at commit
            assertThatThrownBy(() -> store.admitWrite(writing, 40))
                    .isInstanceOf(OverBudgetException.class)
                    .hasMessageContaining("given up after 85 bytes")
                    .hasMessageContaining("state.backend.local-recovery.disk.size-limit");
            assertThat(store.committedCheckpoints(A)).containsExactly(2L);
            assertThat(store.committedCheckpoints(B)).containsExactly(2L);
            assertThat(store.diskStatus().evictions(EvictionReason.REPLACED_BY_NEWER)).isZero();
        }
    }

    @Test
    void theBytesOfACommittedOrDroppedCopyNoLongerCountAsBeingWritten() throws Exception {
        try (TaskLocalSnapshotStore store = open(100, 1)) {
            PendingLocalCheckpoint dropped = store.begin(A, 1);
            store.admitWrite(dropped, 90);
            store.discard(dropped);

            PendingLocalCheckpoint committed = store.begin(A, 2);
            store.admitWrite(committed, 50); // 90 + 50 would be over if the dropped bytes counted
            LocalFileEntry entry = writeFile(committed, "p-opA-2", 50);
            assertThat(store.commit(committed, List.of(entry))).isTrue();

            PendingLocalCheckpoint next = store.begin(B, 2);
            store.admitWrite(next, 50); // 50 held + 50 written: exactly the limit
            assertThat(store.diskStatus().evictions(EvictionReason.REPLACED_BY_NEWER)).isZero();
            assertThat(store.committedCheckpoints(A)).containsExactly(2L);
        }
    }

    @Test
    void aShortReserveCollectsTheRootsOfTaskManagersThatAreGoneWhateverTheirAge() throws Exception {
        Path host = tmp.resolve("host");
        Path gone = host.resolve("tm_gone");
        Path alive = host.resolve("tm_alive");
        try (TaskLocalSnapshotStore previous =
                TaskLocalSnapshotStore.open(List.of(gone), 1, Duration.ofHours(1))) {
            commit(previous, GONE, 1, 100);
        }
        AtomicLong free = new AtomicLong(1_000);
        BudgetEnforcer.FileSystemSpace disk =
                new BudgetEnforcer.FileSystemSpace() {
                    @Override
                    public long usable(Path dir) {
                        return free.get();
                    }

                    @Override
                    public long total(Path dir) {
                        return 10_000;
                    }
                };
        try (TaskLocalSnapshotStore neighbour =
                        TaskLocalSnapshotStore.open(List.of(alive), 1, Duration.ofHours(1));
                TaskLocalSnapshotStore store =
                        TaskLocalSnapshotStore.open(
                                List.of(host.resolve("tm_self")),
                                1,
                                Duration.ofHours(1),
                                DiskBudget.of(DiskBudget.NO_LIMIT, 500),
                                disk,
                                AtomicFiles::write)) {
            commit(neighbour, B, 1, 10);
            commit(store, A, 1, 10); // plenty free: nothing is collected
            store.awaitHousekeeping();
            assertThat(gone).isDirectory();

            free.set(400); // below the reserve of 500
            PendingLocalCheckpoint next = store.begin(A, 2);
            LocalFileEntry entry = writeFile(next, "p-opA-2", 10);
            assertThatThrownBy(() -> store.commit(next, List.of(entry)))
                    .isInstanceOf(OverBudgetException.class);
            store.awaitHousekeeping();

            assertThat(gone).doesNotExist();
            assertThat(store.diskStatus().evictions(EvictionReason.ORPHANED_ROOT)).isOne();
            // the root of a TaskManager that lives is never touched
            assertThat(neighbour.committedCheckpoints(B)).containsExactly(1L);
            assertThat(neighbour.lookup("p-opB-1")).isPresent();
            assertThat(alive.resolve("job_job1")).isDirectory();
        }
    }

    @Test
    void aFileHardLinkedIntoTwoCheckpointsIsHeldOnce() throws Exception {
        try (TaskLocalSnapshotStore store = open(1_000, 2)) {
            PendingLocalCheckpoint first = store.begin(A, 1);
            LocalFileEntry shared = writeFile(first, "p-shared", 100);
            assertThat(store.commit(first, List.of(shared))).isTrue();
            store.confirm("job1", 1);

            PendingLocalCheckpoint second = store.begin(A, 2);
            Files.createDirectories(second.getDirectory());
            String name = second.newFileName();
            Files.createLink(
                    second.getDirectory().resolve(name),
                    first.getDirectory().resolve(shared.getFileName()));
            LocalFileEntry linked =
                    new LocalFileEntry("p-shared-2", name, shared.getSize(), shared.getCrc32c());
            assertThat(store.commit(second, List.of(linked))).isTrue();

            assertThat(store.getBytesHeld()).isEqualTo(100);
            store.confirm("job1", 2);
            commit(store, A, 3, 10);
            store.confirm("job1", 3); // K = 2: chk_1 goes, its file stays linked by chk_2
            assertThat(store.committedCheckpoints(A)).containsExactly(2L, 3L);
            assertThat(store.getBytesHeld()).isEqualTo(110);
        }
    }

    /** A@1 and A@2 confirmed, B@2 committed: 30 bytes each. */
    private static void commitTwoOfAAndOneOfB(TaskLocalSnapshotStore store) throws IOException {
        commit(store, A, 1, 30);
        store.confirm("job1", 1);
        commit(store, A, 2, 30);
        store.confirm("job1", 2);
        commit(store, B, 2, 30);
    }

    private static void commit(
            TaskLocalSnapshotStore store, LocalSnapshotScope scope, long checkpointId, int size)
            throws IOException {
        PendingLocalCheckpoint pending = store.begin(scope, checkpointId);
        LocalFileEntry entry =
                writeFile(pending, "p-" + scope.getOperatorId() + "-" + checkpointId, size);
        assertThat(store.commit(pending, List.of(entry))).isTrue();
    }

    private static LocalFileEntry writeFile(PendingLocalCheckpoint pending, String id, int size)
            throws IOException {
        Files.createDirectories(pending.getDirectory());
        byte[] data = new byte[size];
        for (int i = 0; i < size; i++) {
            data[i] = (byte) (id.hashCode() + i);
        }
        String name = pending.newFileName();
        Files.write(pending.getDirectory().resolve(name), data);
        CRC32C crc = new CRC32C();
        crc.update(data);
        return new LocalFileEntry(id, name, size, (int) crc.getValue());
    }
}
