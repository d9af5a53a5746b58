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

import org.apache.flink.util.Preconditions;

import javax.annotation.Nullable;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The store's root directories, created owner-only, checked safe and locked against a second
 * process while the store is open, and the layout of local checkpoints in them: {@code
 * <root>/job_<job>/op_<operator>_st_<subtask>_<kind>/chk_<id>/}.
 */
final class LockedRoots implements Closeable {

    private final List<Path> roots;
    private final List<RootLock> locks;

    private LockedRoots(List<Path> roots, List<RootLock> locks) {
        this.roots = Collections.unmodifiableList(roots);
        this.locks = locks;
    }

    /**
     * Creates, checks and locks every root; on a failure, the locks taken so far are released.
     *
     * @throws IOException if a root cannot be created, is unsafe or is in use by another process
     */
    static LockedRoots lock(List<Path> roots) throws IOException {
        Preconditions.checkArgument(!roots.isEmpty(), "At least one root directory is needed");
        List<Path> absoluteRoots = new ArrayList<>();
        List<RootLock> locks = new ArrayList<>();
        try {
            for (Path root : roots) {
                Path absolute = root.toAbsolutePath().normalize();
                RootDirectories.createOwnerOnly(absolute);
                RootDirectories.checkSafe(absolute);
                locks.add(RootDirectories.lock(absolute));
                absoluteRoots.add(absolute);
            }
        } catch (IOException | RuntimeException e) {
            closeAll(locks);
            throw e;
        }
        return new LockedRoots(absoluteRoots, locks);
    }

    List<Path> paths() {
        return roots;
    }

    /** The directory of a scope's local checkpoint, in the same root in every process. */
    Path checkpointDirectory(LocalSnapshotScope scope, long checkpointId) {
        // a hash that is stable across processes, so a restarted TaskManager picks the same root
        Path root = roots.get(Math.floorMod(scope.toString().hashCode(), roots.size()));
        return root.resolve(scope.jobDirName())
                .resolve(scope.scopeDirName())
                .resolve(TaskLocalSnapshotStore.CHECKPOINT_DIR_PREFIX + checkpointId);
    }

    /** The job's directory in every root and every root they adopted (lists the disk). */
    List<Path> jobDirectories(String jobId) {
        List<Path> dirs = new ArrayList<>();
        for (Path root : withAdopted()) {
            dirs.add(root.resolve(LocalSnapshotScope.jobDirName(jobId)));
        }
        return dirs;
    }

    /** The roots and the roots they adopted ({@link AdoptedRoots}); lists the disk. */
    List<Path> withAdopted() {
        List<Path> all = new ArrayList<>(roots);
        for (Path root : roots) {
            all.addAll(AdoptedRoots.in(root));
        }
        return all;
    }

    /** Where the copies in a directory of the store come from: its own or an adopted root. */
    CopyOrigin originOf(Path dir) {
        for (Path root : roots) {
            Path adopted = AdoptedRoots.adoptedRootOf(root, dir);
            if (adopted != null) {
                return CopyOrigin.adoptedFrom(AdoptedRoots.originalName(adopted));
            }
        }
        return CopyOrigin.OWN;
    }

    /** The store's root a directory lies in; null if none. */
    @Nullable
    Path rootOf(Path dir) {
        for (Path root : roots) {
            if (dir.startsWith(root)) {
                return root;
            }
        }
        return null;
    }

    @Override
    public void close() {
        closeAll(locks);
    }

    private static void closeAll(List<RootLock> locks) {
        locks.forEach(RootLock::close);
    }
}
