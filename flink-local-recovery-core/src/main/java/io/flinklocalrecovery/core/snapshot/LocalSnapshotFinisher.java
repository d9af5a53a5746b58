package io.flinklocalrecovery.core.snapshot;

import org.apache.flink.runtime.state.StateObject;

import javax.annotation.Nullable;

/**
 * Completes the local side of one backend snapshot once the primary side is known. It runs after
 * the checkpoint has been acknowledged (or on the asynchronous snapshot thread), and nothing in it
 * may fail the checkpoint.
 */
public interface LocalSnapshotFinisher<T extends StateObject> {

    /**
     * The primary snapshot completed.
     *
     * @param jobManagerOwned the primary result, returned to Flink unchanged
     * @param taskLocal the backend's own task-local result (RocksDB's native checkpoint), which is
     *     not returned to Flink: from now on it belongs to the finisher
     */
    void primaryCompleted(T jobManagerOwned, @Nullable T taskLocal);

    /**
     * The primary snapshot failed, was cancelled or is empty: drop everything local, including the
     * backend's own task-local result if there is one.
     */
    void discard(@Nullable T taskLocal);
}
