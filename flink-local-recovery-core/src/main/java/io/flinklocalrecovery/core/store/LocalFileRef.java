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

/** A local file found for a primary handle id: where it is and what it must look like. */
@Internal
public final class LocalFileRef {

    private final LocalSnapshotScope scope;
    private final long checkpointId;
    private final Path path;
    private final LocalFileEntry entry;
    private final CopyOrigin origin;

    LocalFileRef(LocalSnapshotScope scope, long checkpointId, Path path, LocalFileEntry entry) {
        this(scope, checkpointId, path, entry, CopyOrigin.OWN);
    }

    LocalFileRef(
            LocalSnapshotScope scope,
            long checkpointId,
            Path path,
            LocalFileEntry entry,
            CopyOrigin origin) {
        this.scope = scope;
        this.checkpointId = checkpointId;
        this.path = path;
        this.entry = entry;
        this.origin = origin;
    }

    /** Whose copy this is: the store's own, adopted, or borrowed from another TaskManager. */
    public CopyOrigin getOrigin() {
        return origin;
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
        return path + " (checkpoint " + checkpointId + ", " + entry + ", " + origin + ")";
    }
}
