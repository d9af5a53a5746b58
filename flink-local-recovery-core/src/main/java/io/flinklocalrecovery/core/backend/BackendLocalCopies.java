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
package io.flinklocalrecovery.core.backend;

import org.apache.flink.annotation.Internal;
import org.apache.flink.runtime.state.KeyedStateHandle;

import io.flinklocalrecovery.core.snapshot.LocalSnapshotFinisher;
import io.flinklocalrecovery.core.store.PendingLocalCheckpoint;

/**
 * For keyed backends that make their local copy themselves (RocksDB keeps its native checkpoint
 * directory in a directory the plugin hands it): their checkpoint streams are not duplicated;
 * instead the task-local part of their snapshot result is taken into the store.
 */
@Internal
public interface BackendLocalCopies {

    /** Takes the backend's task-local result of this checkpoint into the store. */
    LocalSnapshotFinisher<KeyedStateHandle> forCheckpoint(PendingLocalCheckpoint pending);

    /**
     * Drops whatever the backend wrote locally for a snapshot that keeps no local copy (a
     * savepoint).
     */
    LocalSnapshotFinisher<KeyedStateHandle> discarding(long checkpointId);
}
