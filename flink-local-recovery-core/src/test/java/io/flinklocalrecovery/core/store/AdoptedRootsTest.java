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

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lock protocol of roots shared on one host: a root whose owner is gone is adopted by exactly
 * one live store of the same cluster, its copies found there by primary handle id and kept under
 * that store's retention; a live, foreign or unsafe root is never touched.
 */
class AdoptedRootsTest {

    private static final Duration LIFETIME = Duration.ofMinutes(10);
    private static final String CLUSTER = "cluster-a";
    private static final LocalSnapshotScope SCOPE =
            new LocalSnapshotScope("job1", "op1", 0, LocalSnapshotScope.Kind.KEYED);

    @TempDir Path shared;

    @TempDir Path elsewhere;

    /** The host directory the roots of a test share (one per round of a repeated test). */
    private Path base;

    @org.junit.jupiter.api.BeforeEach
    void useSharedDirectory() {
        base = shared;
    }

    @Test
    void theRootOfADeadTaskManagerIsAdoptedAndItsCopiesFoundByPrimaryHandleId() throws Exception {
        Path gone = rootWithCheckpoints("tm-gone", CLUSTER, 1, 2);

        try (TaskLocalSnapshotStore adopter = open("tm-adopter", CLUSTER)) {
            adopter.collectAbandonedRoots();

            assertThat(gone).doesNotExist();
            List<Path> adopted = AdoptedRoots.in(shared.resolve("tm-adopter"));
            assertThat(adopted).hasSize(1);
            assertThat(adopted.get(0).getFileName().toString()).startsWith("tm-gone-");
            LocalFileRef ref = adopter.lookup(primaryId(2)).orElseThrow();
            assertThat(ref.getPath()).startsWith(adopted.get(0));
            assertThat(ref.getOrigin()).isEqualTo(CopyOrigin.adoptedFrom("tm-gone"));
            assertThat(Files.readAllBytes(ref.getPath())).isEqualTo(content(2));
            assertThat(FileChecksums.crc32c(ref.getPath(), ref.getEntry().getSize()))
                    .isEqualTo(ref.getEntry().getCrc32c());
            assertThat(adopter.getBytesHeld()).isGreaterThan(0);
        }
    }

    @Test
    void aStaleLockFileWithoutHolderIsAdoptable() throws Exception {
        Path stale = rootWithCheckpoints("tm-crashed", CLUSTER, 1);
        // a process that died left its lock file with a token in it: no one holds the lock
        Files.writeString(stale.resolve(".lock"), "left by a dead process\n");

        try (TaskLocalSnapshotStore adopter = open("tm-adopter", CLUSTER)) {
            assertThat(adopter.adoptSiblingRoots()).isEqualTo(1);
            assertThat(adopter.lookup(primaryId(1))).isPresent();
        }
    }

    @Test
    void twoAdoptersRacingForOneDeadRootAdoptItExactlyOnce() throws Exception {
        for (int round = 0; round < 10; round++) {
            base = shared.resolve("round-" + round);
            Path gone = rootWithCheckpoints("tm-gone", CLUSTER, 1);
            try (TaskLocalSnapshotStore first = open("tm-first", CLUSTER);
                    TaskLocalSnapshotStore second = open("tm-second", CLUSTER)) {
                CyclicBarrier start = new CyclicBarrier(2);
                ExecutorService threads = Executors.newFixedThreadPool(2);
                try {
                    Future<Integer> a = threads.submit(() -> awaitThen(start, first));
                    Future<Integer> b = threads.submit(() -> awaitThen(start, second));
                    int adoptedByFirst = a.get(1, TimeUnit.MINUTES);
                    int adoptedBySecond = b.get(1, TimeUnit.MINUTES);
                    assertThat(adoptedByFirst + adoptedBySecond).isEqualTo(1);
                    assertThat(gone).doesNotExist();
                    TaskLocalSnapshotStore winner = adoptedByFirst == 1 ? first : second;
                    TaskLocalSnapshotStore loser = adoptedByFirst == 1 ? second : first;
                    assertThat(winner.lookup(primaryId(1)).orElseThrow().getOrigin().getKind())
                            .isEqualTo(CopyOrigin.Kind.ADOPTED);
                    assertThat(loser.adoptSiblingRoots()).isZero();
                    // the loser can still borrow the copy from the winner's adopted root
                    loser.collectAbandonedRoots();
                    LocalFileRef borrowed = loser.lookup(primaryId(1)).orElseThrow();
                    assertThat(borrowed.getOrigin().getKind()).isEqualTo(CopyOrigin.Kind.BORROWED);
                    assertThat(Files.readAllBytes(borrowed.getPath())).isEqualTo(content(1));
                } finally {
                    threads.shutdownNow();
                }
            }
        }
    }

    @Test
    void aRootHeldByALiveStoreIsNeverAdopted() throws Exception {
        try (TaskLocalSnapshotStore live = open("tm-live", CLUSTER)) {
            commit(live, 1);
            try (TaskLocalSnapshotStore other = open("tm-other", CLUSTER)) {
                other.collectAbandonedRoots();
                assertThat(other.adoptSiblingRoots()).isZero();
            }
            assertThat(shared.resolve("tm-live").resolve("job_job1")).isDirectory();
            assertThat(live.lookup(primaryId(1)).orElseThrow().getOrigin())
                    .isEqualTo(CopyOrigin.OWN);
        }
    }

    @Test
    void aRootWhoseLockAnotherChannelHoldsIsNeverAdopted() throws Exception {
        Path held = rootWithCheckpoints("tm-held", CLUSTER, 1);
        try (FileChannel channel =
                        FileChannel.open(held.resolve(".lock"), StandardOpenOption.WRITE);
                java.nio.channels.FileLock lock = channel.lock();
                TaskLocalSnapshotStore other = open("tm-other", CLUSTER)) {
            assertThat(lock.isValid()).isTrue();
            other.collectAbandonedRoots();
            assertThat(other.adoptSiblingRoots()).isZero();
            assertThat(held.resolve("job_job1")).isDirectory();
        }
    }

    @Test
    void anOwnerThatComesBackAfterTheAdoptionStartsAFreshEmptyRoot() throws Exception {
        Path gone = rootWithCheckpoints("tm-back", CLUSTER, 1);
        try (TaskLocalSnapshotStore adopter = open("tm-adopter", CLUSTER)) {
            assertThat(adopter.adoptSiblingRoots()).isEqualTo(1);

            try (TaskLocalSnapshotStore back = open("tm-back", CLUSTER)) {
                assertThat(gone).isDirectory();
                assertThat(back.committedCheckpoints(SCOPE)).isEmpty();
                commit(back, 2); // the fresh root is its own: it writes and locks it
                assertThat(adopter.adoptSiblingRoots()).isZero();
            }
            assertThat(adopter.lookup(primaryId(1))).isPresent();
        }
    }

    @Test
    void rootsOfAnotherClusterAreNeverReadAdoptedOrDeleted() throws Exception {
        Path foreign = rootWithCheckpoints("tm-foreign", "cluster-b", 1);
        makeOld(foreign, LIFETIME.plusHours(1));

        try (TaskLocalSnapshotStore store = open("tm-self", CLUSTER)) {
            store.collectAbandonedRoots();
            store.awaitHousekeeping();
            assertThat(store.adoptSiblingRoots()).isZero();
            assertThat(store.lookup(primaryId(1))).isEmpty(); // not borrowed either
            assertThat(
                            AbandonedRoots.takeAway(
                                    shared.resolve("tm-self"),
                                    CLUSTER,
                                    Duration.ZERO,
                                    System.currentTimeMillis()))
                    .isEmpty();
        }
        assertThat(foreign.resolve("job_job1")).isDirectory();
        assertThat(ClusterMarker.read(foreign)).hasValue("cluster-b");
    }

    @Test
    void anUnsafeSiblingIsLeftAlone() throws Exception {
        Path groupWritable = rootWithCheckpoints("tm-group-writable", CLUSTER, 1);
        Files.setPosixFilePermissions(groupWritable, PosixFilePermissions.fromString("rwxrwx---"));
        Path target = rootWithCheckpoints("tm-target", CLUSTER, 2);
        Path moved = Files.move(target, elsewhere.resolve("tm-target"));
        Path link = Files.createSymbolicLink(shared.resolve("tm-link"), moved);

        try (TaskLocalSnapshotStore store = open("tm-self", CLUSTER)) {
            store.collectAbandonedRoots();
            store.awaitHousekeeping();
            assertThat(store.adoptSiblingRoots()).isZero();
            assertThat(store.lookup(primaryId(1))).isEmpty();
            assertThat(store.lookup(primaryId(2))).isEmpty();
        }
        assertThat(groupWritable.resolve("job_job1")).isDirectory();
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(moved.resolve("job_job1")).isDirectory();
    }

    @Test
    void aDirectoryWithoutTheStoresLockIsNotARootToAdopt() throws Exception {
        Path notARoot = rootWithCheckpoints("tm-no-lock", CLUSTER, 1);
        Files.delete(notARoot.resolve(".lock"));

        try (TaskLocalSnapshotStore store = open("tm-self", CLUSTER)) {
            assertThat(store.adoptSiblingRoots()).isZero();
        }
        assertThat(notARoot.resolve("job_job1")).isDirectory();
    }

    @Test
    void adoptedCopiesArePrunedByTheAdoptersRetention() throws Exception {
        rootWithCheckpoints("tm-gone", CLUSTER, 1);
        try (TaskLocalSnapshotStore adopter = open("tm-adopter", CLUSTER)) {
            adopter.registerJob("job1", 1); // the job runs here
            assertThat(adopter.adoptSiblingRoots()).isEqualTo(1);
            assertThat(adopter.committedCheckpoints(SCOPE)).containsExactly(1L);

            commit(adopter, 2);
            adopter.confirm("job1", 2);

            assertThat(adopter.committedCheckpoints(SCOPE)).containsExactly(2L);
            assertThat(adopter.lookup(primaryId(1))).isEmpty();
            adopter.awaitHousekeeping();
            assertThat(filesNamed(shared, "chk_1")).isEmpty();
        }
    }

    @Test
    void adoptedCopiesOfAJobThatDoesNotRunHereAreCollectedAfterTheReleasedLifetime()
            throws Exception {
        rootWithCheckpoints("tm-gone", CLUSTER, 1);
        Path own = shared.resolve("tm-adopter");
        try (TaskLocalSnapshotStore adopter =
                TaskLocalSnapshotStore.open(
                        List.of(own), 1, Duration.ZERO, DiskBudget.UNLIMITED, CLUSTER)) {
            assertThat(adopter.adoptSiblingRoots()).isEqualTo(1);
            // handled as unclaimed: kept for the unclaimed lifetime (at least 5 minutes)
            assertThat(adopter.lookup(primaryId(1))).isPresent();
        }
        // a job released long ago, adopted: collected when the adopter recovers the root
        Path gone = rootWithCheckpoints("tm-gone2", CLUSTER, 3);
        Path jobDir = gone.resolve("job_job1");
        Files.writeString(jobDir.resolve("_RELEASED"), Long.toString(1000L));
        try (TaskLocalSnapshotStore adopter =
                TaskLocalSnapshotStore.open(
                        List.of(own), 1, Duration.ofSeconds(1), DiskBudget.UNLIMITED, CLUSTER)) {
            assertThat(adopter.adoptSiblingRoots()).isEqualTo(1);
            assertThat(adopter.lookup(primaryId(3))).isEmpty();
            adopter.awaitHousekeeping();
            assertThat(filesNamed(shared, "chk_3")).isEmpty();
        }
    }

    @Test
    void theNextOpenOfTheAdopterRecoversItsAdoptedRoots() throws Exception {
        rootWithCheckpoints("tm-gone", CLUSTER, 1);
        try (TaskLocalSnapshotStore adopter = open("tm-adopter", CLUSTER)) {
            assertThat(adopter.adoptSiblingRoots()).isEqualTo(1);
        }
        try (TaskLocalSnapshotStore again = open("tm-adopter", CLUSTER)) {
            LocalFileRef ref = again.lookup(primaryId(1)).orElseThrow();
            assertThat(ref.getOrigin()).isEqualTo(CopyOrigin.adoptedFrom("tm-gone"));
            assertThat(again.committedCheckpoints(SCOPE)).containsExactly(1L);
        }
    }

    @Test
    void theRootsAnAdoptedRootHadAdoptedAreMovedUpFlat() throws Exception {
        rootWithCheckpoints("tm-first", CLUSTER, 1);
        try (TaskLocalSnapshotStore second = open("tm-second", CLUSTER)) {
            assertThat(second.adoptSiblingRoots()).isEqualTo(1);
            commit(second, 2);
        }
        try (TaskLocalSnapshotStore third = open("tm-third", CLUSTER)) {
            assertThat(third.adoptSiblingRoots()).isEqualTo(2);
            List<String> names =
                    AdoptedRoots.in(shared.resolve("tm-third")).stream()
                            .map(AdoptedRoots::originalName)
                            .collect(Collectors.toList());
            assertThat(names).containsExactlyInAnyOrder("tm-first", "tm-second");
            assertThat(third.lookup(primaryId(1)).orElseThrow().getOrigin())
                    .isEqualTo(CopyOrigin.adoptedFrom("tm-first"));
            assertThat(third.lookup(primaryId(2)).orElseThrow().getOrigin())
                    .isEqualTo(CopyOrigin.adoptedFrom("tm-second"));
        }
    }

    @Test
    void anEmptyAdoptedRootIsDeleted() throws Exception {
        Path empty = shared.resolve("tm-empty");
        TaskLocalSnapshotStore.open(List.of(empty), 1, LIFETIME, DiskBudget.UNLIMITED, CLUSTER)
                .close();
        try (TaskLocalSnapshotStore adopter = open("tm-adopter", CLUSTER)) {
            assertThat(adopter.adoptSiblingRoots()).isEqualTo(1);
            adopter.awaitHousekeeping();
            assertThat(AdoptedRoots.in(shared.resolve("tm-adopter"))).isEmpty();
        }
    }

    @Test
    void aRestoreMissAdoptsTheRootOfATaskManagerLostMeanwhile() throws Exception {
        try (TaskLocalSnapshotStore adopter = open("tm-adopter", CLUSTER)) {
            adopter.collectAbandonedRoots();
            rootWithCheckpoints("tm-lost", CLUSTER, 1); // lost while the adopter lives

            LocalFileRef ref = adopter.lookup(primaryId(1)).orElseThrow();

            assertThat(ref.getOrigin()).isEqualTo(CopyOrigin.adoptedFrom("tm-lost"));
        }
    }

    @Test
    void anOwnRootMarkedForAnotherClusterIsClaimedForThisOne() throws Exception {
        rootWithCheckpoints("tm-moved", "cluster-b", 1);
        try (TaskLocalSnapshotStore store = open("tm-moved", CLUSTER)) {
            assertThat(ClusterMarker.read(shared.resolve("tm-moved"))).hasValue(CLUSTER);
            // its copies are of no use to this cluster's jobs, but stay found until collected
            assertThat(store.lookup(primaryId(1))).isPresent();
        }
    }

    // ------------------------------------------------------------------------

    private static int awaitThen(CyclicBarrier start, TaskLocalSnapshotStore store)
            throws Exception {
        start.await(1, TimeUnit.MINUTES);
        return store.adoptSiblingRoots();
    }

    private TaskLocalSnapshotStore open(String name, String cluster) throws IOException {
        return TaskLocalSnapshotStore.open(
                List.of(base.resolve(name)), 1, LIFETIME, DiskBudget.UNLIMITED, cluster);
    }

    /** A root as a TaskManager leaves it when it dies: committed local checkpoints, no lock. */
    private Path rootWithCheckpoints(String name, String cluster, long... checkpointIds)
            throws IOException {
        try (TaskLocalSnapshotStore store = open(name, cluster)) {
            for (long id : checkpointIds) {
                commit(store, id);
            }
        }
        return base.resolve(name);
    }

    static void commit(TaskLocalSnapshotStore store, long checkpointId) throws IOException {
        PendingLocalCheckpoint pending = store.begin(SCOPE, checkpointId);
        TaskLocalSnapshotStore.createOwnerOnlyDirectories(pending.getDirectory());
        String file = pending.newFileName();
        byte[] data = content(checkpointId);
        Files.write(pending.getDirectory().resolve(file), data);
        CRC32C crc = new CRC32C();
        crc.update(data);
        assertThat(
                        store.commit(
                                pending,
                                List.of(
                                        new LocalFileEntry(
                                                primaryId(checkpointId),
                                                file,
                                                data.length,
                                                (int) crc.getValue()))))
                .isTrue();
    }

    static String primaryId(long checkpointId) {
        return "file:/primary/job1/op1/" + checkpointId;
    }

    static byte[] content(long checkpointId) {
        byte[] data = new byte[100 + (int) checkpointId];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (checkpointId * 31 + i * 7);
        }
        return data;
    }

    private static List<Path> filesNamed(Path dir, String name) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(p -> p.getFileName().toString().equals(name))
                    .collect(Collectors.toList());
        }
    }

    private static void makeOld(Path root, Duration age) throws IOException {
        FileTime then = FileTime.fromMillis(System.currentTimeMillis() - age.toMillis());
        try (Stream<Path> all = Files.walk(root)) {
            for (Path path : (Iterable<Path>) all::iterator) {
                Files.setLastModifiedTime(path, then);
            }
        }
    }
}
