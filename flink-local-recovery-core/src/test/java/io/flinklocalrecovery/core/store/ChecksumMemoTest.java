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
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@link ChecksumMemo} recognises as unchanged, and that each entry is good only once. */
class ChecksumMemoTest {

    @TempDir Path tmp;

    private final ChecksumMemo memo = new ChecksumMemo(100);

    @Test
    void anUnchangedFileIsKnownOnce() throws IOException {
        Path file = write("a.sst", "content");
        memo.remember(file, 7, 42);

        assertThat(memo.consume(file, 7, 42)).isTrue();
        assertThat(memo.consume(file, 7, 42)).isFalse();
    }

    @Test
    void lookingWithoutConsumingKeepsTheEntry() throws IOException {
        Path file = write("a.sst", "content");
        memo.remember(file, 7, 42);

        assertThat(memo.contains(file, 7, 42)).isTrue();
        assertThat(memo.contains(file, 7, 43)).isFalse();
        assertThat(memo.consume(file, 7, 42)).isTrue();
        assertThat(memo.contains(file, 7, 42)).isFalse();
    }

    @Test
    void aDifferentChecksumOrSizeIsNotKnown() throws IOException {
        Path file = write("a.sst", "content");
        memo.remember(file, 7, 42);
        assertThat(memo.consume(file, 7, 43)).isFalse();

        memo.remember(file, 7, 42);
        assertThat(memo.consume(file, 8, 42)).isFalse();
    }

    @Test
    void aFileOfAnotherSizeIsNotRemembered() throws IOException {
        Path file = write("a.sst", "content");
        memo.remember(file, 8, 42);

        assertThat(memo.size()).isZero();
    }

    @Test
    void aModifiedFileIsNotKnown() throws IOException {
        Path file = write("a.sst", "content");
        memo.remember(file, 7, 42);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.write('C');
        }
        Files.setLastModifiedTime(
                file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 1_000));

        assertThat(memo.consume(file, 7, 42)).isFalse();
    }

    @Test
    void aReplacedFileIsNotKnown() throws IOException {
        Path file = write("a.sst", "content");
        FileTime modified = Files.getLastModifiedTime(file);
        memo.remember(file, 7, 42);
        // same name, size and modification time, but another file (inode)
        Path other = write("b.sst", "CONTENT");
        Files.setLastModifiedTime(other, modified);
        Files.move(other, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        assertThat(memo.consume(file, 7, 42)).isFalse();
    }

    @Test
    void everyHardLinkOfAFileIsTheSameFile() throws IOException {
        Path file = write("a.sst", "content");
        Path link = tmp.resolve("link.sst");
        Files.createLink(link, file);
        memo.remember(file, 7, 42);

        assertThat(memo.consume(link, 7, 42)).isTrue();
        assertThat(memo.consume(file, 7, 42)).isFalse();
    }

    @Test
    void aMissingFileIsNeitherRememberedNorKnown() {
        Path missing = tmp.resolve("missing.sst");
        memo.remember(missing, 7, 42);

        assertThat(memo.size()).isZero();
        assertThat(memo.consume(missing, 7, 42)).isFalse();
    }

    @Test
    void forgetsTheOldestFilesBeyondItsCapacity() throws IOException {
        ChecksumMemo small = new ChecksumMemo(2);
        Path first = write("1.sst", "one");
        Path second = write("2.sst", "two");
        Path third = write("3.sst", "six");
        small.remember(first, 3, 1);
        small.remember(second, 3, 2);
        small.remember(third, 3, 3);

        assertThat(small.size()).isEqualTo(2);
        assertThat(small.consume(first, 3, 1)).isFalse();
        assertThat(small.consume(second, 3, 2)).isTrue();
        assertThat(small.consume(third, 3, 3)).isTrue();
    }

    private Path write(String name, String content) throws IOException {
        return Files.write(tmp.resolve(name), content.getBytes(StandardCharsets.UTF_8));
    }
}
