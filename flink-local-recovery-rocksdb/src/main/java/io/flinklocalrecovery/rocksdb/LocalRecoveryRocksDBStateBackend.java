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
package io.flinklocalrecovery.rocksdb;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.core.fs.CloseableRegistry;
import org.apache.flink.runtime.execution.Environment;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.runtime.state.LocalRecoveryConfig;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.util.Preconditions;

import io.flinklocalrecovery.core.backend.BackendLocalCopies;
import io.flinklocalrecovery.core.backend.LocalRecoveryRuntime;
import io.flinklocalrecovery.core.backend.LocalRecoveryStateBackend;
import io.flinklocalrecovery.core.config.LocalRecoverySettings;
import io.flinklocalrecovery.core.metrics.LocalRecoveryMetrics;
import io.flinklocalrecovery.core.restore.LocalCopyFinder;
import io.flinklocalrecovery.core.restore.LocalFirstRestore;
import io.flinklocalrecovery.core.store.LocalSnapshotScope;

import java.io.File;
import java.util.List;

/**
 * Flink's embedded RocksDB state backend with task-local recovery. What it changes against the
 * plain backend, and why:
 *
 * <ul>
 *   <li>RocksDB is told to keep its native checkpoint directory (hard links to the live SST files,
 *       plus the metadata file), made in a staging directory of its own working directory ({@link
 *       StagingDirectoryProvider}), instead of deleting it after the upload; the plugin's store
 *       takes it over in the background, by a rename when both are on one file system, so that no
 *       SST byte is copied or written twice ({@link NativeCheckpointCopies}). No error of the
 *       local-recovery disk can reach RocksDB's synchronous snapshot phase.
 *   <li>A restore converts each primary {@code IncrementalRemoteKeyedStateHandle} into an {@code
 *       IncrementalLocalKeyedStateHandle} over the verified local directory, keeping the primary's
 *       shared-state handles so that the incremental chain continues ({@link
 *       NativeCheckpointRestore}).
 * </ul>
 *
 * <p>Operator state is duplicated into local files as with the heap backend. Timers kept on the
 * heap ({@code state.backend.rocksdb.timer-service.factory: HEAP}) are raw keyed state, written and
 * read by Flink outside the backend: they are always restored from the checkpoint storage.
 */
@PublicEvolving
public class LocalRecoveryRocksDBStateBackend extends LocalRecoveryStateBackend {

    private static final long serialVersionUID = 1L;

    public LocalRecoveryRocksDBStateBackend(StateBackend rocksDB, LocalRecoverySettings settings) {
        super(RocksDBBackends.checkIsRocksDB(rocksDB), settings);
    }

    /** A backend with the given settings around a default RocksDB backend. */
    public static LocalRecoveryRocksDBStateBackend withSettings(LocalRecoverySettings settings) {
        return new LocalRecoveryRocksDBStateBackend(RocksDBBackends.withDefaults(), settings);
    }

    @Override
    protected LocalRecoveryConfig localRecoveryConfigForDelegate(
            Environment env,
            LocalRecoveryRuntime runtime,
            LocalSnapshotScope scope,
            LocalRecoveryMetrics metrics) {
        if (!runtime.isAvailable()) {
            // no usable local directory: RocksDB works as without local recovery
            return LocalRecoveryConfig.BACKUP_AND_RECOVERY_DISABLED;
        }
        List<File> workingDirectories = RocksDBBackends.workingDirectories(getDelegate(), env);
        HardLinkCheck.warnIfNotColocated(runtime.store().getRoots(), workingDirectories);
        // Backup only: the restore side is ours (Flink never sees the local result). RocksDB
        // makes its native checkpoint in its own working directory; it is taken into the store
        // afterwards, off the task's threads
        return new LocalRecoveryConfig(
                false, true, StagingDirectoryProvider.create(scope, workingDirectories));
    }

    @Override
    protected BackendLocalCopies keyedBackendLocalCopies(
            LocalRecoveryRuntime runtime,
            LocalSnapshotScope scope,
            LocalRecoveryMetrics metrics,
            LocalRecoveryConfig delegateConfig) {
        Object provider = delegateConfig.getLocalStateDirectoryProvider().orElse(null);
        Preconditions.checkState(
                provider instanceof StagingDirectoryProvider,
                "RocksDB was not given a staging directory: %s",
                provider);
        return new NativeCheckpointCopies(
                runtime.store(),
                scope,
                metrics,
                getSettings().isVerifyChecksums(),
                getSettings().isTrustUnchangedSstFiles(),
                (StagingDirectoryProvider) provider,
                NativeCommitQueue.SHARED);
    }

    @Override
    protected LocalFirstRestore.LocalAlternative<KeyedStateHandle> keyedLocalAlternative(
            LocalRecoveryRuntime runtime,
            LocalCopyFinder finder,
            LocalRecoveryMetrics metrics,
            CloseableRegistry cancelRegistry) {
        return new NativeCheckpointRestore(
                runtime.availableStore().orElse(null),
                finder,
                getSettings().isVerifyChecksums(),
                getSettings().isTrustUnchangedSstFiles(),
                cancelRegistry);
    }
}
