package io.flinklocalrecovery.rocksdb;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/** CRC32C of a whole local file, read sequentially. */
final class FileChecksums {

    private static final int BUFFER = 1024 * 1024;

    private FileChecksums() {}

    static int crc32c(Path file, long expectedSize) throws IOException {
        CRC32C crc = new CRC32C();
        ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER);
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
