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
package io.flinklocalrecovery.benchmarks;

import com.sun.nio.file.ExtendedOpenOption;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;

/**
 * The machine's own read limits on the disk the benchmark uses, measured by the benchmark itself:
 * sequential read from the device, bypassing the page cache ({@code O_DIRECT}), and sequential read
 * from the page cache (the same file, read twice; the second read is measured).
 */
final class MachineLimits {

    private static final int BLOCK = 4 * 1024 * 1024;
    private static final long MB = 1024L * 1024L;

    /** MB/s; negative when not measurable. */
    double diskReadMbPerSecond = -1;

    double pageCacheReadMbPerSecond = -1;
    String diskReadNote = "";
    int probeMb;
    String fileSystem = "?";

    static MachineLimits measure(Path dir, int probeMb) {
        MachineLimits limits = new MachineLimits();
        limits.probeMb = probeMb;
        Path file = dir.resolve("flr-bench-probe-" + System.nanoTime());
        try {
            limits.fileSystem =
                    Files.getFileStore(dir).type() + " (" + Files.getFileStore(dir) + ")";
        } catch (IOException e) {
            // unknown
        }
        try {
            write(file, probeMb);
            try {
                limits.diskReadMbPerSecond = readDirect(file, probeMb);
            } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
                limits.diskReadNote = "O_DIRECT read not possible here (" + e + ")";
            }
            readBuffered(file); // into the page cache
            limits.pageCacheReadMbPerSecond = readBuffered(file);
        } catch (IOException e) {
            limits.diskReadNote = "probe failed: " + e;
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // best effort
            }
        }
        return limits;
    }

    private static void write(Path file, int mb) throws IOException {
        byte[] bytes = new byte[BLOCK];
        new Random(42).nextBytes(bytes);
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        try (FileChannel channel =
                FileChannel.open(
                        file,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
            long total = mb * MB;
            for (long written = 0; written < total; written += BLOCK) {
                buffer.clear();
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }
            channel.force(true);
        }
    }

    /** Bypasses the page cache: what the device delivers. */
    private static double readDirect(Path file, int mb) throws IOException {
        int alignment = (int) Files.getFileStore(file).getBlockSize();
        ByteBuffer buffer =
                ByteBuffer.allocateDirect(BLOCK + alignment).alignedSlice(alignment).limit(BLOCK);
        try (FileChannel channel =
                FileChannel.open(file, StandardOpenOption.READ, ExtendedOpenOption.DIRECT)) {
            long start = System.nanoTime();
            long total = 0;
            while (true) {
                buffer.clear();
                int n = channel.read(buffer);
                if (n <= 0) {
                    break;
                }
                total += n;
            }
            return total / (double) MB / ((System.nanoTime() - start) / 1e9);
        }
    }

    private static double readBuffered(Path file) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(1024 * 1024);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long start = System.nanoTime();
            long total = 0;
            while (true) {
                buffer.clear();
                int n = channel.read(buffer);
                if (n <= 0) {
                    break;
                }
                total += n;
            }
            return total / (double) MB / ((System.nanoTime() - start) / 1e9);
        }
    }
}
