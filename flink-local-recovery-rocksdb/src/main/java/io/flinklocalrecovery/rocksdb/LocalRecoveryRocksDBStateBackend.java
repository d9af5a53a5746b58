package io.flinklocalrecovery.rocksdb;

import org.apache.flink.core.fs.CloseableRegistry;
import org.apache.flink.runtime.execution.Environment;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.runtime.state.LocalRecoveryConfig;
import org.apache.flink.runtime.state.StateBackend;

import io.flinklocalrecovery.core.backend.BackendLocalCopies;
import io.flinklocalrecovery.core.backend.LocalRecoveryRuntime;
import io.flinklocalrecovery.core.backend.LocalRecoveryStateBackend;
import io.flinklocalrecovery.core.config.LocalRecoverySettings;
import io.flinklocalrecovery.core.metrics.LocalRecoveryMetrics;
import io.flinklocalrecovery.core.restore.LocalCopyFinder;
import io.flinklocalrecovery.core.restore.LocalFirstRestore;
import io.flinklocalrecovery.core.store.LocalSnapshotScope;

import javax.annotation.Nullable;

/**
 * Flink's embedded RocksDB state backend with task-local recovery. What it changes against the
 * plain backend, and why:
 *
 * <ul>
 *   <li>RocksDB is told to keep its native checkpoint directory (hard links to the live SST files,
 *       plus the metadata file) in the plugin's store instead of deleting it after the upload; no
 *       SST byte is copied or written twice. The directory is taken over by the plugin's store, not
 *       Flink's ({@link NativeCheckpointCopies}).
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
            @Nullable LocalRecoveryRuntime runtime,
            LocalSnapshotScope scope,
            LocalRecoveryMetrics metrics) {
        if (runtime == null) {
            // no usable local directory: RocksDB works as without local recovery
            return LocalRecoveryConfig.BACKUP_AND_RECOVERY_DISABLED;
        }
        HardLinkCheck.warnIfNotColocated(
                runtime.store().getRoots(), RocksDBBackends.workingDirectories(getDelegate(), env));
        // Backup only: the restore side is ours (Flink never sees the local result)
        return new LocalRecoveryConfig(
                false,
                true,
                new StoreDirectoryProvider(
                        runtime.store(),
                        scope,
                        metrics,
                        env.getTaskManagerInfo().getTmpWorkingDirectory()));
    }

    @Override
    protected BackendLocalCopies keyedBackendLocalCopies(
            LocalRecoveryRuntime runtime, LocalSnapshotScope scope, LocalRecoveryMetrics metrics) {
        return new NativeCheckpointCopies(
                runtime.store(),
                scope,
                metrics,
                getSettings().isVerifyChecksums(),
                getSettings().isTrustUnchangedSstFiles());
    }

    @Override
    protected LocalFirstRestore.LocalAlternative<KeyedStateHandle> keyedLocalAlternative(
            @Nullable LocalRecoveryRuntime runtime,
            LocalCopyFinder finder,
            LocalRecoveryMetrics metrics,
            CloseableRegistry cancelRegistry) {
        return new NativeCheckpointRestore(
                runtime == null ? null : runtime.store(),
                finder,
                getSettings().isVerifyChecksums(),
                getSettings().isTrustUnchangedSstFiles(),
                cancelRegistry);
    }
}
