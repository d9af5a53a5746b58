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
package io.flinklocalrecovery.fs;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.JobID;
import org.apache.flink.runtime.state.CheckpointStorage;
import org.apache.flink.runtime.state.CheckpointStorageAccess;
import org.apache.flink.runtime.state.CompletedCheckpointStorageLocation;
import org.apache.flink.runtime.state.filesystem.FsStateBackend;

import io.flinklocalrecovery.core.backend.LocalRecoveryStateBackend;
import io.flinklocalrecovery.core.config.LocalRecoverySettings;

import java.io.IOException;

/**
 * Flink 1.20's {@link FsStateBackend} (heap state, checkpoints in a file system) with this plugin's
 * task-local recovery, as {@link LocalRecoveryHashMapStateBackend} adds it to the HashMap backend.
 *
 * <p>{@code FsStateBackend} is also the job's {@link CheckpointStorage} (a legacy backend). Flink's
 * {@code CheckpointStorageLoader} takes a backend that is a {@code CheckpointStorage} as the
 * storage and unwraps only a {@code DelegatingStateBackend}, which this wrapper deliberately is
 * not; so it is a {@code CheckpointStorage} itself and forwards to the wrapped backend. The job
 * keeps the checkpoint directory of its {@code FsStateBackend} instead of falling back to the
 * JobManager's memory.
 */
@PublicEvolving
@SuppressWarnings("deprecation")
public class LocalRecoveryFsStateBackend extends LocalRecoveryStateBackend
        implements CheckpointStorage {

    private static final long serialVersionUID = 1L;

    private final FsStateBackend fsStateBackend;

    public LocalRecoveryFsStateBackend(FsStateBackend delegate, LocalRecoverySettings settings) {
        super(delegate, settings);
        this.fsStateBackend = delegate;
    }

    /** The checkpoint storage: the wrapped {@link FsStateBackend}. */
    @Override
    public CompletedCheckpointStorageLocation resolveCheckpoint(String externalPointer)
            throws IOException {
        return fsStateBackend.resolveCheckpoint(externalPointer);
    }

    @Override
    public CheckpointStorageAccess createCheckpointStorage(JobID jobId) throws IOException {
        return fsStateBackend.createCheckpointStorage(jobId);
    }

    @Override
    public String toString() {
        return "LocalRecoveryFsStateBackend (" + fsStateBackend + ", " + getSettings() + ")";
    }
}
