package io.flinklocalrecovery.rocksdb;

import org.apache.flink.runtime.state.LocalSnapshotDirectoryProvider;

import io.flinklocalrecovery.core.metrics.LocalRecoveryMetrics;
import io.flinklocalrecovery.core.snapshot.LocalFailureLog;
import io.flinklocalrecovery.core.snapshot.LocalWriteFailure;
import io.flinklocalrecovery.core.store.LocalSnapshotScope;
import io.flinklocalrecovery.core.store.TaskLocalSnapshotStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Where RocksDB puts its native checkpoint for a checkpoint id: the local checkpoint directory of
 * the plugin's store for this task's keyed scope. RocksDB fails the checkpoint if that directory
 * cannot be created, so the provider creates it first and, if that fails, answers with a scratch
 * directory inside the TaskManager's temporary working directory instead (RocksDB needs some
 * directory for its checkpoint whether or not a local copy is kept); the copy there is deleted
 * after the upload and the failure is counted.
 *
 * <p>Lives only inside one task; it is never serialized.
 */
final class StoreDirectoryProvider implements LocalSnapshotDirectoryProvider {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(StoreDirectoryProvider.class);

    /** Sub-directory of the TaskManager temporary working directory for scratch checkpoints. */
    static final String SCRATCH_DIRECTORY = "flink-local-recovery-scratch";

    private final transient TaskLocalSnapshotStore store;
    private final transient LocalSnapshotScope scope;
    private final transient LocalRecoveryMetrics metrics;
    private final File scratchBase;

    StoreDirectoryProvider(
            TaskLocalSnapshotStore store,
            LocalSnapshotScope scope,
            LocalRecoveryMetrics metrics,
            File tmpWorkingDirectory) {
        this.store = store;
        this.scope = scope;
        this.metrics = metrics;
        this.scratchBase = new File(tmpWorkingDirectory, SCRATCH_DIRECTORY);
    }

    @Override
    public File subtaskSpecificCheckpointDirectory(long checkpointId) {
        Path dir = store.checkpointDirectory(scope, checkpointId);
        try {
            TaskLocalSnapshotStore.createOwnerOnlyDirectories(dir);
            return dir.toFile();
        } catch (IOException | RuntimeException e) {
            metrics.localWriteFailed(LocalWriteFailure.DIRECTORY_NOT_CREATABLE);
            LocalFailureLog.warnOnce(
                    LOG,
                    LocalWriteFailure.DIRECTORY_NOT_CREATABLE + "@" + store.getRoots(),
                    "Could not create the local checkpoint directory "
                            + dir
                            + "; RocksDB checkpoints into a scratch directory that is deleted "
                            + "after the upload",
                    e);
            return scratchDirectory(checkpointId);
        }
    }

    /** The scratch directory used when the store's directory cannot be created. */
    File scratchDirectory(long checkpointId) {
        return new File(
                scratchBase,
                scope.getJobId()
                        + "_"
                        + scope.getOperatorId()
                        + "_"
                        + scope.getSubtaskIndex()
                        + "_chk_"
                        + checkpointId);
    }

    @Override
    public File allocationBaseDirectory(long checkpointId) {
        return selectAllocationBaseDirectory(0);
    }

    @Override
    public File subtaskBaseDirectory(long checkpointId) {
        return store.checkpointDirectory(scope, checkpointId).getParent().toFile();
    }

    @Override
    public File selectAllocationBaseDirectory(int idx) {
        return store.getRoots().get(idx).toFile();
    }

    @Override
    public File selectSubtaskBaseDirectory(int idx) {
        return subtaskBaseDirectory(0);
    }

    @Override
    public int allocationBaseDirsCount() {
        return store.getRoots().size();
    }

    @Override
    public String toString() {
        return "StoreDirectoryProvider{" + scope + " in " + store.getRoots() + '}';
    }
}
