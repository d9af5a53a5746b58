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
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Roots left in a shared local-recovery directory by TaskManagers that came back with another
 * identity (or never came back): collected once certainly abandoned, and nothing else.
 */
class AbandonedRootsTest {

    private static final Duration LIFETIME = Duration.ofMinutes(10);
    private static final LocalSnapshotScope SCOPE =
            new LocalSnapshotScope("job1", "op1", 0, LocalSnapshotScope.Kind.KEYED);

    @TempDir Path shared;

    @Test
    void theRootOfATaskManagerThatIsGoneIsCollectedOnceUnusedForTheLifetime() throws Exception {
        Path gone = rootOfAnOlderVersion("tm_old-identity");
        makeOld(gone, LIFETIME.plusMinutes(1));

        try (TaskLocalSnapshotStore store = openOwnRoot()) {
            store.collectAbandonedRoots();
            store.awaitHousekeeping();
        }

        assertThat(gone).doesNotExist();
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void aRecentlyUsedRootIsKept() throws Exception {
        Path recent = rootOfAnOlderVersion("tm_restarting");
        makeOld(recent, LIFETIME.minusMinutes(1));

        try (TaskLocalSnapshotStore store = openOwnRoot()) {
            store.collectAbandonedRoots();
            store.awaitHousekeeping();
        }

        assertThat(recent.resolve("job_job1")).isDirectory();
    }

    @Test
    void aDeadRootOfThisClusterIsAdoptedNotDeleted() throws Exception {
        Path gone = rootWithACheckpoint("tm_gone");
        makeOld(gone, LIFETIME.plusMinutes(1));

        try (TaskLocalSnapshotStore store = openOwnRoot()) {
            store.collectAbandonedRoots();
            store.awaitHousekeeping();
            assertThat(store.lookup("file:/p/1")).isPresent();
        }

        assertThat(gone).doesNotExist();
        assertThat(AdoptedRoots.in(shared.resolve("tm_self"))).hasSize(1);
    }

    @Test
    void aRootOfAnotherClusterIsNeverDeletedHoweverOld() throws Exception {
        Path foreign = rootWithACheckpoint("tm_foreign");
        ClusterMarker.write(foreign, "another-cluster");
        makeOld(foreign, LIFETIME.plusHours(1));
        Path doomedForeign = rootWithACheckpoint(".deleting-tm_foreign-1");
        ClusterMarker.write(doomedForeign, "another-cluster");

        try (TaskLocalSnapshotStore store = openOwnRoot()) {
            store.collectAbandonedRoots();
            store.awaitHousekeeping();
        }

        assertThat(foreign.resolve("job_job1")).isDirectory();
        assertThat(doomedForeign.resolve("job_job1")).isDirectory();
    }

    @Test
    void theRootOfALiveTaskManagerIsKeptHoweverOld() throws Exception {
        try (TaskLocalSnapshotStore live =
                TaskLocalSnapshotStore.open(List.of(shared.resolve("tm_live")), 1, LIFETIME)) {
            commit(live);
            makeOld(shared.resolve("tm_live"), LIFETIME.plusHours(1));

            try (TaskLocalSnapshotStore store = openOwnRoot()) {
                store.collectAbandonedRoots();
                store.awaitHousekeeping();
            }

            assertThat(shared.resolve("tm_live").resolve("job_job1")).isDirectory();
        }
    }

    @Test
    void directoriesThatAreNotRootsOfThisUsersStoreAreNeverTouched() throws Exception {
        Path notARoot = Files.createDirectories(shared.resolve("someone-elses-data"));
        Files.writeString(notARoot.resolve("important"), "keep");
        makeOld(notARoot, LIFETIME.plusHours(1));
        Path target = rootWithACheckpoint("tm_target");
        makeOld(target, LIFETIME.plusHours(1));
        Path link = Files.createSymbolicLink(shared.resolve("tm_link"), target);
        Path otherUsers = rootWithACheckpoint("tm_other-user");
        makeOld(otherUsers, LIFETIME.plusHours(1));
        boolean chowned = chownToNobody(otherUsers);

        try (TaskLocalSnapshotStore store = openOwnRoot()) {
            store.collectAbandonedRoots();
            store.awaitHousekeeping();
        }

        assertThat(notARoot.resolve("important")).hasContent("keep");
        assertThat(Files.isSymbolicLink(link)).isTrue();
        if (chowned) {
            assertThat(otherUsers.resolve("job_job1")).isDirectory();
        }
    }

    // ------------------------------------------------------------------------

    private TaskLocalSnapshotStore openOwnRoot() throws IOException {
        return TaskLocalSnapshotStore.open(List.of(shared.resolve("tm_self")), 1, LIFETIME);
    }

    /** A root of a version before the cluster marker: collected, never adopted. */
    private Path rootOfAnOlderVersion(String name) throws IOException {
        Path root = rootWithACheckpoint(name);
        Files.delete(root.resolve(ClusterMarker.MARKER));
        return root;
    }

    /** A root as a TaskManager leaves it when it stops: one committed local checkpoint. */
    private Path rootWithACheckpoint(String name) throws IOException {
        Path root = shared.resolve(name);
        try (TaskLocalSnapshotStore store =
                TaskLocalSnapshotStore.open(List.of(root), 1, LIFETIME)) {
            commit(store);
        }
        return root;
    }

    private static void commit(TaskLocalSnapshotStore store) throws IOException {
        PendingLocalCheckpoint pending = store.begin(SCOPE, 1);
        TaskLocalSnapshotStore.createOwnerOnlyDirectories(pending.getDirectory());
        Files.write(pending.getDirectory().resolve("f"), new byte[] {1, 2, 3});
        assertThat(store.commit(pending, List.of(new LocalFileEntry("file:/p/1", "f", 3, 0))))
                .isTrue();
    }

    /** Sets the modification time of the root and everything in it {@code age} back. */
    private static void makeOld(Path root, Duration age) throws IOException {
        FileTime then = FileTime.fromMillis(System.currentTimeMillis() - age.toMillis());
        try (Stream<Path> all = Files.walk(root)) {
            for (Path path : (Iterable<Path>) all::iterator) {
                Files.setLastModifiedTime(path, then);
            }
        }
    }

    private static boolean chownToNobody(Path root) {
        try {
            UserPrincipal nobody =
                    root.getFileSystem()
                            .getUserPrincipalLookupService()
                            .lookupPrincipalByName("nobody");
            Files.setOwner(root, nobody);
            return true;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            assumeTrue(false, "cannot change owners here");
            return false;
        }
    }

    private List<Path> leftovers() throws IOException {
        try (Stream<Path> entries = Files.list(shared)) {
            return entries.filter(p -> StoreHousekeeping.isBeingDeleted(p.getFileName().toString()))
                    .collect(java.util.stream.Collectors.toList());
        }
    }
}
