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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** A restore waits for the local copies of its checkpoint that are still being committed. */
class TaskLocalSnapshotStoreAwaitTest {

    private static final LocalSnapshotScope SCOPE =
            new LocalSnapshotScope("job1", "op1", 0, LocalSnapshotScope.Kind.KEYED);

    @TempDir Path tmp;

    private TaskLocalSnapshotStore store;

    @BeforeEach
    void setUp() throws IOException {
        store = TaskLocalSnapshotStore.open(List.of(tmp.resolve("local")), 1);
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    @Test
    void returnsAtOnceWhenNothingIsPending() throws Exception {
        assertThat(store.awaitWritten("job1", 5, 10_000)).isTrue();
    }

    @Test
    void givesUpAfterTheMaximumWait() throws Exception {
        store.begin(SCOPE, 5);

        assertThat(store.awaitWritten("job1", 5, 50)).isFalse();
        assertThat(store.awaitWritten("job1", 6, 50)).as("another checkpoint").isTrue();
    }

    @Test
    void returnsOnceThePendingCheckpointIsCommitted() throws Exception {
        PendingLocalCheckpoint pending = store.begin(SCOPE, 5);
        TaskLocalSnapshotStore.createOwnerOnlyDirectories(pending.getDirectory());
        String name = pending.newFileName();
        Files.write(pending.getDirectory().resolve(name), new byte[] {1, 2, 3});

        CompletableFuture<Boolean> committed =
                CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                return store.commit(
                                        pending,
                                        List.of(new LocalFileEntry("primary-1", name, 3, 0)));
                            } catch (IOException e) {
                                throw new RuntimeException(e);
                            }
                        });

        assertThat(store.awaitWritten("job1", 5, 60_000)).isTrue();
        assertThat(committed.get()).isTrue();
        assertThat(store.lookup("primary-1")).isPresent();
    }

    @Test
    void returnsOnceThePendingCheckpointIsDiscarded() throws Exception {
        PendingLocalCheckpoint pending = store.begin(SCOPE, 5);
        CompletableFuture<Void> discarded =
                CompletableFuture.runAsync(() -> store.discard(pending));

        assertThat(store.awaitWritten("job1", 5, 60_000)).isTrue();
        discarded.get();
    }
}
