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

import org.apache.flink.annotation.Internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/** CRC32C of a whole local file, read sequentially. */
@Internal
public final class FileChecksums {

    private static final int BUFFER = 1024 * 1024;

    private FileChecksums() {}

    /**
     * Reads the file in full.
     *
     * @throws IOException if it cannot be read or does not have {@code expectedSize} bytes
     */
    public static int crc32c(Path file, long expectedSize) throws IOException {
        CRC32C crc = new CRC32C();
        // no larger than the file: a restore checks many small files (metadata, small SSTs)
        ByteBuffer buffer =
                ByteBuffer.allocateDirect((int) Math.max(1, Math.min(BUFFER, expectedSize)));
        long total = 0;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            while (channel.read(buffer) >= 0) {
                buffer.flip();
                total += buffer.remaining();
                crc.update(buffer);
                buffer.clear();
            }
        }
        if (total != expectedSize) {
            throw new IOException(
                    "File " + file + " has " + total + " bytes, expected " + expectedSize);
        }
        return (int) crc.getValue();
    }
}
