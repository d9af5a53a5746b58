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
package io.flinklocalrecovery.core.store;

import org.apache.flink.annotation.Internal;

import java.nio.file.Path;

/** A native checkpoint directory found in the store: where it is and what it must contain. */
@Internal
public final class LocalNativeCheckpointRef {

    private final LocalSnapshotScope scope;
    private final long checkpointId;
    private final Path checkpointDirectory;
    private final LocalNativeCheckpoint nativeCheckpoint;
    private final CopyOrigin origin;

    LocalNativeCheckpointRef(
            LocalSnapshotScope scope,
            long checkpointId,
            Path checkpointDirectory,
            LocalNativeCheckpoint nativeCheckpoint) {
        this(scope, checkpointId, checkpointDirectory, nativeCheckpoint, CopyOrigin.OWN);
    }

    LocalNativeCheckpointRef(
            LocalSnapshotScope scope,
            long checkpointId,
            Path checkpointDirectory,
            LocalNativeCheckpoint nativeCheckpoint,
            CopyOrigin origin) {
        this.scope = scope;
        this.checkpointId = checkpointId;
        this.checkpointDirectory = checkpointDirectory;
        this.nativeCheckpoint = nativeCheckpoint;
        this.origin = origin;
    }

    /** Whose copy this is: the store's own, adopted, or borrowed from another TaskManager. */
    public CopyOrigin getOrigin() {
        return origin;
    }

    /** The local checkpoint directory holding the native directory and its metadata file. */
    public Path getCheckpointDirectory() {
        return checkpointDirectory;
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
        return getDirectory()
                + " (checkpoint "
                + checkpointId
                + ", "
                + nativeCheckpoint
                + ", "
                + origin
                + ")";
    }
}
