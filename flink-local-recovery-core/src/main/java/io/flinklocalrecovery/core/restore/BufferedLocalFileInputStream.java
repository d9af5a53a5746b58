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

import org.apache.flink.annotation.Internal;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.util.Preconditions;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A seekable, buffered stream over a local file. Heap restores read state entry by entry (often a
 * few bytes per call); without a buffer each of those reads is a system call and a local restore of
 * many small entries would be slower than a buffered remote read.
 */
@Internal
final class BufferedLocalFileInputStream extends FSDataInputStream {

    static final int DEFAULT_BUFFER_SIZE = 64 * 1024;

    private final FileChannel channel;
    private final ByteBuffer buffer;

    /** File position of the first byte in the buffer. */
    private long bufferStart;

    BufferedLocalFileInputStream(Path file, int bufferSize) throws IOException {
        Preconditions.checkArgument(bufferSize > 0);
        this.channel = FileChannel.open(file, StandardOpenOption.READ);
        this.buffer = ByteBuffer.allocate(bufferSize);
        this.buffer.limit(0);
    }

    @Override
    public void seek(long desired) throws IOException {
        if (desired < 0) {
            throw new EOFException("Cannot seek to a negative position: " + desired);
        }
        long bufferEnd = bufferStart + buffer.limit();
        if (desired >= bufferStart && desired <= bufferEnd) {
            buffer.position((int) (desired - bufferStart));
        } else {
            bufferStart = desired;
            buffer.limit(0);
        }
    }

    @Override
    public long getPos() {
        return bufferStart + buffer.position();
    }

    @Override
    public int read() throws IOException {
        if (!buffer.hasRemaining() && !fill()) {
            return -1;
        }
        return buffer.get() & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (!buffer.hasRemaining()) {
            if (len >= buffer.capacity()) {
                // large reads go straight to the file
                long position = getPos();
                int n = channel.read(ByteBuffer.wrap(b, off, len), position);
                if (n > 0) {
                    bufferStart = position + n;
                    buffer.limit(0);
                }
                return n;
            }
            if (!fill()) {
                return -1;
            }
        }
        int n = Math.min(len, buffer.remaining());
        buffer.get(b, off, n);
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        if (n <= 0) {
            return 0;
        }
        long target = Math.min(getPos() + n, channel.size());
        long skipped = target - getPos();
        seek(target);
        return skipped;
    }

    @Override
    public int available() throws IOException {
        long remaining = channel.size() - getPos();
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, remaining));
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /** Refills the buffer from the current position; false at the end of the file. */
    private boolean fill() throws IOException {
        long position = getPos();
        buffer.clear();
        int n;
        do {
            n = channel.read(buffer, position);
        } while (n == 0);
        bufferStart = position;
        buffer.flip();
        return n > 0;
    }
}
