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
package io.flinklocalrecovery.core.snapshot;

import org.apache.flink.annotation.Internal;
import org.apache.flink.runtime.state.StateObject;

import javax.annotation.Nullable;

/**
 * Completes the local side of one backend snapshot once the primary side is known. It runs after
 * the checkpoint has been acknowledged (or on the asynchronous snapshot thread), and nothing in it
 * may fail the checkpoint.
 */
@Internal
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
