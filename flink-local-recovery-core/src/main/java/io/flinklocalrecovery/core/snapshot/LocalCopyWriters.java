package io.flinklocalrecovery.core.snapshot;

import io.flinklocalrecovery.core.store.BackgroundThreads;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** The TaskManager-wide threads and memory budget that write local copies. */
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
