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

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.flinklocalrecovery.core.store.AdoptedRootsTest.commit;
import static io.flinklocalrecovery.core.store.AdoptedRootsTest.primaryId;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A root's lock against other processes, the way TaskManagers of one host see it: the OS lock is a
 * POSIX record lock, which a process loses when it closes any descriptor of the file, so the tests
 * of one JVM cannot tell a held lock from a lost one. Here the other side is a separate JVM ({@link
 * RootLockProbe}).
 */
class RootLockAcrossProcessesTest {

    private static final Duration LIFETIME = Duration.ofMinutes(10);
    private static final String CLUSTER = "cluster-a";

    @TempDir Path shared;

    private final List<Process> children = new ArrayList<>();

    @AfterEach
    void killChildren() {
        children.forEach(Process::destroyForcibly);
    }

    @Test
    void anOpenStoreHoldsItsRootAgainstOtherProcesses() throws Exception {
        Path root = shared.resolve("tm-1");
        try (TaskLocalSnapshotStore store = open(root)) {
            assertThat(probe(root)).isEqualTo("held");
            // everything this process does with the host directory keeps the lock
            store.collectAbandonedRoots();
            commit(store, 1);
            assertThat(store.adoptSiblingRoots()).isZero();
            assertThat(StoreInspection.ownerAlive(root)).isTrue();
            try (TaskLocalSnapshotStore sibling = open(shared.resolve("tm-2"))) {
                sibling.collectAbandonedRoots();
                assertThat(sibling.adoptSiblingRoots()).isZero();
                assertThat(sibling.lookup(primaryId(1))).isPresent(); // borrowed
            }
            assertThat(probe(root)).isEqualTo("held");
        }
        assertThat(probe(root)).isEqualTo("free");
    }

    @Test
    void aRootOfALiveTaskManagerInAnotherProcessIsAdoptedOnlyOnceItIsKilled() throws Exception {
        Path other = shared.resolve("tm-other");
        Process owner = own(other);
        try (TaskLocalSnapshotStore adopter = open(shared.resolve("tm-adopter"))) {
            adopter.collectAbandonedRoots();
            // the background collection it queued ends before the kill (the next is minutes
            // away): else it may adopt the root first, and hold its lock while it does
            adopter.awaitHousekeeping();
            assertThat(adopter.adoptSiblingRoots()).isZero();
            assertThat(StoreInspection.ownerAlive(other)).isTrue();
            assertThat(other).isDirectory();

            owner.destroyForcibly(); // kill -9
            assertThat(owner.waitFor(1, TimeUnit.MINUTES)).isTrue();

            assertThat(StoreInspection.ownerAlive(other)).isFalse();
            assertThat(adopter.adoptSiblingRoots()).isEqualTo(1);
            assertThat(other).doesNotExist();
        }
    }

    @Test
    void aStoreInAnotherProcessCannotOpenARootThisOneHolds() throws Exception {
        Path root = shared.resolve("tm-1");
        try (TaskLocalSnapshotStore store = open(root)) {
            Process second = start("own", root.toString(), CLUSTER);
            // the other process fails to open the store and ends
            assertThat(second.waitFor(1, TimeUnit.MINUTES)).isTrue();
            assertThat(second.exitValue()).isNotZero();
            assertThat(new String(second.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
                    .contains("is in use by another process");
            assertThat(probe(root)).isEqualTo("held");
        }
    }

    // ------------------------------------------------------------------------

    private TaskLocalSnapshotStore open(Path root) throws IOException {
        return TaskLocalSnapshotStore.open(
                List.of(root), 1, LIFETIME, DiskBudget.UNLIMITED, CLUSTER);
    }

    /** Whether another process can lock the root's lock file at this moment. */
    private String probe(Path root) throws Exception {
        Process process = start("probe", root.toString());
        assertThat(process.waitFor(1, TimeUnit.MINUTES)).isTrue();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue())
                .as(new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
                .isZero();
        return out.trim();
    }

    /** Another process that opens a store on the root and keeps it open until killed. */
    private Process own(Path root) throws Exception {
        Process process = start("own", root.toString(), CLUSTER);
        BufferedReader out =
                new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).as("the other process opened its store").isEqualTo("open");
        return process;
    }

    private Process start(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(RootLockProbe.class.getName());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).start();
        children.add(process);
        return process;
    }
}
