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

import org.apache.flink.runtime.state.StreamStateHandle;
import org.apache.flink.runtime.state.filesystem.FileStateHandle;

import io.flinklocalrecovery.core.flinkline.FlinkLineStreamHandles;
import io.flinklocalrecovery.core.metrics.FallbackReason;
import io.flinklocalrecovery.core.store.LocalFileEntry;
import io.flinklocalrecovery.core.store.LocalFileRef;
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
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;

import static org.assertj.core.api.Assertions.assertThat;

class LocalCopyFinderTest {

    private static final LocalSnapshotScope SCOPE =
            new LocalSnapshotScope("job1", "op1", 0, LocalSnapshotScope.Kind.KEYED);

    @TempDir Path tmp;

    private TaskLocalSnapshotStore store;
    private byte[] data;
    private StreamStateHandle primary;
    private LocalFileRef committed;

    @BeforeEach
    void setUp() throws IOException {
        store = TaskLocalSnapshotStore.open(List.of(tmp.resolve("local")), 1);
        data = new byte[10_000];
        new Random(42).nextBytes(data);

        Path primaryFile = Files.createDirectories(tmp.resolve("primary")).resolve("state-1");
        Files.write(primaryFile, data);
        primary =
                new FileStateHandle(
                        new org.apache.flink.core.fs.Path(primaryFile.toUri()), data.length);

        PendingLocalCheckpoint pending = store.begin(SCOPE, 1);
        TaskLocalSnapshotStore.createOwnerOnlyDirectories(pending.getDirectory());
        String name = pending.newFileName();
        Files.write(pending.getDirectory().resolve(name), data);
        CRC32C crc = new CRC32C();
        crc.update(data);
        String primaryId = primary.getStreamStateHandleID().getKeyString();
        assertThat(
                        store.commit(
                                pending,
                                List.of(
                                        new LocalFileEntry(
                                                primaryId,
                                                name,
                                                data.length,
                                                (int) crc.getValue()))))
                .isTrue();
        committed = store.lookup(primaryId).orElseThrow();
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    @Test
    void intactCopyIsFound() throws Exception {
        LocalCopyFinder.Result result = new LocalCopyFinder(store, true).find(primary);

        assertThat(result.reason()).isNull();
        StreamStateHandle local = result.local().orElseThrow();
        assertThat(local).isInstanceOf(LocalFileStreamStateHandle.class);
        assertThat(local.getStateSize()).isEqualTo(data.length);
        assertThat(FlinkLineStreamHandles.filePath(local)).isPresent();
        try (InputStream in = local.openInputStream()) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
        // discarding the stand-in never deletes the store's file
        local.discardState();
        assertThat(committed.getPath()).exists();
        assertThat(store.lookup(primaryId())).isPresent();
    }

    @Test
    void deletedFileFallsBack() throws IOException {
        Files.delete(committed.getPath());

        LocalCopyFinder.Result result = new LocalCopyFinder(store, true).find(primary);

        assertThat(result.local()).isEmpty();
        assertThat(result.reason()).isEqualTo(FallbackReason.FILE_MISSING_OR_TRUNCATED);
        assertThat(store.lookup(primaryId())).isEmpty();
    }

    @Test
    void truncatedFileFallsBackAndIsRemoved() throws IOException {
        Files.write(committed.getPath(), java.util.Arrays.copyOf(data, data.length - 1));

        LocalCopyFinder.Result result = new LocalCopyFinder(store, true).find(primary);

        assertThat(result.local()).isEmpty();
        assertThat(result.reason()).isEqualTo(FallbackReason.FILE_MISSING_OR_TRUNCATED);
        assertThat(store.lookup(primaryId())).isEmpty();
        assertThat(committed.getPath()).doesNotExist();
    }

    @Test
    void truncatedFileFallsBackEvenWithoutChecksums() throws IOException {
        Files.write(committed.getPath(), new byte[0]);

        LocalCopyFinder.Result result = new LocalCopyFinder(store, false).find(primary);

        assertThat(result.reason()).isEqualTo(FallbackReason.FILE_MISSING_OR_TRUNCATED);
    }

    @Test
    void flippedByteFailsTheChecksumAndIsRemovedFromTheStore() throws IOException {
        flipByte(committed.getPath(), data.length / 2);

        LocalCopyFinder.Result result = new LocalCopyFinder(store, true).find(primary);

        assertThat(result.local()).isEmpty();
        assertThat(result.reason()).isEqualTo(FallbackReason.CHECKSUM_MISMATCH);
        assertThat(store.lookup(primaryId())).isEmpty();
        assertThat(committed.getPath()).doesNotExist();

        // a second restore does not try it again
        LocalCopyFinder.Result again = new LocalCopyFinder(store, true).find(primary);
        assertThat(again.local()).isEmpty();
        assertThat(again.reason()).isNotNull();
    }

    @Test
    void flippedByteIsNotNoticedWhenChecksumsAreOff() throws IOException {
        flipByte(committed.getPath(), 0);

        LocalCopyFinder.Result result = new LocalCopyFinder(store, false).find(primary);

        assertThat(result.reason()).isNull();
        assertThat(result.local()).isPresent();
    }

    @Test
    void primaryOfAnotherSizeFallsBack() {
        StreamStateHandle resized =
                new FileStateHandle(((FileStateHandle) primary).getFilePath(), data.length + 1L);

        LocalCopyFinder.Result result = new LocalCopyFinder(store, true).find(resized);

        assertThat(result.reason()).isEqualTo(FallbackReason.FILE_MISSING_OR_TRUNCATED);
    }

    @Test
    void unknownHandleHasNoLocalCopy() {
        StreamStateHandle unknown =
                new FileStateHandle(
                        new org.apache.flink.core.fs.Path(tmp.resolve("other").toUri()), 3);

        LocalCopyFinder.Result result = new LocalCopyFinder(store, true).find(unknown);

        assertThat(result.local()).isEmpty();
        assertThat(result.reason()).isEqualTo(FallbackReason.NO_LOCAL_COPY);
        // the known copy is untouched
        assertThat(store.lookup(primaryId())).isPresent();
        assertThat(committed.getPath()).exists();
    }

    private String primaryId() {
        return primary.getStreamStateHandleID().getKeyString();
    }

    private static void flipByte(Path file, int position) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        bytes[position] ^= 0x01;
        Files.write(file, bytes);
    }
}
