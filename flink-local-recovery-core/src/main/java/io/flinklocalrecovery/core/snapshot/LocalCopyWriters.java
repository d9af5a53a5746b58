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

import io.flinklocalrecovery.core.store.BackgroundThreads;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** The TaskManager-wide threads and memory budget that write local copies. */
@Internal
public final class LocalCopyWriters implements AutoCloseable {

    private final ExecutorService executor;
    private final ChunkPool chunkPool;
    private final LocalFileOutputFactory outputs;

    public LocalCopyWriters(int threads, long bufferBytes, LocalFileOutputFactory outputs) {
        this.executor =
                Executors.newFixedThreadPool(
                        Math.max(1, threads),
                        BackgroundThreads.factory("flink-local-recovery-writer"));
        this.chunkPool = new ChunkPool(bufferBytes, ChunkPool.DEFAULT_CHUNK_SIZE);
        this.outputs = outputs;
    }

    ExecutorService executor() {
        return executor;
    }

    public ChunkPool chunkPool() {
        return chunkPool;
    }

    LocalFileOutputFactory outputs() {
        return outputs;
    }

    @Override
    public void close() {
        executor.shutdown();
    }
}
