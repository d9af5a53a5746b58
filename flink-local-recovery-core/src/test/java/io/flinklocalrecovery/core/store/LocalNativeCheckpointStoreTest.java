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
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Native checkpoint directories in the manifest and the store. */
class LocalNativeCheckpointStoreTest {

    private static final LocalSnapshotScope SCOPE =
            new LocalSnapshotScope("job1", "op1", 0, LocalSnapshotScope.Kind.KEYED);

    @TempDir Path tmp;

    private static LocalNativeCheckpoint nativeCheckpoint(String backendId) {
        return new LocalNativeCheckpoint(
                backendId,
                0,
                127,
                "db",
                new LocalFileEntry("meta-id", "meta", 3, 11),
                List.of(
                        new LocalFileEntry("sst-id", "000001.sst", 5, 22),
                        new LocalFileEntry("current-id", "CURRENT", 2, 33)),
                true);
    }

    @Test
    void manifestWithNativeDirectoriesRoundTripsAsVersionTwo() throws IOException {
        LocalCheckpointManifest manifest =
                new LocalCheckpointManifest(
                        SCOPE,
                        4,
                        List.of(new LocalFileEntry("p", "a.data", 1, 0)),
                        List.of(nativeCheckpoint("backend-1")));

        byte[] bytes = manifest.toBytes();
        LocalCheckpointManifest read = LocalCheckpointManifest.fromBytes(bytes);

        assertThat(java.nio.ByteBuffer.wrap(bytes, 4, 4).getInt())
                .isEqualTo(LocalCheckpointManifest.NATIVE_FORMAT_VERSION);
        assertThat(read.getNativeCheckpoints()).containsExactly(nativeCheckpoint("backend-1"));
        assertThat(read.getEntries()).isEqualTo(manifest.getEntries());
        assertThat(read.totalBytes()).isEqualTo(1 + 3 + 5 + 2);
    }

    @Test
    void manifestWithoutNativeDirectoriesIsStillVersionOne() {
        byte[] bytes =
                new LocalCheckpointManifest(SCOPE, 4, List.of(new LocalFileEntry("p", "a", 1, 0)))
                        .toBytes();
        assertThat(java.nio.ByteBuffer.wrap(bytes, 4, 4).getInt())
                .isEqualTo(LocalCheckpointManifest.FORMAT_VERSION);
    }

    @Test
    void indexesNativeDirectoriesAndKeepsThemAcrossARestart() throws IOException {
        Path root = tmp.resolve("root");
        try (TaskLocalSnapshotStore store = TaskLocalSnapshotStore.open(List.of(root), 1)) {
            PendingLocalCheckpoint pending = store.begin(SCOPE, 4);
            writeFiles(pending.getDirectory());
            assertThat(store.commit(pending, List.of(), List.of(nativeCheckpoint("backend-1"))))
                    .isTrue();
            assertThat(store.lookupNative("backend-1", 4)).isPresent();
            assertThat(store.lookupNative("backend-1", 5)).isEmpty();
            assertThat(store.newestNative(SCOPE)).hasSize(1);
        }
        try (TaskLocalSnapshotStore store = TaskLocalSnapshotStore.open(List.of(root), 1)) {
            assertThat(store.lookupNative("backend-1", 4))
                    .get()
                    .satisfies(
                            ref -> assertThat(ref.getDirectory().resolve("000001.sst")).exists());
        }
    }

    @Test
    void abortLeavesADirectoryInProgressToItsOwner() throws IOException {
        try (TaskLocalSnapshotStore store =
                TaskLocalSnapshotStore.open(List.of(tmp.resolve("root")), 1)) {
            store.registerJob("job1", 1);
            PendingLocalCheckpoint pending = store.begin(SCOPE, 4);
            writeFiles(pending.getDirectory());

            store.abort("job1", 4);

            // a backend may be writing into it right now
            assertThat(pending.getDirectory()).exists();
            assertThat(store.isWanted(pending)).isFalse();
            assertThat(store.commit(pending, List.of(), List.of(nativeCheckpoint("backend-1"))))
                    .isFalse();
            assertThat(pending.getDirectory()).doesNotExist();
        }
    }

    private static void writeFiles(Path checkpointDir) throws IOException {
        Files.createDirectories(checkpointDir.resolve("db"));
        Files.write(checkpointDir.resolve("db").resolve("000001.sst"), new byte[5]);
        Files.write(checkpointDir.resolve("db").resolve("CURRENT"), new byte[2]);
        Files.write(checkpointDir.resolve("meta"), new byte[3]);
    }
}
