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

import org.apache.flink.annotation.Internal;
import org.apache.flink.runtime.state.LocalSnapshotDirectoryProvider;
import org.apache.flink.util.FileUtils;
import org.apache.flink.util.Preconditions;

import io.flinklocalrecovery.core.store.LocalSnapshotScope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where RocksDB makes its native checkpoint for a checkpoint id: a staging directory inside
 * RocksDB's own working directory, never the plugin's local-recovery directory. RocksDB makes the
 * checkpoint in the task's synchronous snapshot phase, where any error fails the checkpoint and the
 * task; in its own working directory it hard-links its live files, exactly as it does without local
 * recovery, so a full, failing, read-only or foreign local-recovery disk cannot reach that phase.
 * {@link NativeCheckpointCopies} takes the directory into the store afterwards, off the task's
 * threads ({@link NativeCheckpointTransfer}), and deletes what remains of it.
 *
 * <p>Every snapshot stages into a directory of its own ({@link #stage}, called just before the
 * snapshot starts); RocksDB asks for the directory of a checkpoint id twice, for the native
 * checkpoint and for its metadata file, and gets the newest one staged for that id both times. So
 * the commit of one snapshot never moves or deletes what another snapshot of the same id (Flink's
 * own backend tests take such) is writing. Staging directories of this subtask left by an earlier
 * attempt or process are deleted when the provider is created: no restore reads them.
 *
 * <p>Lives only inside one task; it is never serialized.
 */
@Internal
final class StagingDirectoryProvider implements LocalSnapshotDirectoryProvider {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(StagingDirectoryProvider.class);

    /** Sub-directory of RocksDB's working directory that holds the staging directories. */
    static final String STAGING_DIRECTORY = "flink-local-recovery-staging";

    private final transient LocalSnapshotScope scope;
    private final List<File> workingDirectories;
    private final String scopePrefix;
    @Nullable private volatile File stagingBase;
    private final transient AtomicLong snapshots = new AtomicLong();
    private final transient Map<Long, File> staged = new ConcurrentHashMap<>();

    private StagingDirectoryProvider(
            LocalSnapshotScope scope, List<File> workingDirectories, String scopePrefix) {
        this.scope = scope;
        this.workingDirectories = List.copyOf(workingDirectories);
        this.scopePrefix = scopePrefix;
    }

    /**
     * A provider for the keyed scope of one subtask whose RocksDB instance lives in one of {@code
     * rocksDBWorkingDirectories}. With several working directories it stages in the one that holds
     * this operator's RocksDB instance (Flink names it after the job and the operator), so that
     * RocksDB's hard links stay on one file system.
     */
    static StagingDirectoryProvider create(
            LocalSnapshotScope scope, List<File> rocksDBWorkingDirectories) {
        Preconditions.checkArgument(!rocksDBWorkingDirectories.isEmpty());
        StagingDirectoryProvider provider =
                new StagingDirectoryProvider(
                        scope,
                        rocksDBWorkingDirectories,
                        scope.getJobId()
                                + "_"
                                + scope.getOperatorId()
                                + "_"
                                + scope.getSubtaskIndex()
                                + "_chk_");
        for (File workingDirectory : rocksDBWorkingDirectories) {
            provider.deleteLeftovers(new File(workingDirectory, STAGING_DIRECTORY));
        }
        return provider;
    }

    /**
     * The staging base: resolved at the first snapshot, when this subtask's RocksDB instance
     * exists.
     */
    private File stagingBase() {
        File base = stagingBase;
        if (base == null) {
            File workingDirectory = workingDirectories.get(0);
            if (workingDirectories.size() > 1) {
                for (File candidate : workingDirectories) {
                    if (holdsInstanceOf(candidate, scope)) {
                        workingDirectory = candidate;
                        break;
                    }
                }
            }
            base = new File(workingDirectory, STAGING_DIRECTORY);
            stagingBase = base;
        }
        return base;
    }

    private static boolean holdsInstanceOf(File workingDirectory, LocalSnapshotScope scope) {
        String prefix = "job_" + scope.getJobId() + "_op_";
        try (DirectoryStream<Path> entries =
                Files.newDirectoryStream(workingDirectory.toPath(), prefix + "*")) {
            for (Path entry : entries) {
                if (entry.getFileName().toString().contains(scope.getOperatorId())) {
                    return true;
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("Could not list RocksDB working directory {}", workingDirectory, e);
        }
        return false;
    }

    /** Staging directories of this subtask left by an earlier attempt or process. */
    private void deleteLeftovers(File stagingBase) {
        if (!stagingBase.isDirectory()) {
            return;
        }
        try (DirectoryStream<Path> entries =
                Files.newDirectoryStream(stagingBase.toPath(), scopePrefix + "*")) {
            for (Path entry : entries) {
                LOG.debug("Deleting staging directory {} of an earlier attempt.", entry);
                FileUtils.deleteDirectoryQuietly(entry.toFile());
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("Could not list staging directory {}", stagingBase, e);
        }
    }

    /** A new staging directory for a snapshot of {@code checkpointId} that is about to start. */
    Path stage(long checkpointId) {
        File dir =
                new File(
                        stagingBase(),
                        scopePrefix + checkpointId + "_" + snapshots.incrementAndGet());
        staged.put(checkpointId, dir);
        return dir.toPath();
    }

    @Override
    public File subtaskSpecificCheckpointDirectory(long checkpointId) {
        File dir = staged.get(checkpointId);
        return dir != null ? dir : stage(checkpointId).toFile();
    }

    /** Deletes a staging directory and everything still in it. */
    void delete(long checkpointId, Path stagingDir) {
        staged.remove(checkpointId, stagingDir.toFile());
        FileUtils.deleteDirectoryQuietly(stagingDir.toFile());
    }

    @Override
    public File allocationBaseDirectory(long checkpointId) {
        return stagingBase();
    }

    @Override
    public File subtaskBaseDirectory(long checkpointId) {
        return stagingBase();
    }

    @Override
    public File selectAllocationBaseDirectory(int idx) {
        return stagingBase();
    }

    @Override
    public File selectSubtaskBaseDirectory(int idx) {
        return stagingBase();
    }

    @Override
    public int allocationBaseDirsCount() {
        return 1;
    }

    @Override
    public String toString() {
        return "StagingDirectoryProvider{" + workingDirectories + ", " + scopePrefix + "*}";
    }
}
