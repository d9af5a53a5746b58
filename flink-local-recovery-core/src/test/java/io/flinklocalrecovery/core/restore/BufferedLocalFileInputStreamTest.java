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

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class BufferedLocalFileInputStreamTest {

    @TempDir Path tmp;

    @Test
    void randomReadsAndSeeksSeeTheFileContent() throws IOException {
        byte[] data = new byte[300_000];
        Random random = new Random(7);
        random.nextBytes(data);
        Path file = tmp.resolve("data");
        Files.write(file, data);

        try (BufferedLocalFileInputStream in = new BufferedLocalFileInputStream(file, 4096)) {
            long pos = 0;
            for (int step = 0; step < 5_000; step++) {
                int action = random.nextInt(4);
                if (action == 0) {
                    pos = random.nextInt(data.length + 1);
                    in.seek(pos);
                } else if (action == 1) {
                    int b = in.read();
                    assertThat(b).isEqualTo(pos < data.length ? data[(int) pos] & 0xff : -1);
                    pos = Math.min(pos + 1, data.length);
                } else {
                    int len = random.nextInt(action == 2 ? 100 : 20_000);
                    byte[] target = new byte[len];
                    int n = in.read(target, 0, len);
                    if (pos == data.length && len > 0) {
                        assertThat(n).isEqualTo(-1);
                    } else {
                        assertThat(n).isBetween(Math.min(len, 1), len);
                        assertThat(Arrays.copyOf(target, n))
                                .isEqualTo(Arrays.copyOfRange(data, (int) pos, (int) pos + n));
                        pos += n;
                    }
                }
                assertThat(in.getPos()).isEqualTo(pos);
                assertThat(in.available()).isEqualTo(data.length - (int) pos);
            }
        }
    }

    @Test
    void readsAWholeFileThroughSmallAndLargeReads() throws IOException {
        byte[] data = new byte[100_000];
        new Random(3).nextBytes(data);
        Path file = tmp.resolve("whole");
        Files.write(file, data);
        try (BufferedLocalFileInputStream in = new BufferedLocalFileInputStream(file, 1024)) {
            assertThat(in.readAllBytes()).isEqualTo(data);
            assertThat(in.read()).isEqualTo(-1);
            in.seek(10);
            assertThat(in.skip(20)).isEqualTo(20);
            assertThat(in.read()).isEqualTo(data[30] & 0xff);
        }
    }
}
