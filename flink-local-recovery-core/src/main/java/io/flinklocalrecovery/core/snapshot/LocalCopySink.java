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
package io.flinklocalrecovery.core.snapshot;

import org.apache.flink.annotation.Internal;
import org.apache.flink.runtime.state.StreamStateHandle;

import io.flinklocalrecovery.core.metrics.LocalWriteFailure;
import io.flinklocalrecovery.core.store.PendingLocalCheckpoint;
import io.flinklocalrecovery.core.store.TaskLocalSnapshotStore;

import javax.annotation.Nullable;
import javax.annotation.concurrent.GuardedBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.zip.CRC32C;

/**
 * The local half of one duplicated checkpoint stream. The snapshot thread hands bytes over in
 * pooled chunks and never waits for the disk: the chunks are written, and the CRC32C computed, by
 * the writer threads, one chunk after the other. When no chunk is free the copy is dropped.
 *
 * <p>Producer methods ({@link #write}, {@link #finish}, {@link #abandon}) are called by the one
 * thread that writes the primary stream; everything else runs on the serial writer queue.
 */
@Internal
final class LocalCopySink {

    private final TaskLocalSnapshotStore store;
    private final PendingLocalCheckpoint checkpoint;
    private final String fileName;
    private final Path file;
    private final ChunkPool pool;
    private final Executor writer;
    private final LocalFileOutputFactory outputs;
    private final CompletableFuture<LocalCopy> result = new CompletableFuture<>();

    // producer side; chunk boundaries and the end are guarded by this, bytes are not
    @Nullable private byte[] chunk;
    private int chunkPos;

    @GuardedBy("this")
    private boolean ended;

    // writer side
    @Nullable private OutputStream out;
    private final CRC32C crc = new CRC32C();
    private long written;
    private long admitted;
    @Nullable private LocalCopyException failure;

    LocalCopySink(
            TaskLocalSnapshotStore store,
            PendingLocalCheckpoint checkpoint,
            ChunkPool pool,
            Executor sharedWriters,
            LocalFileOutputFactory outputs) {
        this.store = store;
        this.checkpoint = checkpoint;
        this.fileName = checkpoint.newFileName();
        this.file = checkpoint.getDirectory().resolve(fileName);
        this.pool = pool;
        this.writer = new SerialExecutor(sharedWriters);
        this.outputs = outputs;
    }

    CompletableFuture<LocalCopy> result() {
        return result;
    }

    synchronized boolean isActive() {
        return !ended;
    }

    void write(int b) {
        byte[] current = chunk;
        int pos = chunkPos;
        if (current == null || pos == current.length) {
            if (!nextChunk()) {
                return;
            }
            current = chunk;
            pos = chunkPos;
        }
        current[pos] = (byte) b;
        chunkPos = pos + 1;
    }

    void write(byte[] bytes, int off, int len) {
        while (len > 0) {
            byte[] current = chunk;
            int pos = chunkPos;
            if (current == null || pos == current.length) {
                if (!nextChunk()) {
                    return;
                }
                current = chunk;
                pos = chunkPos;
            }
            int n = Math.min(len, current.length - pos);
            System.arraycopy(bytes, off, current, pos, n);
            chunkPos = pos + n;
            off += n;
            len -= n;
        }
    }

    /** The primary stream produced this handle: complete the local file. */
    synchronized void finish(StreamStateHandle primary) {
        if (ended) {
            return;
        }
        ended = true;
        submitCurrentChunk();
        writer.execute(() -> complete(primary));
    }

    /**
     * Gives the local copy up; {@code reason} null means nothing failed locally. May be called from
     * another thread than the producer (a cancelled snapshot): the producer's current chunk is then
     * only forgotten by the pool, never handed to anyone else, so a producer still writing into it
     * cannot corrupt another copy.
     */
    synchronized void abandon(
            @Nullable LocalWriteFailure reason, String message, @Nullable Throwable cause) {
        if (ended) {
            return;
        }
        ended = true;
        if (chunk != null) {
            pool.forget(chunk);
            chunk = null;
        }
        LocalCopyException exception = new LocalCopyException(reason, message, cause);
        writer.execute(() -> fail(exception));
    }

    private synchronized boolean nextChunk() {
        if (ended) {
            return false;
        }
        submitCurrentChunk();
        chunk = pool.tryAcquire();
        chunkPos = 0;
        if (chunk == null) {
            abandon(
                    LocalWriteFailure.BUFFER_FULL,
                    "The local write buffer is full (state.backend.local-recovery.write-buffer-size);"
                            + " the local disk is slower than the primary storage",
                    null);
            return false;
        }
        return true;
    }

    private void submitCurrentChunk() {
        byte[] full = chunk;
        int length = chunkPos;
        chunk = null;
        chunkPos = 0;
        if (full == null) {
            return;
        }
        if (length == 0) {
            pool.release(full);
            return;
        }
        writer.execute(() -> writeChunk(full, length));
    }

    // ------------------------------------------------------------------------
    //  writer side
    // ------------------------------------------------------------------------

    private void writeChunk(byte[] data, int length) {
        try {
            if (failure != null) {
                return;
            }
            if (out == null) {
                try {
                    TaskLocalSnapshotStore.createOwnerOnlyDirectories(checkpoint.getDirectory());
                } catch (IOException | RuntimeException e) {
                    setFailure(
                            LocalWriteFailure.of(
                                    e,
                                    LocalWriteFailure.DIRECTORY_NOT_CREATABLE,
                                    checkpoint.getDirectory()),
                            "Could not create local checkpoint directory "
                                    + checkpoint.getDirectory(),
                            e);
                    return;
                }
                out = outputs.open(file);
            }
            // the disk budget counts the bytes before they are on the disk: a copy that cannot
            // fit is given up here (overBudget), not written to the end first
            store.admitWrite(checkpoint, length);
            admitted += length;
            out.write(data, 0, length);
            crc.update(data, 0, length);
            written += length;
        } catch (IOException | RuntimeException e) {
            setFailure(
                    LocalWriteFailure.of(
                            e, LocalWriteFailure.WRITE_ERROR, checkpoint.getDirectory()),
                    "Could not write local file " + file,
                    e);
        } finally {
            pool.release(data);
        }
    }

    private void complete(StreamStateHandle primary) {
        if (failure == null) {
            try {
                if (out == null) {
                    // an empty stream: an empty local file keeps the bookkeeping uniform
                    TaskLocalSnapshotStore.createOwnerOnlyDirectories(checkpoint.getDirectory());
                    out = outputs.open(file);
                }
                out.close();
                out = null;
            } catch (IOException | RuntimeException e) {
                setFailure(
                        LocalWriteFailure.of(
                                e, LocalWriteFailure.WRITE_ERROR, checkpoint.getDirectory()),
                        "Could not close local file " + file,
                        e);
            }
        }
        if (failure != null) {
            result.completeExceptionally(failure);
        } else {
            result.complete(new LocalCopy(primary, fileName, written, (int) crc.getValue()));
        }
    }

    private void fail(LocalCopyException exception) {
        if (failure == null) {
            failure = exception;
        }
        cleanUp();
        result.completeExceptionally(failure);
    }

    private void setFailure(LocalWriteFailure reason, String message, Throwable cause) {
        failure = new LocalCopyException(reason, message, cause);
        cleanUp();
    }

    private void cleanUp() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException ignored) {
                // the file goes anyway
            }
            out = null;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // the whole local checkpoint directory is deleted later
        }
        if (admitted > 0) {
            store.writeUndone(checkpoint, admitted);
            admitted = 0;
        }
    }
}
