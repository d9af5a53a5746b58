package io.flinklocalrecovery.core.store;

import java.nio.file.Path;

/** A native checkpoint directory found in the store: where it is and what it must contain. */
public final class LocalNativeCheckpointRef {

    private final LocalSnapshotScope scope;
    private final long checkpointId;
    private final Path checkpointDirectory;
    private final LocalNativeCheckpoint nativeCheckpoint;

    LocalNativeCheckpointRef(
            LocalSnapshotScope scope,
            long checkpointId,
            Path checkpointDirectory,
            LocalNativeCheckpoint nativeCheckpoint) {
        this.scope = scope;
        this.checkpointId = checkpointId;
        this.checkpointDirectory = checkpointDirectory;
        this.nativeCheckpoint = nativeCheckpoint;
    }

    public LocalSnapshotScope getScope() {
        return scope;
    }

    public long getCheckpointId() {
        return checkpointId;
    }

    public LocalNativeCheckpoint getNativeCheckpoint() {
        return nativeCheckpoint;
    }

    /** The native directory itself (RocksDB's checkpoint directory). */
    public Path getDirectory() {
        return checkpointDirectory.resolve(nativeCheckpoint.getDirectoryName());
    }

    public Path getMetaDataFile() {
        return checkpointDirectory.resolve(nativeCheckpoint.getMetaData().getFileName());
    }

    /**
     * A fresh directory next to the local checkpoints of this scope, for assembling a restore
     * directory; it is not part of any local checkpoint, and the next start-up collects it if the
     * restore does not remove it.
     */
    public Path newAssemblyDirectory() {
        return checkpointDirectory.resolveSibling("restore_" + java.util.UUID.randomUUID());
    }

    @Override
    public String toString() {
        return getDirectory() + " (checkpoint " + checkpointId + ", " + nativeCheckpoint + ")";
    }
}
