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
package io.flinklocalrecovery.testutils.fs;

import org.apache.flink.core.fs.BlockLocation;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.local.LocalFileSystem;

import io.flinklocalrecovery.testutils.flinkline.FlinkLineFileSystem;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An emulated remote file system: {@code throttled:///some/dir} is the local directory {@code
 * /some/dir}, but every byte read or written goes through a bandwidth limit shared by all streams
 * of this file system (one token bucket per direction), and every {@code open} and {@code create}
 * waits a fixed latency first, like the first round trip to an object store.
 *
 * <p>Input streams read in blocks (64 KB by default) like the clients of real remote stores, so
 * small reads cost a copy from the buffer, not a system call each. Output streams report their
 * bytes as they write and pay for the last ones on close.
 *
 * <p>It stands in for S3, HDFS or a network share in demos and benchmarks on one machine. It does
 * not emulate anything else about such stores (no eventual consistency, no request limits), and the
 * bytes still end up in the local page cache.
 */
public class ThrottledFileSystem extends FlinkLineFileSystem {

    public static final String SCHEME = "throttled";

    /** Bytes an output stream accumulates before it reports them to the token bucket. */
    private static final int REPORT_BYTES = 64 * 1024;

    /** The default read block size of input streams. */
    public static final int DEFAULT_READ_BUFFER_BYTES = 64 * 1024;

    /**
     * The plain local file system. Not {@link FileSystem#getLocalFileSystem()}: that one is wrapped
     * in the safety net of the thread that first asks for it, and in a TaskManager that is a task
     * thread, whose registry is closed when the task ends, failing every later restore.
     */
    private final FileSystem local = LocalFileSystem.getSharedInstance();

    private final long bytesPerSecond;
    private final long latencyMs;
    private final int readBufferBytes;
    private final TokenBucket readBucket;
    private final TokenBucket writeBucket;
    private final AtomicLong bytesRead = new AtomicLong();
    private final AtomicLong bytesWritten = new AtomicLong();

    public ThrottledFileSystem(long bytesPerSecond, long latencyMs) {
        this(bytesPerSecond, latencyMs, DEFAULT_READ_BUFFER_BYTES);
    }

    public ThrottledFileSystem(long bytesPerSecond, long latencyMs, int readBufferBytes) {
        if (readBufferBytes <= 0) {
            throw new IllegalArgumentException(
                    "readBufferBytes must be positive: " + readBufferBytes);
        }
        this.bytesPerSecond = bytesPerSecond;
        this.latencyMs = latencyMs;
        this.readBufferBytes = readBufferBytes;
        // a burst of 1/20 s: enough to smooth scheduling jitter, too small to hide the limit
        this.readBucket = new TokenBucket(bytesPerSecond, bytesPerSecond / 20);
        this.writeBucket = new TokenBucket(bytesPerSecond, bytesPerSecond / 20);
    }

    public long getBytesPerSecond() {
        return bytesPerSecond;
    }

    public long getLatencyMs() {
        return latencyMs;
    }

    /** Bytes read through this file system so far. */
    public long getBytesRead() {
        return bytesRead.get();
    }

    /** Bytes written through this file system so far. */
    public long getBytesWritten() {
        return bytesWritten.get();
    }

    // ------------------------------------------------------------------------
    // paths

    private static Path toLocal(Path path) {
        return new Path("file", null, path.toUri().getPath());
    }

    private static Path toThrottled(Path path) {
        return new Path(SCHEME, null, path.toUri().getPath());
    }

    // ------------------------------------------------------------------------
    // FileSystem

    @Override
    public Path getWorkingDirectory() {
        return toThrottled(local.getWorkingDirectory());
    }

    @Override
    public Path getHomeDirectory() {
        return toThrottled(local.getHomeDirectory());
    }

    @Override
    public URI getUri() {
        return URI.create(SCHEME + ":///");
    }

    @Override
    public FileStatus getFileStatus(Path f) throws IOException {
        return new ThrottledFileStatus(local.getFileStatus(toLocal(f)));
    }

    @Override
    public BlockLocation[] getFileBlockLocations(FileStatus file, long start, long len)
            throws IOException {
        FileStatus localStatus =
                file instanceof ThrottledFileStatus ? ((ThrottledFileStatus) file).local : file;
        return local.getFileBlockLocations(localStatus, start, len);
    }

    @Override
    public FSDataInputStream open(Path f, int bufferSize) throws IOException {
        return open(f);
    }

    @Override
    public FSDataInputStream open(Path f) throws IOException {
        latency();
        return new ThrottledInputStream(local.open(toLocal(f)));
    }

    @Override
    public FileStatus[] listStatus(Path f) throws IOException {
        FileStatus[] statuses = local.listStatus(toLocal(f));
        if (statuses == null) {
            return null;
        }
        FileStatus[] result = new FileStatus[statuses.length];
        for (int i = 0; i < statuses.length; i++) {
            result[i] = new ThrottledFileStatus(statuses[i]);
        }
        return result;
    }

    @Override
    public boolean delete(Path f, boolean recursive) throws IOException {
        return local.delete(toLocal(f), recursive);
    }

    @Override
    public boolean mkdirs(Path f) throws IOException {
        return local.mkdirs(toLocal(f));
    }

    @Override
    public FSDataOutputStream create(Path f, WriteMode overwriteMode) throws IOException {
        latency();
        return new ThrottledOutputStream(local.create(toLocal(f), overwriteMode));
    }

    @Override
    public boolean rename(Path src, Path dst) throws IOException {
        return local.rename(toLocal(src), toLocal(dst));
    }

    @Override
    public boolean isDistributedFS() {
        return true;
    }

    private void latency() throws InterruptedIOException {
        if (latencyMs > 0) {
            try {
                Thread.sleep(latencyMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("Interrupted during emulated latency");
            }
        }
    }

    // ------------------------------------------------------------------------

    private static final class ThrottledFileStatus implements FileStatus {
        private final FileStatus local;

        ThrottledFileStatus(FileStatus local) {
            this.local = local;
        }

        @Override
        public long getLen() {
            return local.getLen();
        }

        @Override
        public long getBlockSize() {
            return local.getBlockSize();
        }

        @Override
        public short getReplication() {
            return local.getReplication();
        }

        @Override
        public long getModificationTime() {
            return local.getModificationTime();
        }

        @Override
        public long getAccessTime() {
            return local.getAccessTime();
        }

        @Override
        public boolean isDir() {
            return local.isDir();
        }

        @Override
        public Path getPath() {
            return toThrottled(local.getPath());
        }
    }

    /**
     * Reads in blocks of {@code readBufferBytes}, like the clients of real remote stores (an S3 or
     * HDFS input stream serves small reads from its buffer, not with a round trip each).
     */
    private final class ThrottledInputStream extends FSDataInputStream {
        private final FSDataInputStream in;
        private final byte[] buffer;
        private int position;
        private int limit;

        ThrottledInputStream(FSDataInputStream in) {
            this.in = in;
            this.buffer = new byte[readBufferBytes];
        }

        /** Reads the next block; false at the end of the file. */
        private boolean fill() throws IOException {
            position = 0;
            limit = Math.max(0, in.read(buffer, 0, buffer.length));
            if (limit > 0) {
                bytesRead.addAndGet(limit);
                readBucket.acquire(limit);
            }
            return limit > 0;
        }

        @Override
        public void seek(long desired) throws IOException {
            long bufferStart = in.getPos() - limit;
            if (desired >= bufferStart && desired <= bufferStart + limit) {
                position = (int) (desired - bufferStart);
            } else {
                position = 0;
                limit = 0;
                in.seek(desired);
            }
        }

        @Override
        public long getPos() throws IOException {
            return in.getPos() - (limit - position);
        }

        @Override
        public int read() throws IOException {
            if (position >= limit && !fill()) {
                return -1;
            }
            return buffer[position++] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (position >= limit && !fill()) {
                return -1;
            }
            int n = Math.min(len, limit - position);
            System.arraycopy(buffer, position, b, off, n);
            position += n;
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            if (n <= 0) {
                return 0;
            }
            long pos = getPos();
            seek(pos + n);
            return getPos() - pos;
        }

        @Override
        public int available() throws IOException {
            return (limit - position) + in.available();
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    private final class ThrottledOutputStream extends FSDataOutputStream {
        private final FSDataOutputStream out;
        private int unreported;

        ThrottledOutputStream(FSDataOutputStream out) {
            this.out = out;
        }

        private void account(int bytes) throws IOException {
            bytesWritten.addAndGet(bytes);
            unreported += bytes;
            if (unreported >= REPORT_BYTES) {
                int report = unreported;
                unreported = 0;
                writeBucket.acquire(report);
            }
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            account(1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            account(len);
        }

        @Override
        public long getPos() throws IOException {
            return out.getPos();
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void sync() throws IOException {
            out.sync();
        }

        @Override
        public void close() throws IOException {
            // the last bytes are "uploaded" when the stream is closed
            int report = unreported;
            unreported = 0;
            try {
                writeBucket.acquire(report);
            } finally {
                out.close();
            }
        }
    }
}
