package io.flinklocalrecovery.core.store;

import java.nio.file.Path;
import java.util.UUID;

/**
 * A local checkpoint being written. Its directory is created lazily by the first local file, on the
 * writer threads, so that nothing local happens before the checkpoint is acknowledged.
 */
public final class PendingLocalCheckpoint {

    private final LocalSnapshotScope scope;
    private final long checkpointId;
    private final Path directory;

    PendingLocalCheckpoint(LocalSnapshotScope scope, long checkpointId, Path directory) {
        this.scope = scope;
        this.checkpointId = checkpointId;
        this.directory = directory;
    }

    public LocalSnapshotScope getScope() {
        return scope;
    }

    public long getCheckpointId() {
        return checkpointId;
    }

    public Path getDirectory() {
        return directory;
    }

    /** A fresh, safe name for the next local file of this checkpoint. */
    public String newFileName() {
        return UUID.randomUUID() + ".data";
    }

    @Override
    public String toString() {
        return scope + "/chk_" + checkpointId;
    }
}
