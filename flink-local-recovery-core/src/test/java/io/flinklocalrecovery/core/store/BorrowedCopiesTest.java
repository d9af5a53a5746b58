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
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;

import static io.flinklocalrecovery.core.store.AdoptedRootsTest.commit;
import static io.flinklocalrecovery.core.store.AdoptedRootsTest.content;
import static io.flinklocalrecovery.core.store.AdoptedRootsTest.primaryId;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Copies of another live TaskManager of the host: borrowed read-only, as hard links in the
 * borrower's own root, verifiable like its own and independent of the owner's deletions.
 */
class BorrowedCopiesTest {

    private static final Duration LIFETIME = Duration.ofMinutes(10);
    private static final String CLUSTER = "cluster-a";
    private static final LocalSnapshotScope SCOPE =
            new LocalSnapshotScope("job1", "op1", 0, LocalSnapshotScope.Kind.KEYED);

    @TempDir Path shared;

    @Test
    void aCopyOfALiveSiblingIsBorrowedAsAHardLinkThatOutlivesTheOriginal() throws Exception {
        try (TaskLocalSnapshotStore owner = open("tm-owner");
                TaskLocalSnapshotStore borrower = open("tm-borrower")) {
            commit(owner, 1);
            borrower.collectAbandonedRoots();

            LocalFileRef ref = borrower.lookup(primaryId(1)).orElseThrow();

            assertThat(ref.getOrigin())
                    .isEqualTo(CopyOrigin.borrowedFrom(shared.resolve("tm-owner").toString()));
            assertThat(ref.getPath())
                    .startsWith(shared.resolve("tm-borrower").resolve(BorrowedCopies.DIRECTORY));
            assertThat(Files.getAttribute(ref.getPath(), "unix:nlink", LinkOption.NOFOLLOW_LINKS))
                    .isEqualTo(2);
            assertThat(FileChecksums.crc32c(ref.getPath(), ref.getEntry().getSize()))
                    .isEqualTo(ref.getEntry().getCrc32c());
            // the owner's copy is never locked, written or moved
            Path original = owner.lookup(primaryId(1)).orElseThrow().getPath();
            assertThat(original).startsWith(shared.resolve("tm-owner"));

            // the owner drops its copy: the borrowed link still reads the same bytes
            commit(owner, 2);
            owner.confirm("job1", 2);
            owner.awaitHousekeeping();
            assertThat(original).doesNotExist();
            assertThat(Files.readAllBytes(ref.getPath())).isEqualTo(content(1));

            borrower.releaseBorrowed(ref.getPath());
            borrower.awaitHousekeeping();
            assertThat(ref.getPath()).doesNotExist();
            assertThat(entries(shared.resolve("tm-borrower").resolve(BorrowedCopies.DIRECTORY)))
                    .isEmpty();
        }
    }

    @Test
    void copiesInTheAdoptedRootsOfALiveSiblingAreBorrowedToo() throws Exception {
        try (TaskLocalSnapshotStore gone = open("tm-gone")) {
            commit(gone, 1);
        }
        try (TaskLocalSnapshotStore adopter = open("tm-adopter")) {
            assertThat(adopter.adoptSiblingRoots()).isEqualTo(1);
            try (TaskLocalSnapshotStore borrower = open("tm-borrower")) {
                borrower.collectAbandonedRoots();

                LocalFileRef ref = borrower.lookup(primaryId(1)).orElseThrow();

                assertThat(ref.getOrigin().getKind()).isEqualTo(CopyOrigin.Kind.BORROWED);
                assertThat(ref.getOrigin().getSource())
                        .startsWith(
                                shared.resolve("tm-adopter")
                                        .resolve(AdoptedRoots.DIRECTORY)
                                        .toString());
                assertThat(Files.readAllBytes(ref.getPath())).isEqualTo(content(1));
            }
        }
    }

    @Test
    void aBorrowedCopyThatFailsVerificationIsDroppedAndNotBorrowedAgain() throws Exception {
        try (TaskLocalSnapshotStore owner = open("tm-owner");
                TaskLocalSnapshotStore borrower = open("tm-borrower")) {
            commit(owner, 1);
            borrower.collectAbandonedRoots();
            LocalFileRef ref = borrower.lookup(primaryId(1)).orElseThrow();

            borrower.invalidate(ref, "CHECKSUM_MISMATCH");

            assertThat(ref.getPath()).doesNotExist();
            assertThat(owner.lookup(primaryId(1)).orElseThrow().getPath()).exists();
            assertThat(borrower.lookup(primaryId(1))).isEmpty();
            assertThat(borrower.invalidationCause(primaryId(1))).hasValue("CHECKSUM_MISMATCH");
        }
    }

    @Test
    void aCorruptBorrowedCopyFailsVerificationAndTheRestoreReadsThePrimary() throws Exception {
        try (TaskLocalSnapshotStore owner = open("tm-owner");
                TaskLocalSnapshotStore borrower = open("tm-borrower")) {
            commit(owner, 1);
            Path original = owner.lookup(primaryId(1)).orElseThrow().getPath();
            byte[] damaged = content(1);
            damaged[5] ^= 0x40;
            Files.write(original, damaged); // same size, one bit flipped
            borrower.collectAbandonedRoots();
            Path primaryFile = Files.write(shared.resolve("primary-1"), content(1));
            org.apache.flink.runtime.state.StreamStateHandle primary =
                    new org.apache.flink.runtime.state.filesystem.FileStateHandle(
                            new org.apache.flink.core.fs.Path(primaryFile.toUri()),
                            content(1).length) {
                        private static final long serialVersionUID = 1L;

                        @Override
                        public org.apache.flink.runtime.state.PhysicalStateHandleID
                                getStreamStateHandleID() {
                            return new org.apache.flink.runtime.state.PhysicalStateHandleID(
                                    primaryId(1));
                        }
                    };

            io.flinklocalrecovery.core.restore.LocalCopyFinder.Result result =
                    new io.flinklocalrecovery.core.restore.LocalCopyFinder(borrower, true)
                            .find(primary);

            assertThat(result.local()).isEmpty();
            assertThat(result.reason())
                    .isEqualTo(io.flinklocalrecovery.core.metrics.FallbackReason.CHECKSUM_MISMATCH);
            assertThat(original).exists(); // the owner's file is not the borrower's to delete
            borrower.awaitHousekeeping();
            assertThat(entries(shared.resolve("tm-borrower").resolve(BorrowedCopies.DIRECTORY)))
                    .isEmpty();
        }
    }

    @Test
    void borrowedLinksLeftByARestoreAreCollectedAtTheNextOpen() throws Exception {
        try (TaskLocalSnapshotStore owner = open("tm-owner")) {
            commit(owner, 1);
            try (TaskLocalSnapshotStore borrower = open("tm-borrower")) {
                borrower.collectAbandonedRoots();
                assertThat(borrower.lookup(primaryId(1))).isPresent();
            }
            try (TaskLocalSnapshotStore borrower = open("tm-borrower")) {
                borrower.awaitHousekeeping();
                assertThat(shared.resolve("tm-borrower").resolve(BorrowedCopies.DIRECTORY))
                        .doesNotExist();
            }
        }
    }

    @Test
    void theLinksOfARestoreInProgressAreKeptHoweverLongItRuns() throws Exception {
        try (TaskLocalSnapshotStore owner = open("tm-owner");
                TaskLocalSnapshotStore borrower = open("tm-borrower")) {
            commit(owner, 1);
            borrower.collectAbandonedRoots();
            LocalFileRef ref = borrower.lookup(primaryId(1)).orElseThrow();
            Path borrowedDir = shared.resolve("tm-borrower").resolve(BorrowedCopies.DIRECTORY);
            // the restore has run for an hour; a release whose deletion failed left other links
            ageBy(ref.getPath().getParent(), Duration.ofHours(1));
            Path leftOver = borrowedDir.resolve("left-by-a-release");
            Files.createDirectories(leftOver);
            Files.write(leftOver.resolve("f"), content(2));

            borrower.collectAbandonedRoots();
            borrower.awaitHousekeeping();

            assertThat(Files.readAllBytes(ref.getPath())).isEqualTo(content(1));
            assertThat(leftOver).doesNotExist();
            borrower.releaseBorrowed(ref.getPath());
            borrower.awaitHousekeeping();
            assertThat(entries(borrowedDir)).isEmpty();
        }
    }

    @Test
    void linksARestoreHeldLongerThanADayAreCollected() throws Exception {
        try (TaskLocalSnapshotStore owner = open("tm-owner");
                TaskLocalSnapshotStore borrower = open("tm-borrower")) {
            commit(owner, 1);
            borrower.collectAbandonedRoots();
            LocalFileRef ref = borrower.lookup(primaryId(1)).orElseThrow();
            ageBy(ref.getPath().getParent(), BorrowedCopies.IN_USE_AT_MOST.plusMinutes(1));

            borrower.collectAbandonedRoots();
            borrower.awaitHousekeeping();

            assertThat(ref.getPath().getParent()).doesNotExist();
            // the owner's copy is untouched
            assertThat(owner.lookup(primaryId(1)).orElseThrow().getPath()).exists();
        }
    }

    @Test
    void nothingIsBorrowedWithoutASharedHostDirectory() throws Exception {
        try (TaskLocalSnapshotStore owner = open("tm-owner");
                TaskLocalSnapshotStore other = open("tm-other")) {
            commit(owner, 1);
            assertThat(other.lookup(primaryId(1))).isEmpty();
        }
    }

    @Test
    void aSiblingsNativeCheckpointIsBorrowedWithEveryFileAndItsMetadata() throws Exception {
        try (TaskLocalSnapshotStore owner = open("tm-owner");
                TaskLocalSnapshotStore borrower = open("tm-borrower")) {
            PendingLocalCheckpoint pending = owner.begin(SCOPE, 7);
            Path dir = pending.getDirectory();
            Path nativeDir = dir.resolve("db");
            TaskLocalSnapshotStore.createOwnerOnlyDirectories(nativeDir);
            Files.write(nativeDir.resolve("000001.sst"), content(1));
            Files.write(nativeDir.resolve("CURRENT"), content(2));
            Files.write(dir.resolve("meta"), content(3));
            LocalNativeCheckpoint nativeCheckpoint =
                    new LocalNativeCheckpoint(
                            "backend-1",
                            0,
                            127,
                            "db",
                            new LocalFileEntry("file:/primary/meta", "meta", content(3).length, 0),
                            List.of(
                                    new LocalFileEntry(
                                            "file:/primary/sst",
                                            "000001.sst",
                                            content(1).length,
                                            0),
                                    new LocalFileEntry(
                                            "file:/primary/current",
                                            "CURRENT",
                                            content(2).length,
                                            0)),
                            false);
            assertThat(owner.commit(pending, List.of(), List.of(nativeCheckpoint))).isTrue();
            borrower.collectAbandonedRoots();

            LocalNativeCheckpointRef ref = borrower.lookupNative("backend-1", 7).orElseThrow();

            assertThat(ref.getOrigin().getKind()).isEqualTo(CopyOrigin.Kind.BORROWED);
            assertThat(ref.getDirectory())
                    .startsWith(shared.resolve("tm-borrower").resolve(BorrowedCopies.DIRECTORY));
            assertThat(Files.readAllBytes(ref.getDirectory().resolve("000001.sst")))
                    .isEqualTo(content(1));
            assertThat(Files.readAllBytes(ref.getDirectory().resolve("CURRENT")))
                    .isEqualTo(content(2));
            assertThat(Files.readAllBytes(ref.getMetaDataFile())).isEqualTo(content(3));
            borrower.releaseBorrowed(ref.getDirectory());
            borrower.awaitHousekeeping();
            assertThat(ref.getCheckpointDirectory()).doesNotExist();
        }
    }

    // ------------------------------------------------------------------------

    private TaskLocalSnapshotStore open(String name) throws IOException {
        return TaskLocalSnapshotStore.open(
                List.of(shared.resolve(name)), 1, LIFETIME, DiskBudget.UNLIMITED, CLUSTER);
    }

    private static void ageBy(Path path, Duration age) throws IOException {
        Files.setLastModifiedTime(
                path, FileTime.fromMillis(System.currentTimeMillis() - age.toMillis()));
    }

    private static List<Path> entries(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (java.util.stream.Stream<Path> children = Files.list(dir)) {
            return children.collect(java.util.stream.Collectors.toList());
        }
    }
}
