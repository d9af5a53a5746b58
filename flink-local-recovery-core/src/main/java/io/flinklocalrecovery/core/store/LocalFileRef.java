package io.flinklocalrecovery.core.store;

import java.nio.file.Path;

/** A local file found for a primary handle id: where it is and what it must look like. */
public final class LocalFileRef {

    private final LocalSnapshotScope scope;
    private final long checkpointId;
    private final Path path;
    private final LocalFileEntry entry;

    LocalFileRef(LocalSnapshotScope scope, long checkpointId, Path path, LocalFileEntry entry) {
        this.scope = scope;
        this.checkpointId = checkpointId;
        this.path = path;
        this.entry = entry;
    }

    public LocalSnapshotScope getScope() {
        return scope;
    }

    public long getCheckpointId() {
        return checkpointId;
    }

    public Path getPath() {
        return path;
    }

    public LocalFileEntry getEntry() {
        return entry;
    }

    @Override
    public String toString() {
        return path + " (checkpoint " + checkpointId + ", " + entry + ")";
    }
}
