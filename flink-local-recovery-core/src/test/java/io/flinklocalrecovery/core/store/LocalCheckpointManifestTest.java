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

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalCheckpointManifestTest {

    private static final LocalSnapshotScope SCOPE =
            new LocalSnapshotScope("job1", "op1", 3, LocalSnapshotScope.Kind.OPERATOR);

    private static LocalCheckpointManifest manifest() {
        return new LocalCheckpointManifest(
                SCOPE,
                42L,
                List.of(
                        new LocalFileEntry("file:/primary/a", "a.data", 10, 0x12345678),
                        new LocalFileEntry("file:/primary/b-\u00e4\u00f6", "b.data", 0, -1),
                        new LocalFileEntry("s3://bucket/c", "c_1-2.data", 1L << 40, 7)));
    }

    @Test
    void roundTripKeepsEveryField() throws IOException {
        LocalCheckpointManifest original = manifest();

        LocalCheckpointManifest parsed = LocalCheckpointManifest.fromBytes(original.toBytes());

        assertThat(parsed.getScope()).isEqualTo(SCOPE);
        assertThat(parsed.getCheckpointId()).isEqualTo(42L);
        assertThat(parsed.getEntries()).containsExactlyElementsOf(original.getEntries());
        assertThat(parsed.totalBytes()).isEqualTo(10 + (1L << 40));
    }

    @Test
    void roundTripOfAnEmptyManifest() throws IOException {
        LocalCheckpointManifest original = new LocalCheckpointManifest(SCOPE, 0L, List.of());

        LocalCheckpointManifest parsed = LocalCheckpointManifest.fromBytes(original.toBytes());

        assertThat(parsed.getCheckpointId()).isZero();
        assertThat(parsed.getEntries()).isEmpty();
    }

    @Test
    void handWrittenLayoutIsParsed() throws IOException {
        byte[] bytes =
                new ManifestBytes(SCOPE, 42L)
                        .entry("file:/primary/a", "a.data", 10, 0x12345678)
                        .build();

        LocalCheckpointManifest parsed = LocalCheckpointManifest.fromBytes(bytes);

        assertThat(parsed.getEntries())
                .containsExactly(new LocalFileEntry("file:/primary/a", "a.data", 10, 0x12345678));
    }

    @Test
    void everyTruncationIsRejected() {
        byte[] bytes = manifest().toBytes();
        for (int length = 0; length < bytes.length; length++) {
            byte[] truncated = Arrays.copyOf(bytes, length);
            assertThatThrownBy(() -> LocalCheckpointManifest.fromBytes(truncated))
                    .as("manifest truncated to %d of %d bytes", length, bytes.length)
                    .isInstanceOf(IOException.class);
        }
    }

    @Test
    void everyFlippedByteIsRejected() {
        byte[] bytes = manifest().toBytes();
        for (int i = 0; i < bytes.length; i++) {
            byte[] corrupt = bytes.clone();
            corrupt[i] ^= 0x01;
            assertThatThrownBy(() -> LocalCheckpointManifest.fromBytes(corrupt))
                    .as("manifest with byte %d flipped", i)
                    .isInstanceOf(IOException.class);
        }
    }

    @Test
    void wrongVersionIsRejectedEvenWithAValidChecksum() throws IOException {
        byte[] bytes =
                new ManifestBytes(SCOPE, 1L)
                        .version(LocalCheckpointManifest.LATEST_FORMAT_VERSION + 1)
                        .entry("p", "a.data", 1, 0)
                        .build();

        assertThatThrownBy(() -> LocalCheckpointManifest.fromBytes(bytes))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(
                        "version " + (LocalCheckpointManifest.LATEST_FORMAT_VERSION + 1));
    }

    @Test
    void wrongMagicIsRejected() throws IOException {
        byte[] bytes = new ManifestBytes(SCOPE, 1L).magic(0xCAFEBABE).build();

        assertThatThrownBy(() -> LocalCheckpointManifest.fromBytes(bytes))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("Not a local checkpoint manifest");
    }

    @Test
    void trailingBytesAreRejected() throws IOException {
        byte[] bytes =
                new ManifestBytes(SCOPE, 1L)
                        .entry("p", "a.data", 1, 0)
                        .trailing(new byte[] {1, 2, 3})
                        .build();

        assertThatThrownBy(() -> LocalCheckpointManifest.fromBytes(bytes))
                .isInstanceOf(IOException.class);
    }

    @Test
    void unknownKindIsRejectedAsIOException() throws IOException {
        byte[] bytes = new ManifestBytes(SCOPE, 1L).kind("BROADCAST").build();

        assertThatThrownBy(() -> LocalCheckpointManifest.fromBytes(bytes))
                .isInstanceOf(IOException.class);
    }

    @Test
    void unsafeFileNameIsRejectedAsIOException() throws IOException {
        for (String name : List.of("../../x", "a/b", "/etc/passwd", "..", ".hidden", "a\\b")) {
            byte[] bytes = new ManifestBytes(SCOPE, 1L).entry("p", name, 1, 0).build();

            assertThatThrownBy(() -> LocalCheckpointManifest.fromBytes(bytes))
                    .as("file name %s", name)
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("Unsafe local file name");
        }
    }

    @Test
    void fileNameListedTwiceIsRejectedAsIOException() throws IOException {
        // two primary handles pointing at one local file: a restore of either would read it
        byte[] bytes =
                new ManifestBytes(SCOPE, 1L)
                        .entry("file:/primary/a", "a.data", 1, 0)
                        .entry("file:/primary/b", "a.data", 1, 0)
                        .build();

        assertThatThrownBy(() -> LocalCheckpointManifest.fromBytes(bytes))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("used twice");
    }
}
