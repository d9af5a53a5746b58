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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The store's index of committed local copies: each local file by the id of the primary handle it
 * copies, each RocksDB native checkpoint directory by backend and checkpoint id, the bytes they
 * hold, and why recently invalidated copies were dropped. Not thread-safe: the store's lock guards
 * it (only {@link #bytesHeld()} may be read without it).
 */
@Internal
final class CopyIndex {

    private static final int MAX_INVALIDATED_REMEMBERED = 10_000;

    private final Map<String, IndexedFile> files = new HashMap<>();

    /** Native checkpoint directories by {@link LocalNativeCheckpoint#indexKey}. */
    private final Map<String, LocalNativeCheckpointRef> nativeCheckpoints = new HashMap<>();

    /** Why recently invalidated copies were dropped, so later lookups report the same cause. */
    private final Map<String, String> invalidated =
            new LinkedHashMap<String, String>() {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                    return size() > MAX_INVALIDATED_REMEMBERED;
                }
            };

    private final AtomicLong bytesHeld = new AtomicLong();

    /** Indexes the copies of a committed local checkpoint in {@code directory}. */
    void add(LocalCheckpointManifest manifest, Path directory) {
        add(manifest, directory, CopyOrigin.OWN);
    }

    /** Indexes the copies of a committed local checkpoint that came from {@code origin}. */
    void add(LocalCheckpointManifest manifest, Path directory, CopyOrigin origin) {
        for (LocalNativeCheckpoint nativeCheckpoint : manifest.getNativeCheckpoints()) {
            nativeCheckpoints.put(
                    LocalNativeCheckpoint.indexKey(
                            nativeCheckpoint.getBackendId(), manifest.getCheckpointId()),
                    new LocalNativeCheckpointRef(
                            manifest.getScope(),
                            manifest.getCheckpointId(),
                            directory,
                            nativeCheckpoint,
                            origin));
        }
        for (LocalFileEntry entry : manifest.getEntries()) {
            files.put(
                    entry.getPrimaryHandleId(),
                    new IndexedFile(
                            manifest.getScope(),
                            manifest.getCheckpointId(),
                            directory,
                            entry,
                            origin));
        }
        bytesHeld.addAndGet(manifest.totalBytes());
    }

    /**
     * Forgets the copies of a local checkpoint, where the index still points at that checkpoint (a
     * newer checkpoint of another scope may have indexed the same primary handle since).
     */
    void remove(LocalCheckpointManifest manifest) {
        for (LocalNativeCheckpoint nativeCheckpoint : manifest.getNativeCheckpoints()) {
            String key =
                    LocalNativeCheckpoint.indexKey(
                            nativeCheckpoint.getBackendId(), manifest.getCheckpointId());
            LocalNativeCheckpointRef indexed = nativeCheckpoints.get(key);
            if (indexed != null && indexed.getScope().equals(manifest.getScope())) {
                nativeCheckpoints.remove(key);
            }
        }
        for (LocalFileEntry entry : manifest.getEntries()) {
            IndexedFile indexed = files.get(entry.getPrimaryHandleId());
            if (indexed != null
                    && indexed.checkpointId == manifest.getCheckpointId()
                    && indexed.scope.equals(manifest.getScope())) {
                files.remove(entry.getPrimaryHandleId());
            }
        }
        bytesHeld.addAndGet(-manifest.totalBytes());
    }

    /** The local copy of the primary handle with this id, if there is one. */
    Optional<LocalFileRef> lookup(String primaryHandleId) {
        IndexedFile indexed = files.get(primaryHandleId);
        if (indexed == null) {
            return Optional.empty();
        }
        return Optional.of(
                new LocalFileRef(
                        indexed.scope,
                        indexed.checkpointId,
                        indexed.directory.resolve(indexed.entry.getFileName()),
                        indexed.entry,
                        indexed.origin));
    }

    Optional<LocalNativeCheckpointRef> lookupNative(String backendId, long checkpointId) {
        return Optional.ofNullable(
                nativeCheckpoints.get(LocalNativeCheckpoint.indexKey(backendId, checkpointId)));
    }

    /** Forgets a local file that failed verification and remembers why. */
    void invalidate(LocalFileRef ref, String cause) {
        String id = ref.getEntry().getPrimaryHandleId();
        IndexedFile indexed = files.get(id);
        if (indexed != null && indexed.checkpointId == ref.getCheckpointId()) {
            files.remove(id);
        }
        invalidated.put(id, cause);
    }

    Optional<String> invalidationCause(String primaryHandleId) {
        return Optional.ofNullable(invalidated.get(primaryHandleId));
    }

    long bytesHeld() {
        return bytesHeld.get();
    }

    private static final class IndexedFile {
        final LocalSnapshotScope scope;
        final long checkpointId;
        final Path directory;
        final LocalFileEntry entry;
        final CopyOrigin origin;

        IndexedFile(
                LocalSnapshotScope scope,
                long checkpointId,
                Path directory,
                LocalFileEntry entry,
                CopyOrigin origin) {
            this.scope = scope;
            this.checkpointId = checkpointId;
            this.directory = directory;
            this.entry = entry;
            this.origin = origin;
        }
    }
}
