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
package io.flinklocalrecovery.core.restore;

import org.apache.flink.core.fs.CloseableRegistry;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.KeyGroupRangeOffsets;
import org.apache.flink.runtime.state.KeyGroupsStateHandle;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.runtime.state.StreamStateHandle;
import org.apache.flink.runtime.state.filesystem.FileStateHandle;

import io.flinklocalrecovery.core.metrics.FallbackReason;
import io.flinklocalrecovery.core.metrics.LocalRecoveryMetrics;
import io.flinklocalrecovery.core.store.LocalFileEntry;
import io.flinklocalrecovery.core.store.LocalSnapshotScope;
import io.flinklocalrecovery.core.store.PendingLocalCheckpoint;
import io.flinklocalrecovery.core.store.TaskLocalSnapshotStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Where restore is decided: local, mixed, remote, and the fallback after a failed attempt. */
class LocalFirstRestoreTest {

    private static final LocalSnapshotScope SCOPE =
            new LocalSnapshotScope("job1", "op1", 0, LocalSnapshotScope.Kind.KEYED);

    @TempDir Path tmp;

    private TaskLocalSnapshotStore store;
    private LocalCopyFinder finder;
    private LocalRecoveryMetrics metrics;
    private CloseableRegistry cancelRegistry;
    private KeyGroupsStateHandle withLocalCopy;
    private KeyGroupsStateHandle withoutLocalCopy;
    private byte[] localData;

    @BeforeEach
    void setUp() throws IOException {
        store = TaskLocalSnapshotStore.open(List.of(tmp.resolve("local")), 1);
        finder = new LocalCopyFinder(store, true);
        metrics = LocalRecoveryMetrics.unregistered(store::getBytesHeld);
        cancelRegistry = new CloseableRegistry();
        localData = randomBytes(4096, 1);
        StreamStateHandle primary = primaryFile("a", localData);
        withLocalCopy = keyGroups(primary, 0);
        withoutLocalCopy = keyGroups(primaryFile("b", randomBytes(2048, 2)), 1);
        commitLocalCopy(primary, localData);
    }

    @AfterEach
    void tearDown() throws IOException {
        store.close();
        cancelRegistry.close();
    }

    @Test
    void restoresFromTheLocalCopyWhenItVerifies() throws Exception {
        List<Collection<KeyedStateHandle>> attempts = new ArrayList<>();

        String result = restore(List.of(withLocalCopy), handles -> record(attempts, handles));

        assertThat(result).isEqualTo("restored");
        assertThat(attempts).hasSize(1);
        KeyGroupsStateHandle used = (KeyGroupsStateHandle) attempts.get(0).iterator().next();
        assertThat(used.getDelegateStateHandle()).isInstanceOf(LocalFileStreamStateHandle.class);
        assertThat(used.getGroupRangeOffsets()).isEqualTo(withLocalCopy.getGroupRangeOffsets());
        try (InputStream in = used.openInputStream()) {
            assertThat(in.readAllBytes()).isEqualTo(localData);
        }
        assertThat(metrics.getRestoresLocal()).isEqualTo(1);
        assertThat(metrics.getRestoresRemote()).isZero();
    }

    @Test
    void countsHandlesRestoredFromCopiesAdoptedFromATaskManagerThatIsGone() throws Exception {
        store.close(); // its TaskManager is gone: its root is adoptable
        store = TaskLocalSnapshotStore.open(List.of(tmp.resolve("adopter")), 1);
        store.collectAbandonedRoots();
        finder = new LocalCopyFinder(store, true);
        List<Collection<KeyedStateHandle>> attempts = new ArrayList<>();

        restore(List.of(withLocalCopy), handles -> record(attempts, handles));

        assertThat(usesLocalFile(attempts.get(0))).isTrue();
        assertThat(metrics.getRestoresLocal()).isEqualTo(1);
        assertThat(metrics.getRestoredHandlesAdopted()).isEqualTo(1);
        assertThat(metrics.getRestoredHandlesBorrowed()).isZero();
    }

    @Test
    void countsAndReleasesHandlesRestoredFromCopiesBorrowedFromALiveTaskManager() throws Exception {
        try (TaskLocalSnapshotStore borrower =
                TaskLocalSnapshotStore.open(List.of(tmp.resolve("borrower")), 1)) {
            borrower.collectAbandonedRoots();
            List<Collection<KeyedStateHandle>> attempts = new ArrayList<>();

            LocalFirstRestore.restore(
                    "test backend",
                    List.<KeyedStateHandle>of(withLocalCopy),
                    new LocalCopyFinder(borrower, true),
                    metrics,
                    cancelRegistry,
                    handles -> {
                        try (InputStream in =
                                ((KeyGroupsStateHandle) handles.iterator().next())
                                        .openInputStream()) {
                            assertThat(in.readAllBytes()).isEqualTo(localData);
                        }
                        return record(attempts, handles);
                    });

            assertThat(usesLocalFile(attempts.get(0))).isTrue();
            assertThat(metrics.getRestoredHandlesBorrowed()).isEqualTo(1);
            assertThat(metrics.getRestoredHandlesAdopted()).isZero();
            borrower.awaitHousekeeping();
            try (java.util.stream.Stream<Path> links =
                    Files.walk(tmp.resolve("borrower").resolve("_borrowed"))) {
                assertThat(links.filter(Files::isRegularFile)).isEmpty();
            }
        }
    }

    @Test
    void mixesLocalAndPrimaryHandlesWhenOnlySomeHaveLocalCopies() throws Exception {
        List<Collection<KeyedStateHandle>> attempts = new ArrayList<>();

        restore(List.of(withLocalCopy, withoutLocalCopy), handles -> record(attempts, handles));

        assertThat(attempts).hasSize(1);
        List<KeyedStateHandle> used = new ArrayList<>(attempts.get(0));
        assertThat(((KeyGroupsStateHandle) used.get(0)).getDelegateStateHandle())
                .isInstanceOf(LocalFileStreamStateHandle.class);
        assertThat(used.get(1)).isSameAs(withoutLocalCopy);
        assertThat(metrics.getRestoresMixed()).isEqualTo(1);
        assertThat(metrics.getFallbacks(FallbackReason.NO_LOCAL_COPY)).isEqualTo(1);
    }

    @Test
    void restoresFromThePrimaryWhenTheLocalAttemptThrows() throws Exception {
        List<Collection<KeyedStateHandle>> attempts = new ArrayList<>();

        String result =
                restore(
                        List.of(withLocalCopy),
                        handles -> {
                            record(attempts, handles);
                            if (usesLocalFile(handles)) {
                                throw new IOException("corrupt local state");
                            }
                            return "restored";
                        });

        assertThat(result).isEqualTo("restored");
        assertThat(attempts).hasSize(2);
        assertThat(attempts.get(1)).containsExactly(withLocalCopy);
        assertThat(metrics.getFallbacks(FallbackReason.RESTORE_FAILED)).isEqualTo(1);
        assertThat(metrics.getRestoresRemote()).isEqualTo(1);
        assertThat(metrics.getRestoresLocal()).isZero();
    }

    @Test
    void failsOnlyWhenThePrimaryRestoreFailsToo() {
        assertThatThrownBy(
                        () ->
                                restore(
                                        List.of(withLocalCopy),
                                        handles -> {
                                            throw new IOException(
                                                    usesLocalFile(handles) ? "local" : "primary");
                                        }))
                .isInstanceOf(IOException.class)
                .hasMessage("primary");
    }

    @Test
    void doesNotRetryARestoreInterruptedByCancellation() throws Exception {
        List<Collection<KeyedStateHandle>> attempts = new ArrayList<>();
        cancelRegistry.close();

        assertThatThrownBy(
                        () ->
                                restore(
                                        List.of(withLocalCopy),
                                        handles -> {
                                            record(attempts, handles);
                                            throw new IOException("cancelled");
                                        }))
                .hasMessage("cancelled");
        assertThat(attempts).hasSize(1);
    }

    @Test
    void restoresRemotelyWithoutLocalCopies() throws Exception {
        List<Collection<KeyedStateHandle>> attempts = new ArrayList<>();

        restore(List.of(withoutLocalCopy), handles -> record(attempts, handles));

        assertThat(attempts).containsExactly(List.of(withoutLocalCopy));
        assertThat(metrics.getRestoresRemote()).isEqualTo(1);
        assertThat(metrics.getFallbacks(FallbackReason.NO_LOCAL_COPY)).isEqualTo(1);
    }

    // ------------------------------------------------------------------------

    private String restore(
            List<KeyedStateHandle> handles,
            LocalFirstRestore.BackendBuilder<String, KeyedStateHandle> builder)
            throws Exception {
        return LocalFirstRestore.restore(
                "test backend", handles, finder, metrics, cancelRegistry, builder);
    }

    private static String record(
            List<Collection<KeyedStateHandle>> attempts, Collection<KeyedStateHandle> handles) {
        attempts.add(new ArrayList<>(handles));
        return "restored";
    }

    private static boolean usesLocalFile(Collection<KeyedStateHandle> handles) {
        return handles.stream()
                .anyMatch(
                        h ->
                                ((KeyGroupsStateHandle) h).getDelegateStateHandle()
                                        instanceof LocalFileStreamStateHandle);
    }

    private StreamStateHandle primaryFile(String name, byte[] data) throws IOException {
        Path file = Files.createDirectories(tmp.resolve("primary")).resolve(name);
        Files.write(file, data);
        return new FileStateHandle(new org.apache.flink.core.fs.Path(file.toUri()), data.length);
    }

    private static KeyGroupsStateHandle keyGroups(StreamStateHandle stream, int keyGroup) {
        return new KeyGroupsStateHandle(
                new KeyGroupRangeOffsets(KeyGroupRange.of(keyGroup, keyGroup), new long[] {0}),
                stream);
    }

    private void commitLocalCopy(StreamStateHandle primary, byte[] data) throws IOException {
        PendingLocalCheckpoint pending = store.begin(SCOPE, 1);
        TaskLocalSnapshotStore.createOwnerOnlyDirectories(pending.getDirectory());
        String name = pending.newFileName();
        Files.write(pending.getDirectory().resolve(name), data);
        CRC32C crc = new CRC32C();
        crc.update(data);
        assertThat(
                        store.commit(
                                pending,
                                List.of(
                                        new LocalFileEntry(
                                                primary.getStreamStateHandleID().getKeyString(),
                                                name,
                                                data.length,
                                                (int) crc.getValue()))))
                .isTrue();
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }
}
