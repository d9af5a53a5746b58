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

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class TaskLocalSnapshotStoreTest {

    private static final String JOB = "job1";
    private static final LocalSnapshotScope SCOPE_A =
            new LocalSnapshotScope(JOB, "opA", 0, LocalSnapshotScope.Kind.KEYED);
    private static final LocalSnapshotScope SCOPE_B =
            new LocalSnapshotScope(JOB, "opB", 1, LocalSnapshotScope.Kind.OPERATOR);
    private static final LocalSnapshotScope SCOPE_C =
            new LocalSnapshotScope(JOB, "opC", 2, LocalSnapshotScope.Kind.KEYED);

    @TempDir Path tmp;

    private Path root() {
        return tmp.resolve("local");
    }

    private TaskLocalSnapshotStore open(int retained) throws IOException {
        return TaskLocalSnapshotStore.open(List.of(root()), retained);
    }

    private TaskLocalSnapshotStore open(int retained, Duration releasedLifetime)
            throws IOException {
        return TaskLocalSnapshotStore.open(List.of(root()), retained, releasedLifetime);
    }

    // ------------------------------------------------------------------------
    //  begin / commit / lookup
    // ------------------------------------------------------------------------

    @Test
    void manifestRoundTripThroughBeginCommitLookup() throws IOException {
        try (TaskLocalSnapshotStore store = open(1)) {
            PendingLocalCheckpoint pending = store.begin(SCOPE_A, 5);
            LocalFileEntry first = writeFile(pending, "file:/primary/one", bytes(100, 1));
            LocalFileEntry second = writeFile(pending, "file:/primary/two", bytes(7, 2));

            assertThat(store.commit(pending, List.of(first, second))).isTrue();

            Path dir = scopeDir(SCOPE_A).resolve("chk_5");
            assertThat(pending.getDirectory()).isEqualTo(dir);
            Optional<LocalCheckpointManifest> onDisk = LocalCheckpointManifest.read(dir);
            assertThat(onDisk).isPresent();
            assertThat(onDisk.get().getScope()).isEqualTo(SCOPE_A);
            assertThat(onDisk.get().getCheckpointId()).isEqualTo(5L);
            assertThat(onDisk.get().getEntries()).containsExactly(first, second);
            assertThat(dir.resolve(TaskLocalSnapshotStore.MANIFEST + ".tmp")).doesNotExist();

            LocalFileRef ref = store.lookup("file:/primary/one").orElseThrow();
            assertThat(ref.getScope()).isEqualTo(SCOPE_A);
            assertThat(ref.getCheckpointId()).isEqualTo(5L);
            assertThat(ref.getEntry()).isEqualTo(first);
            assertThat(ref.getPath()).isEqualTo(dir.resolve(first.getFileName()));
            assertThat(ref.getPath()).hasBinaryContent(bytes(100, 1));
            assertThat(store.lookup("file:/primary/two").orElseThrow().getEntry())
                    .isEqualTo(second);
            assertThat(store.lookup("file:/primary/unknown")).isEmpty();

            assertThat(store.committedCheckpoints(SCOPE_A)).containsExactly(5L);
            assertThat(store.scopes(JOB)).containsExactly(SCOPE_A);
            assertThat(store.getBytesHeld()).isEqualTo(107L);
        }
    }

    @Test
    void commitWithoutFilesKeepsNothing() throws IOException {
        try (TaskLocalSnapshotStore store = open(1)) {
            PendingLocalCheckpoint pending = store.begin(SCOPE_A, 1);
            TaskLocalSnapshotStore.createOwnerOnlyDirectories(pending.getDirectory());

            assertThat(store.commit(pending, List.of())).isFalse();

            assertThat(pending.getDirectory()).doesNotExist();
            assertThat(store.committedCheckpoints(SCOPE_A)).isEmpty();
        }
    }

    // ------------------------------------------------------------------------
    //  retention
    // ------------------------------------------------------------------------

    /**
     * A job with operator state only on this TaskManager gets no checkpoint notifications (Flink
     * notifies keyed state backends only): K still counts, as the newest K + 2 checkpoints.
     */
    @Test
    void aJobWithoutNotificationsKeepsTheNewestKPlusTwoCheckpoints() throws IOException {
        try (TaskLocalSnapshotStore store = open(3)) {
            for (long id = 1; id <= 7; id++) {
                PendingLocalCheckpoint pending = store.begin(SCOPE_A, id);
                assertThat(
                                store.commit(
                                        pending,
                                        List.of(writeFile(pending, "file:/p/" + id, bytes(3, 1)))))
                        .isTrue();
            }

            assertThat(store.committedCheckpoints(SCOPE_A)).containsExactly(3L, 4L, 5L, 6L, 7L);

            // the first notification: from now on completed and aborted ones are told apart (3 to
            // 5 were not confirmed although 6 was: aborted)
            store.confirm(JOB, 6);
            assertThat(store.committedCheckpoints(SCOPE_A)).containsExactly(6L, 7L);
        }
    }

    @Test
    void retentionWithOneConfirmedCheckpoint() throws IOException {
        try (TaskLocalSnapshotStore store = open(1)) {
            commitCheckpoint(store, SCOPE_A, 1);
            store.confirm(JOB, 1);
            commitCheckpoint(store, SCOPE_A, 2);
            commitCheckpoint(store, SCOPE_A, 3);
            // 1 is the newest confirmed; 2 and 3 are in progress (newer) and stay
            assertThat(checkpointsOnDisk(SCOPE_A)).containsExactly(1L, 2L, 3L);

            store.confirm(JOB, 2);
            assertThat(checkpointsOnDisk(SCOPE_A)).containsExactly(2L, 3L);
            assertThat(store.lookup(primaryId(SCOPE_A, 1))).isEmpty();
            assertThat(store.lookup(primaryId(SCOPE_A, 2))).isPresent();

            commitCheckpoint(store, SCOPE_A, 4);
            commitCheckpoint(store, SCOPE_A, 5);
            // at most two unconfirmed checkpoints newer than the newest confirmed are kept
            assertThat(checkpointsOnDisk(SCOPE_A)).containsExactly(2L, 4L, 5L);
            assertThat(store.lookup(primaryId(SCOPE_A, 3))).isEmpty();

            store.confirm(JOB, 5);
            // 4 is older than the newest confirmed checkpoint and was never confirmed
            assertThat(checkpointsOnDisk(SCOPE_A)).containsExactly(5L);
            assertThat(store.committedCheckpoints(SCOPE_A)).containsExactly(5L);
            assertThat(store.lookup(primaryId(SCOPE_A, 4))).isEmpty();
            assertThat(store.lookup(primaryId(SCOPE_A, 5))).isPresent();
            assertThat(store.getBytesHeld()).isEqualTo(fileSize(5));
        }
    }

    @Test
    void retentionWithThreeConfirmedCheckpoints() throws IOException {
        try (TaskLocalSnapshotStore store = open(1)) {
            store.registerJob(JOB, 3);
            for (long id = 1; id <= 4; id++) {
                commitCheckpoint(store, SCOPE_A, id);
                commitCheckpoint(store, SCOPE_B, id);
                store.confirm(JOB, id);
            }
            commitCheckpoint(store, SCOPE_A, 5);
            commitCheckpoint(store, SCOPE_B, 5);
            // newest three confirmed (2, 3, 4) plus the one in progress (5)
            assertThat(checkpointsOnDisk(SCOPE_A)).containsExactly(2L, 3L, 4L, 5L);
            assertThat(checkpointsOnDisk(SCOPE_B)).containsExactly(2L, 3L, 4L, 5L);
            assertThat(store.lookup(primaryId(SCOPE_A, 1))).isEmpty();

            store.confirm(JOB, 5);
            assertThat(checkpointsOnDisk(SCOPE_A)).containsExactly(3L, 4L, 5L);
            assertThat(checkpointsOnDisk(SCOPE_B)).containsExactly(3L, 4L, 5L);
            assertThat(store.committedCheckpoints(SCOPE_A)).containsExactly(3L, 4L, 5L);
            assertThat(store.lookup(primaryId(SCOPE_A, 2))).isEmpty();
            assertThat(store.lookup(primaryId(SCOPE_B, 3))).isPresent();
            assertThat(store.getBytesHeld())
                    .isEqualTo(2 * (fileSize(3) + fileSize(4) + fileSize(5)));

            // lowering K prunes at once
            store.registerJob(JOB, 1);
            assertThat(checkpointsOnDisk(SCOPE_A)).containsExactly(5L);
            assertThat(checkpointsOnDisk(SCOPE_B)).containsExactly(5L);
        }
    }

    @Test
    void unconfirmedCheckpointsAreLimitedToTheTwoNewest() throws IOException {
        try (TaskLocalSnapshotStore store = open(1)) {
            store.abort(JOB, 0); // the job gets notifications on this TaskManager
            commitCheckpoint(store, SCOPE_A, 1);
            commitCheckpoint(store, SCOPE_A, 2);
            commitCheckpoint(store, SCOPE_A, 3);

            assertThat(checkpointsOnDisk(SCOPE_A)).containsExactly(2L, 3L);
        }
    }

    @Test
    void abortDeletesTheCheckpoint() throws IOException {
        try (TaskLocalSnapshotStore store = open(1)) {
            commitCheckpoint(store, SCOPE_A, 1);
            store.confirm(JOB, 1);
            commitCheckpoint(store, SCOPE_A, 2);
            // several scopes whose only checkpoint is the aborted one
            commitCheckpoint(store, SCOPE_B, 2);
            commitCheckpoint(store, SCOPE_C, 2);

            store.abort(JOB, 2);

            assertThat(checkpointsOnDisk(SCOPE_A)).containsExactly(1L);
            assertThat(checkpointsOnDisk(SCOPE_B)).isEmpty();
            assertThat(checkpointsOnDisk(SCOPE_C)).isEmpty();
            assertThat(store.lookup(primaryId(SCOPE_A, 2))).isEmpty();
            assertThat(store.lookup(primaryId(SCOPE_B, 2))).isEmpty();
            assertThat(store.lookup(primaryId(SCOPE_C, 2))).isEmpty();
            assertThat(store.scopes(JOB)).containsExactly(SCOPE_A);

            // a confirmed checkpoint cannot be aborted any more
            store.abort(JOB, 1);
            assertThat(checkpointsOnDisk(SCOPE_A)).containsExactly(1L);
            assertThat(store.lookup(primaryId(SCOPE_A, 1))).isPresent();
        }
    }

    @Test
    void abortOfAPendingCheckpointMakesItsCommitFail() throws IOException {
        try (TaskLocalSnapshotStore store = open(1)) {
            PendingLocalCheckpoint pending = store.begin(SCOPE_A, 3);
            LocalFileEntry entry = writeFile(pending, "p", bytes(10, 3));

            store.abort(JOB, 3);

            assertThat(store.isWanted(pending)).isFalse();
            assertThat(store.commit(pending, List.of(entry))).isFalse();
            assertThat(pending.getDirectory()).doesNotExist();
            assertThat(store.lookup("p")).isEmpty();
        }
    }

    @Test
    void supersededCheckpointLeavesItsSuccessorsDirectoryAlone() throws IOException {
        try (TaskLocalSnapshotStore store = open(1)) {
            // the same scope snapshots the same checkpoint id again before the first one finished
            PendingLocalCheckpoint first = store.begin(SCOPE_A, 4);
            LocalFileEntry stale = writeFile(first, "file:/primary/stale", bytes(10, 1));
            PendingLocalCheckpoint second = store.begin(SCOPE_A, 4);
            assertThat(second.getDirectory()).isEqualTo(first.getDirectory());
            LocalFileEntry fresh = writeFile(second, "file:/primary/fresh", bytes(20, 2));

            assertThat(store.commit(first, List.of(stale))).isFalse();
            store.discard(first);
            assertThat(second.getDirectory().resolve(fresh.getFileName())).exists();

            assertThat(store.commit(second, List.of(fresh))).isTrue();
            assertThat(store.lookup("file:/primary/fresh")).isPresent();
            assertThat(store.lookup("file:/primary/stale")).isEmpty();
        }
    }

    @Test
    void restoredDeletesNewerCheckpointsOfThatScopeOnly() throws IOException {
        try (TaskLocalSnapshotStore store = open(3)) {
            for (long id = 1; id <= 2; id++) {
                commitCheckpoint(store, SCOPE_A, id);
                store.confirm(JOB, id);
            }
            commitCheckpoint(store, SCOPE_A, 3);
            commitCheckpoint(store, SCOPE_A, 4);
            commitCheckpoint(store, SCOPE_B, 3);
            assertThat(checkpointsOnDisk(SCOPE_A)).containsExactly(1L, 2L, 3L, 4L);

            store.restored(SCOPE_A, 2);

            assertThat(checkpointsOnDisk(SCOPE_A)).containsExactly(1L, 2L);
            assertThat(store.lookup(primaryId(SCOPE_A, 3))).isEmpty();
            assertThat(store.lookup(primaryId(SCOPE_A, 4))).isEmpty();
            assertThat(store.lookup(primaryId(SCOPE_A, 2))).isPresent();
            // another scope's newer copies are not this scope's abandoned history
            assertThat(checkpointsOnDisk(SCOPE_B)).containsExactly(3L);
            assertThat(store.lookup(primaryId(SCOPE_B, 3))).isPresent();
        }
    }

    @Test
    void releasedJobIsCollectedInTheBackgroundAfterItsLifetime() throws Exception {
        LocalSnapshotScope otherJob =
                new LocalSnapshotScope("job2", "opA", 0, LocalSnapshotScope.Kind.KEYED);
        try (TaskLocalSnapshotStore store = open(1, Duration.ZERO)) {
            commitCheckpoint(store, SCOPE_A, 1);
            commitCheckpoint(store, SCOPE_B, 1);
            commitCheckpoint(store, otherJob, 1);

            store.releaseJob(JOB);
            store.awaitHousekeeping();

            assertThat(root().resolve("job_" + JOB)).doesNotExist();
            assertThat(store.lookup(primaryId(SCOPE_A, 1))).isEmpty();
            assertThat(store.lookup(primaryId(SCOPE_B, 1))).isEmpty();
            assertThat(store.scopes(JOB)).isEmpty();
            assertThat(checkpointsOnDisk(otherJob)).containsExactly(1L);
            assertThat(store.lookup(primaryId(otherJob, 1))).isPresent();
            assertThat(store.getBytesHeld()).isEqualTo(fileSize(1));
        }
    }

    @Test
    void aCopyWrittenWhileItsJobIsCollectedLeavesNoJobDirectoryBehind() throws Exception {
        try (TaskLocalSnapshotStore store = open(1, Duration.ZERO)) {
            commitCheckpoint(store, SCOPE_A, 1);
            PendingLocalCheckpoint late = store.begin(SCOPE_A, 2);

            store.releaseJob(JOB);
            store.awaitHousekeeping();
            assertThat(root().resolve("job_" + JOB)).doesNotExist();
            // the snapshot's writer was still running: it creates the job's directory again
            LocalFileEntry entry = writeFile(late, primaryId(SCOPE_A, 2), content(SCOPE_A, 2));

            assertThat(store.commit(late, List.of(entry))).isFalse();
            store.awaitHousekeeping();

            assertThat(root().resolve("job_" + JOB)).doesNotExist();
            assertThat(store.lookup(primaryId(SCOPE_A, 2))).isEmpty();
            assertThat(store.getBytesHeld()).isZero();
        }
    }

    @Test
    void releasedJobKeepsItsCopiesWithinTheLifetime() throws Exception {
        try (TaskLocalSnapshotStore store = open(1, Duration.ofHours(1))) {
            commitCheckpoint(store, SCOPE_A, 1);
            store.confirm(JOB, 1);

            store.releaseJob(JOB);
            store.awaitHousekeeping();

            // still on disk and found: a job (or a new one from the same checkpoint) coming back
            assertThat(checkpointsOnDisk(SCOPE_A)).containsExactly(1L);
            assertThat(store.lookup(primaryId(SCOPE_A, 1))).isPresent();
            assertThat(root().resolve("job_" + JOB).resolve(TaskLocalSnapshotStore.RELEASED_MARKER))
                    .isRegularFile();
        }
        // a restart within the lifetime keeps them, still released
        try (TaskLocalSnapshotStore store = open(1, Duration.ofHours(1))) {
            assertThat(store.lookup(primaryId(SCOPE_A, 1))).isPresent();
        }
        // past the lifetime, the next start collects them
        try (TaskLocalSnapshotStore store = open(1, Duration.ZERO)) {
            assertThat(store.lookup(primaryId(SCOPE_A, 1))).isEmpty();
            assertThat(root().resolve("job_" + JOB)).doesNotExist();
        }
    }

    @Test
    void jobComingBackIsNoLongerReleased() throws Exception {
        try (TaskLocalSnapshotStore store = open(1, Duration.ofHours(1))) {
            commitCheckpoint(store, SCOPE_A, 1);
            store.releaseJob(JOB);
            store.awaitHousekeeping();
            assertThat(root().resolve("job_" + JOB).resolve(TaskLocalSnapshotStore.RELEASED_MARKER))
                    .exists();

            store.registerJob(JOB, 1);
            store.awaitHousekeeping();
            assertThat(root().resolve("job_" + JOB).resolve(TaskLocalSnapshotStore.RELEASED_MARKER))
                    .doesNotExist();
        }
        // not released any more: even a zero lifetime does not collect it at the next start
        try (TaskLocalSnapshotStore store = open(1, Duration.ZERO)) {
            assertThat(store.lookup(primaryId(SCOPE_A, 1))).isPresent();
        }
    }

    @Test
    void confirmOfACheckpointStillBeingWrittenKeepsTheCommittedOne() throws Exception {
        try (TaskLocalSnapshotStore store = open(1)) {
            commitCheckpoint(store, SCOPE_A, 1);
            store.confirm(JOB, 1);
            PendingLocalCheckpoint second = store.begin(SCOPE_A, 2);
            LocalFileEntry entry = writeFile(second, primaryId(SCOPE_A, 2), content(SCOPE_A, 2));

            // normal for RocksDB: the checkpoint completes before its local copy is committed
            store.confirm(JOB, 2);
            assertThat(checkpointsOnDisk(SCOPE_A)).contains(1L);
            assertThat(store.lookup(primaryId(SCOPE_A, 1))).isPresent();

            // its local commit fails: checkpoint 1 is still there to restore from
            store.discard(second);
            assertThat(checkpointsOnDisk(SCOPE_A)).containsExactly(1L);
            assertThat(store.lookup(primaryId(SCOPE_A, 1))).isPresent();

            // committed: it replaces checkpoint 1
            PendingLocalCheckpoint third = store.begin(SCOPE_A, 3);
            LocalFileEntry third3 = writeFile(third, primaryId(SCOPE_A, 3), content(SCOPE_A, 3));
            store.confirm(JOB, 3);
            assertThat(store.lookup(primaryId(SCOPE_A, 1))).isPresent();
            assertThat(store.commit(third, List.of(third3))).isTrue();
            assertThat(checkpointsOnDisk(SCOPE_A)).containsExactly(3L);
            assertThat(entry.getFileName()).isNotEmpty();
        }
    }

    @Test
    void restartKeepsTheConfirmedCheckpointTheRestoreNeeds() throws Exception {
        try (TaskLocalSnapshotStore store = open(1)) {
            commitCheckpoint(store, SCOPE_A, 4);
            store.confirm(JOB, 4);
            // committed locally, but the process dies before the checkpoint completes
            commitCheckpoint(store, SCOPE_A, 5);
        }
        try (TaskLocalSnapshotStore store = open(1)) {
            assertThat(checkpointsOnDisk(SCOPE_A)).containsExactly(4L, 5L);
            assertThat(store.lookup(primaryId(SCOPE_A, 4))).isPresent();

            store.restored(SCOPE_A, 4);

            assertThat(checkpointsOnDisk(SCOPE_A)).containsExactly(4L);
            assertThat(store.lookup(primaryId(SCOPE_A, 4))).isPresent();
            assertThat(store.lookup(primaryId(SCOPE_A, 5))).isEmpty();
        }
    }

    @Test
    void rollbackForgetsConfirmationsOfTheAbandonedHistory() throws Exception {
        try (TaskLocalSnapshotStore store = open(1)) {
            for (long id = 1; id <= 5; id++) {
                commitCheckpoint(store, SCOPE_A, id);
                store.confirm(JOB, id);
            }
            // the job goes back to checkpoint 2 under the same id; its new history reuses 3
            store.restored(SCOPE_A, 2);
            commitCheckpoint(store, SCOPE_A, 3);

            assertThat(checkpointsOnDisk(SCOPE_A)).containsExactly(3L);
            assertThat(store.lookup(primaryId(SCOPE_A, 3))).isPresent();
            store.confirm(JOB, 3);
            assertThat(checkpointsOnDisk(SCOPE_A)).containsExactly(3L);
        }
    }

    // ------------------------------------------------------------------------
    //  a hung local disk
    // ------------------------------------------------------------------------

    @Test
    void aManifestWriteThatHangsDelaysNoOtherCallerOfTheStore() throws Exception {
        CountDownLatch hung = new CountDownLatch(1);
        CountDownLatch released = new CountDownLatch(1);
        // the fsync of SCOPE_C's manifest blocks, like a hung disk
        MetadataWriter hangingDisk =
                (target, content) -> {
                    if (target.toString().contains("op_opC")) {
                        hung.countDown();
                        try {
                            released.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new IOException(e);
                        }
                    }
                    AtomicFiles.write(target, content);
                };
        ExecutorService committer = Executors.newSingleThreadExecutor();
        try (TaskLocalSnapshotStore store =
                TaskLocalSnapshotStore.open(
                        List.of(root()),
                        1,
                        Duration.ofHours(1),
                        DiskBudget.UNLIMITED,
                        BudgetEnforcer.FileSystemSpace.DEFAULT,
                        hangingDisk)) {
            commitCheckpoint(store, SCOPE_A, 1);
            store.confirm(JOB, 1);
            PendingLocalCheckpoint stuck = store.begin(SCOPE_C, 2);
            LocalFileEntry entry = writeFile(stuck, primaryId(SCOPE_C, 2), content(SCOPE_C, 2));
            Future<Boolean> stuckCommit =
                    committer.submit(() -> store.commit(stuck, List.of(entry)));
            assertThat(hung.await(1, TimeUnit.MINUTES)).as("the manifest write started").isTrue();

            // every other task goes on: snapshots begin and commit, restores find their copies,
            // checkpoints are confirmed and aborted
            assertTimeoutPreemptively(
                    Duration.ofSeconds(20),
                    () -> {
                        commitCheckpoint(store, SCOPE_B, 2);
                        assertThat(store.lookup(primaryId(SCOPE_A, 1))).isPresent();
                        assertThat(store.awaitWritten(JOB, 1, 0)).isTrue();
                        store.restored(SCOPE_A, 1);
                        store.confirm(JOB, 2);
                        store.abort(JOB, 3);
                        store.releaseJob("another-job");
                    });
            assertThat(stuckCommit).isNotDone();

            released.countDown();
            assertThat(stuckCommit.get(1, TimeUnit.MINUTES)).isTrue();
            assertThat(store.lookup(primaryId(SCOPE_C, 2))).isPresent();
        } finally {
            released.countDown();
            committer.shutdownNow();
        }
    }

    // ------------------------------------------------------------------------
    //  hostile directories and files
    // ------------------------------------------------------------------------

    @Test
    void startUpNeverFollowsSymbolicLinks() throws Exception {
        Path outside = tmp.resolve("outside");
        Files.createDirectories(outside.resolve("chk_1"));
        Files.write(outside.resolve("victim"), bytes(10, 1));
        Files.write(outside.resolve("chk_1").resolve("victim"), bytes(10, 2));
        try (TaskLocalSnapshotStore store = open(1)) {
            commitCheckpoint(store, SCOPE_A, 1);
        }
        Path checkpoint = scopeDir(SCOPE_A).resolve("chk_1");
        String dataFile = firstListedFile(checkpoint);
        // a job directory, a scope directory and a checkpoint directory that are links, and a
        // listed local file replaced by a link
        Files.createSymbolicLink(root().resolve("job_evil"), outside);
        Files.createSymbolicLink(
                root().resolve("job_" + JOB).resolve("op_evil_st_0_keyed"), outside);
        Files.createSymbolicLink(scopeDir(SCOPE_A).resolve("chk_9"), outside.resolve("chk_1"));
        Files.delete(checkpoint.resolve(dataFile));
        Files.createSymbolicLink(checkpoint.resolve(dataFile), outside.resolve("victim"));

        try (TaskLocalSnapshotStore store = open(1)) {
            assertThat(root().resolve("job_evil")).doesNotExist();
            assertThat(root().resolve("job_" + JOB).resolve("op_evil_st_0_keyed")).doesNotExist();
            assertThat(scopeDir(SCOPE_A).resolve("chk_9")).doesNotExist();
            assertThat(store.lookup(primaryId(SCOPE_A, 1))).isEmpty();
        }
        assertThat(outside.resolve("victim")).hasBinaryContent(bytes(10, 1));
        assertThat(outside.resolve("chk_1").resolve("victim")).hasBinaryContent(bytes(10, 2));
    }

    @Test
    void rootThatIsALinkIsRefused() throws Exception {
        Path real = tmp.resolve("real");
        TaskLocalSnapshotStore.createOwnerOnlyDirectories(real);
        Files.createDirectories(root().getParent());
        Files.createSymbolicLink(root(), real);

        assertThatThrownBy(() -> open(1))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("symbolic link")
                .hasMessageContaining("state.backend.local-recovery.dirs");
    }

    @Test
    void rootAccessibleToOtherUsersIsRefused() throws Exception {
        Assumptions.assumeTrue(
                FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        Files.createDirectories(root());
        Files.setPosixFilePermissions(root(), PosixFilePermissions.fromString("rwxrwxrwx"));

        assertThatThrownBy(() -> open(1))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("accessible to other users")
                .hasMessageContaining("chmod 700 " + root().toAbsolutePath())
                .hasMessageContaining("state.backend.local-recovery.dirs");
    }

    @Test
    void rootOfAnotherUserIsRefused() throws Exception {
        Assumptions.assumeTrue(
                FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        TaskLocalSnapshotStore.createOwnerOnlyDirectories(root());
        UserPrincipal nobody;
        try {
            nobody =
                    FileSystems.getDefault()
                            .getUserPrincipalLookupService()
                            .lookupPrincipalByName("nobody");
            Files.setOwner(root(), nobody);
        } catch (IOException e) {
            Assumptions.abort("cannot give the directory to another user here: " + e);
            return;
        }

        assertThatThrownBy(() -> open(1))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("belongs to nobody")
                .hasMessageContaining("state.backend.local-recovery.dirs");
    }

    @Test
    void hugeManifestIsNotRead() throws Exception {
        try (TaskLocalSnapshotStore store = open(1)) {
            commitCheckpoint(store, SCOPE_A, 1);
        }
        Path manifest = scopeDir(SCOPE_A).resolve("chk_1").resolve(TaskLocalSnapshotStore.MANIFEST);
        try (RandomAccessFile file = new RandomAccessFile(manifest.toFile(), "rw")) {
            // sparse; larger than any byte array: reading it whole is an OutOfMemoryError
            file.setLength(Integer.MAX_VALUE + 1L);
        }

        try (TaskLocalSnapshotStore store = open(1)) {
            assertThat(store.lookup(primaryId(SCOPE_A, 1))).isEmpty();
            assertThat(scopeDir(SCOPE_A).resolve("chk_1")).doesNotExist();
        }
    }

    // ------------------------------------------------------------------------
    //  start-up collection
    // ------------------------------------------------------------------------

    @Test
    void reopenCollectsLeftoversAndKeepsValidCheckpoints() throws IOException {
        try (TaskLocalSnapshotStore store = open(1)) {
            commitCheckpoint(store, SCOPE_A, 1);
            commitCheckpoint(store, SCOPE_B, 2);
        }
        Path valid = scopeDir(SCOPE_A).resolve("chk_1");
        String validFile = firstListedFile(valid);

        // a local checkpoint that never got its manifest
        Path incomplete = scopeDir(SCOPE_A).resolve("chk_3");
        Files.createDirectories(incomplete);
        Files.write(incomplete.resolve("abc.data"), bytes(50, 9));
        // a temporary file and a file no manifest lists, next to a valid checkpoint
        Files.write(valid.resolve("def.data.tmp"), bytes(5, 1));
        Files.write(valid.resolve("unlisted.data"), bytes(5, 2));
        // a manifest with a flipped byte
        Path corrupt = scopeDir(SCOPE_B).resolve("chk_2");
        flipByte(corrupt.resolve(TaskLocalSnapshotStore.MANIFEST), 10);
        // things that are not ours
        Files.write(root().resolve("README"), "not ours".getBytes(StandardCharsets.UTF_8));
        Path unknownScope = root().resolve("job_" + JOB).resolve("something_else");
        Files.createDirectories(unknownScope);

        try (TaskLocalSnapshotStore store = open(1)) {
            assertThat(incomplete).doesNotExist();
            assertThat(valid.resolve("def.data.tmp")).doesNotExist();
            assertThat(valid.resolve("unlisted.data")).doesNotExist();
            assertThat(corrupt).doesNotExist();
            assertThat(scopeDir(SCOPE_B)).doesNotExist();
            assertThat(unknownScope).doesNotExist();
            assertThat(root().resolve("README")).hasContent("not ours");

            assertThat(filesIn(valid))
                    .containsExactlyInAnyOrder(TaskLocalSnapshotStore.MANIFEST, validFile);
            LocalFileRef ref = store.lookup(primaryId(SCOPE_A, 1)).orElseThrow();
            assertThat(ref.getPath()).isEqualTo(valid.resolve(validFile));
            assertThat(ref.getPath()).hasBinaryContent(content(SCOPE_A, 1));
            assertThat(ref.getCheckpointId()).isEqualTo(1L);
            assertThat(store.lookup(primaryId(SCOPE_B, 2))).isEmpty();
            assertThat(store.committedCheckpoints(SCOPE_A)).containsExactly(1L);
            assertThat(store.committedCheckpoints(SCOPE_B)).isEmpty();
            assertThat(store.getBytesHeld()).isEqualTo(fileSize(1));
        }
    }

    @Test
    void startUpMovesWhatItCollectsOutOfTheWayAtOnceAndDeletesItInTheBackground() throws Exception {
        try (TaskLocalSnapshotStore store = open(1)) {
            commitCheckpoint(store, SCOPE_A, 1);
        }
        Path incomplete = scopeDir(SCOPE_A).resolve("chk_2");
        Files.createDirectories(incomplete.resolve("sub"));
        Files.write(incomplete.resolve("sub").resolve("big.data"), bytes(100_000, 3));

        try (TaskLocalSnapshotStore store = open(1)) {
            // gone from its place when open returns; the deletion may still be running
            assertThat(incomplete).doesNotExist();
            assertThat(entriesIn(root()))
                    .allMatch(
                            name ->
                                    name.equals("job_" + JOB)
                                            || name.equals(".lock")
                                            || name.equals(StoreLayout.MARKER)
                                            || name.equals(ClusterMarker.MARKER)
                                            || name.startsWith(".deleting-chk_2-"));

            store.awaitHousekeeping();
            assertThat(entriesIn(root()))
                    .containsExactlyInAnyOrder(
                            "job_" + JOB, ".lock", StoreLayout.MARKER, ClusterMarker.MARKER);
            assertThat(store.committedCheckpoints(SCOPE_A)).containsExactly(1L);
        }
    }

    @Test
    void copiesInTheLayoutOfAnotherStoreVersionAreCollected() throws Exception {
        try (TaskLocalSnapshotStore store = open(1)) {
            commitCheckpoint(store, SCOPE_A, 1);
        }
        assertThat(StoreLayout.read(root())).hasValue(StoreLayout.CURRENT);
        StoreLayout.write(root(), StoreLayout.CURRENT + 1);

        try (TaskLocalSnapshotStore store = open(1)) {
            assertThat(store.lookup(primaryId(SCOPE_A, 1))).isEmpty();
            assertThat(store.committedCheckpoints(SCOPE_A)).isEmpty();
            assertThat(root().resolve("job_" + JOB)).doesNotExist();
            store.awaitHousekeeping();
            assertThat(entriesIn(root()))
                    .containsExactlyInAnyOrder(".lock", StoreLayout.MARKER, ClusterMarker.MARKER);
            assertThat(StoreLayout.read(root())).hasValue(StoreLayout.CURRENT);

            commitCheckpoint(store, SCOPE_A, 2); // the root is the store's own again
        }
        try (TaskLocalSnapshotStore store = open(1)) {
            assertThat(store.committedCheckpoints(SCOPE_A)).containsExactly(2L);
        }
    }

    @Test
    void anUnreadableLayoutMarkerMeansAnotherLayoutAndNoMarkerTheCurrentOne() throws Exception {
        try (TaskLocalSnapshotStore store = open(1)) {
            commitCheckpoint(store, SCOPE_A, 1);
        }
        // a root written before the marker existed: its copies are of the current layout
        Files.delete(root().resolve(StoreLayout.MARKER));
        try (TaskLocalSnapshotStore store = open(1)) {
            assertThat(store.committedCheckpoints(SCOPE_A)).containsExactly(1L);
        }
        assertThat(StoreLayout.read(root())).hasValue(StoreLayout.CURRENT);

        Files.write(root().resolve(StoreLayout.MARKER), "garbage".getBytes(StandardCharsets.UTF_8));
        assertThat(StoreLayout.read(root())).hasValue(-1);
        try (TaskLocalSnapshotStore store = open(1)) {
            assertThat(store.committedCheckpoints(SCOPE_A)).isEmpty();
        }
    }

    private static List<String> entriesIn(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).collect(Collectors.toList());
        }
    }

    @Test
    void reopenDropsEntriesWhoseFileIsMissingOrHasTheWrongSize() throws IOException {
        PendingLocalCheckpoint pending;
        LocalFileEntry kept;
        LocalFileEntry truncated;
        try (TaskLocalSnapshotStore store = open(1)) {
            pending = store.begin(SCOPE_A, 1);
            kept = writeFile(pending, "kept", bytes(20, 1));
            truncated = writeFile(pending, "truncated", bytes(20, 2));
            assertThat(store.commit(pending, List.of(kept, truncated))).isTrue();
        }
        Files.write(pending.getDirectory().resolve(truncated.getFileName()), bytes(3, 2));

        try (TaskLocalSnapshotStore store = open(1)) {
            assertThat(store.lookup("kept")).isPresent();
            assertThat(store.lookup("truncated")).isEmpty();
            assertThat(store.getBytesHeld()).isEqualTo(20L);
        }
    }

    @Test
    void crashWhileWritingTheManifestMeansNoLocalCopy() throws IOException {
        Path dir;
        try (TaskLocalSnapshotStore store = open(1)) {
            PendingLocalCheckpoint pending = store.begin(SCOPE_A, 1);
            LocalFileEntry entry = writeFile(pending, "crashed", bytes(30, 4));
            dir = pending.getDirectory();
            // the process died after writing the temporary manifest, before the rename
            byte[] manifest = new LocalCheckpointManifest(SCOPE_A, 1, List.of(entry)).toBytes();
            Files.write(dir.resolve(TaskLocalSnapshotStore.MANIFEST + ".tmp"), manifest);

            assertThat(store.lookup("crashed")).isEmpty();
            assertThat(LocalCheckpointManifest.read(dir)).isEmpty();
        }

        try (TaskLocalSnapshotStore store = open(1)) {
            assertThat(store.lookup("crashed")).isEmpty();
            assertThat(store.committedCheckpoints(SCOPE_A)).isEmpty();
            assertThat(dir).doesNotExist();
            assertThat(store.getBytesHeld()).isZero();
        }
    }

    @Test
    void manifestOfAnotherCheckpointOrScopeIsNotTrusted() throws IOException {
        Path dir = scopeDir(SCOPE_A).resolve("chk_7");
        TaskLocalSnapshotStore.createOwnerOnlyDirectories(dir);
        Files.write(dir.resolve("a.data"), bytes(4, 1));
        // a manifest that claims to be checkpoint 8 of another scope
        Files.write(
                dir.resolve(TaskLocalSnapshotStore.MANIFEST),
                new ManifestBytes(SCOPE_B, 8)
                        .entry("moved", "a.data", 4, crc(bytes(4, 1)))
                        .build());

        try (TaskLocalSnapshotStore store = open(1)) {
            assertThat(store.lookup("moved")).isEmpty();
            assertThat(dir).doesNotExist();
        }
    }

    // ------------------------------------------------------------------------
    //  path safety
    // ------------------------------------------------------------------------

    @Test
    void entriesWithUnsafeFileNamesCannotBeBuilt() {
        for (String name :
                List.of("../../x", "a/b", "/abs", "..", ".hidden", "", "a\\b", "x/../y")) {
            assertThatThrownBy(() -> new LocalFileEntry("p", name, 1, 0))
                    .as("file name '%s'", name)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(new LocalFileEntry("p", "0a1b-c_d.data", 1, 0).getFileName())
                .isEqualTo("0a1b-c_d.data");
    }

    @Test
    void craftedManifestEscapingTheRootIsTreatedAsUnreadable() throws IOException {
        // root = <tmp>/local; a checkpoint directory is four levels below <tmp>
        Path victim = tmp.resolve("victim");
        byte[] victimContent = "must survive".getBytes(StandardCharsets.UTF_8);
        Files.write(victim, victimContent);

        Path escaping = scopeDir(SCOPE_A).resolve("chk_1");
        Path slashed = scopeDir(SCOPE_A).resolve("chk_2");
        TaskLocalSnapshotStore.createOwnerOnlyDirectories(escaping);
        TaskLocalSnapshotStore.createOwnerOnlyDirectories(slashed.resolve("sub"));
        Files.write(slashed.resolve("sub").resolve("victim"), victimContent);
        assertThat(escaping.resolve("../../../../victim").normalize()).isEqualTo(victim);

        Files.write(
                escaping.resolve(TaskLocalSnapshotStore.MANIFEST),
                new ManifestBytes(SCOPE_A, 1)
                        .entry(
                                "escape",
                                "../../../../victim",
                                victimContent.length,
                                crc(victimContent))
                        .entry(
                                "escape2",
                                "../../sub/victim",
                                victimContent.length,
                                crc(victimContent))
                        .build());
        Files.write(
                slashed.resolve(TaskLocalSnapshotStore.MANIFEST),
                new ManifestBytes(SCOPE_A, 2)
                        .entry("slash", "sub/victim", victimContent.length, crc(victimContent))
                        .build());
        assertThat(LocalCheckpointManifest.read(escaping)).isEmpty();
        assertThat(LocalCheckpointManifest.read(slashed)).isEmpty();

        try (TaskLocalSnapshotStore store = open(1)) {
            assertThat(store.lookup("escape")).isEmpty();
            assertThat(store.lookup("escape2")).isEmpty();
            assertThat(store.lookup("slash")).isEmpty();
            assertThat(store.committedCheckpoints(SCOPE_A)).isEmpty();
            assertThat(escaping).doesNotExist();
            assertThat(slashed).doesNotExist();

            assertThat(victim).hasBinaryContent(victimContent);
            assertThat(store.getBytesHeld()).isZero();
        }
    }

    // ------------------------------------------------------------------------
    //  locking and life cycle
    // ------------------------------------------------------------------------

    @Test
    void secondOpenOfTheSameRootFailsWhileTheFirstIsOpen() throws IOException {
        TaskLocalSnapshotStore first = open(1);
        try {
            assertThatThrownBy(() -> open(1))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining(root().toString());
            // the first store is unaffected
            commitCheckpoint(first, SCOPE_A, 1);
            assertThat(first.lookup(primaryId(SCOPE_A, 1))).isPresent();
        } finally {
            first.close();
        }

        try (TaskLocalSnapshotStore second = open(1)) {
            assertThat(second.lookup(primaryId(SCOPE_A, 1))).isPresent();
        }
    }

    @Test
    void closedStoreRefusesNewCheckpoints() throws IOException {
        TaskLocalSnapshotStore store = open(1);
        PendingLocalCheckpoint pending = store.begin(SCOPE_A, 1);
        LocalFileEntry entry = writeFile(pending, "late", bytes(3, 3));
        store.close();

        assertThatThrownBy(() -> store.begin(SCOPE_A, 2)).isInstanceOf(IllegalStateException.class);
        assertThat(store.commit(pending, List.of(entry))).isFalse();
        assertThat(pending.getDirectory()).doesNotExist();
    }

    // ------------------------------------------------------------------------

    private Path scopeDir(LocalSnapshotScope scope) {
        return root().resolve("job_" + scope.getJobId())
                .resolve(
                        "op_"
                                + scope.getOperatorId()
                                + "_st_"
                                + scope.getSubtaskIndex()
                                + "_"
                                + (scope.getKind() == LocalSnapshotScope.Kind.KEYED
                                        ? "keyed"
                                        : "operator"));
    }

    /** The ids of the chk_ directories of a scope that are actually on disk. */
    private List<Long> checkpointsOnDisk(LocalSnapshotScope scope) throws IOException {
        Path dir = scopeDir(scope);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(dir)) {
            return children.map(p -> p.getFileName().toString())
                    .filter(name -> name.startsWith("chk_"))
                    .map(name -> Long.parseLong(name.substring(4)))
                    .sorted()
                    .collect(Collectors.toList());
        }
    }

    /** The name of the first local file the manifest of a checkpoint directory lists. */
    private static String firstListedFile(Path checkpointDir) {
        return LocalCheckpointManifest.read(checkpointDir)
                .orElseThrow()
                .getEntries()
                .get(0)
                .getFileName();
    }

    private static List<String> filesIn(Path dir) throws IOException {
        try (Stream<Path> children = Files.list(dir)) {
            return children.map(p -> p.getFileName().toString()).collect(Collectors.toList());
        }
    }

    private static String primaryId(LocalSnapshotScope scope, long checkpointId) {
        return "file:/primary/"
                + scope.getJobId()
                + "/"
                + scope.getOperatorId()
                + "/"
                + checkpointId;
    }

    private static int fileSize(long checkpointId) {
        return 10 + (int) checkpointId;
    }

    private static byte[] content(LocalSnapshotScope scope, long checkpointId) {
        return bytes(fileSize(checkpointId), scope.getOperatorId().hashCode() + (int) checkpointId);
    }

    /** Begins and commits a local checkpoint with one file, asserting the commit succeeded. */
    private static void commitCheckpoint(
            TaskLocalSnapshotStore store, LocalSnapshotScope scope, long checkpointId)
            throws IOException {
        PendingLocalCheckpoint pending = store.begin(scope, checkpointId);
        LocalFileEntry entry =
                writeFile(pending, primaryId(scope, checkpointId), content(scope, checkpointId));
        assertThat(store.commit(pending, List.of(entry))).isTrue();
    }

    private static LocalFileEntry writeFile(
            PendingLocalCheckpoint pending, String primaryId, byte[] data) throws IOException {
        TaskLocalSnapshotStore.createOwnerOnlyDirectories(pending.getDirectory());
        String name = pending.newFileName();
        Files.write(pending.getDirectory().resolve(name), data);
        return new LocalFileEntry(primaryId, name, data.length, crc(data));
    }

    private static int crc(byte[] data) {
        CRC32C crc = new CRC32C();
        crc.update(data);
        return (int) crc.getValue();
    }

    private static byte[] bytes(int length, int seed) {
        byte[] data = new byte[length];
        for (int i = 0; i < length; i++) {
            data[i] = (byte) (seed * 31 + i * 7);
        }
        return data;
    }

    private static void flipByte(Path file, int position) throws IOException {
        byte[] data = Files.readAllBytes(file);
        data[position] ^= 0x40;
        Files.write(file, data);
    }
}
