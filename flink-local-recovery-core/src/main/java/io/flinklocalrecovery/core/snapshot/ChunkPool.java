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
import org.apache.flink.annotation.VisibleForTesting;
import org.apache.flink.util.Preconditions;

import javax.annotation.Nullable;
import javax.annotation.concurrent.GuardedBy;

import java.util.ArrayDeque;

/**
 * The TaskManager-wide budget of memory for bytes on their way to local files. Acquiring never
 * blocks: when the budget is spent, the caller drops its local copy instead of slowing the primary
 * copy down.
 */
@Internal
public final class ChunkPool {

    public static final int DEFAULT_CHUNK_SIZE = 64 * 1024;

    private final int chunkSize;
    private final int maxChunks;

    @GuardedBy("this")
    private final ArrayDeque<byte[]> free = new ArrayDeque<>();

    @GuardedBy("this")
    private int allocated;

    public ChunkPool(long budgetBytes, int chunkSize) {
        Preconditions.checkArgument(chunkSize > 0);
        this.chunkSize = chunkSize;
        this.maxChunks = (int) Math.max(2, Math.min(Integer.MAX_VALUE, budgetBytes / chunkSize));
    }

    public int getChunkSize() {
        return chunkSize;
    }

    /** A chunk, or null if the budget is spent. */
    @Nullable
    public synchronized byte[] tryAcquire() {
        byte[] chunk = free.pollFirst();
        if (chunk != null) {
            return chunk;
        }
        if (allocated < maxChunks) {
            allocated++;
            return new byte[chunkSize];
        }
        return null;
    }

    public synchronized void release(byte[] chunk) {
        Preconditions.checkArgument(chunk.length == chunkSize, "Foreign chunk");
        free.addFirst(chunk);
    }

    /**
     * Gives up on a chunk that may still be referenced elsewhere: it leaves the budget but is never
     * handed out again.
     */
    public synchronized void forget(byte[] chunk) {
        Preconditions.checkArgument(chunk.length == chunkSize, "Foreign chunk");
        allocated--;
    }

    /** Chunks handed out and not yet returned. */
    @VisibleForTesting
    public synchronized int inUse() {
        return allocated - free.size();
    }
}
