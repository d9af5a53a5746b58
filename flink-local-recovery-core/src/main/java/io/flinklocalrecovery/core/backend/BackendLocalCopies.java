package io.flinklocalrecovery.core.backend;

import org.apache.flink.runtime.state.KeyedStateHandle;

import io.flinklocalrecovery.core.snapshot.LocalSnapshotFinisher;
import io.flinklocalrecovery.core.store.PendingLocalCheckpoint;

/**
 * For keyed backends that make their local copy themselves (RocksDB keeps its native checkpoint
 * directory in a directory the plugin hands it): their checkpoint streams are not duplicated;
 * instead the task-local part of their snapshot result is taken into the store.
 */
public interface BackendLocalCopies {

    /** Takes the backend's task-local result of this checkpoint into the store. */
    LocalSnapshotFinisher<KeyedStateHandle> forCheckpoint(PendingLocalCheckpoint pending);

    /**
     * Drops whatever the backend wrote locally for a snapshot that keeps no local copy (a
     * savepoint).
     */
    LocalSnapshotFinisher<KeyedStateHandle> discarding(long checkpointId);
}
