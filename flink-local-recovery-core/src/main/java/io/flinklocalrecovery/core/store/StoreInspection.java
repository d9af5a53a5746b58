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

import javax.annotation.Nullable;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A read-only look at a local-recovery directory from outside the TaskManager (the directory tool):
 * which roots it holds and whether their owner is alive, what each root stores, whether every file
 * still has its recorded size and CRC32C, and what the store would collect.
 */
@Internal
public final class StoreInspection {

    private StoreInspection() {}

    /** Whether a directory is a root of the store: a real directory holding its lock file. */
    public static boolean isRoot(Path dir) {
        return Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)
                && Files.isRegularFile(
                        dir.resolve(TaskLocalSnapshotStore.LOCK_FILE), LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * The roots in a directory: the directory itself if it is one, or else its sub-directories that
     * are (a configured {@code state.backend.local-recovery.dirs} entry holds one root per
     * TaskManager). Empty when it is not a local-recovery directory.
     */
    public static List<Path> rootsIn(Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath().normalize();
        if (isRoot(absolute)) {
            return List.of(absolute);
        }
        List<Path> roots = new ArrayList<>();
        if (Files.isDirectory(absolute, LinkOption.NOFOLLOW_LINKS)) {
            for (Path child : sorted(absolute)) {
                if (!child.getFileName().toString().startsWith(".") && isRoot(child)) {
                    roots.add(child);
                }
            }
        }
        return roots;
    }

    /**
     * Whether a process holds the root (a running TaskManager): its lock is taken. Tests the lock
     * for a moment; a TaskManager that opens the store in that moment finds it in use and tries
     * again a minute later.
     */
    public static boolean ownerAlive(Path root) {
        return RootLock.isHeld(root);
    }

    /**
     * The roots a root adopted from TaskManagers of its cluster that are gone ({@code
     * <root>/_adopted/<name>-<uuid>/}); each is listed, verified and cleaned like a root, and
     * belongs to the root's owner.
     */
    public static List<Path> adoptedRoots(Path root) {
        return AdoptedRoots.in(root);
    }

    /** The name of the root an adopted root was before its adoption. */
    public static String adoptedFrom(Path adoptedRoot) {
        return AdoptedRoots.originalName(adoptedRoot);
    }

    /** One local checkpoint directory as found on disk. */
    public static final class StoredCheckpoint {
        public final Path directory;
        public final LocalSnapshotScope scope;
        public final long checkpointId;

        /** Null when the checkpoint has no valid manifest (incomplete). */
        @Nullable public final LocalCheckpointManifest manifest;

        public final long modifiedMillis;

        StoredCheckpoint(
                Path directory,
                LocalSnapshotScope scope,
                long checkpointId,
                @Nullable LocalCheckpointManifest manifest,
                long modifiedMillis) {
            this.directory = directory;
            this.scope = scope;
            this.checkpointId = checkpointId;
            this.manifest = manifest;
            this.modifiedMillis = modifiedMillis;
        }

        /** The recorded bytes of its files (hard-linked ones included), 0 if incomplete. */
        public long recordedBytes() {
            return manifest == null ? 0 : manifest.totalBytes();
        }

        public int files() {
            if (manifest == null) {
                return 0;
            }
            int files = manifest.getEntries().size();
            for (LocalNativeCheckpoint nativeCheckpoint : manifest.getNativeCheckpoints()) {
                files += 1 + nativeCheckpoint.getFiles().size();
            }
            return files;
        }
    }

    /** One job directory of a root. */
    public static final class StoredJob {
        public final String jobId;

        /** When the job left the TaskManager (its marker), 0 if it was not released. */
        public final long releasedAtMillis;

        public final List<StoredCheckpoint> checkpoints;

        StoredJob(String jobId, long releasedAtMillis, List<StoredCheckpoint> checkpoints) {
            this.jobId = jobId;
            this.releasedAtMillis = releasedAtMillis;
            this.checkpoints = Collections.unmodifiableList(checkpoints);
        }
    }

    /** What a root holds; entries the store did not write are left out. Changes nothing. */
    public static List<StoredJob> list(Path root) throws IOException {
        List<StoredJob> jobs = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (Path jobDir : sorted(root)) {
            String jobName = jobDir.getFileName().toString();
            if (!LocalSnapshotScope.isJobDirName(jobName)
                    || !Files.isDirectory(jobDir, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            List<StoredCheckpoint> checkpoints = new ArrayList<>();
            for (Path scopeDir : sorted(jobDir)) {
                LocalSnapshotScope scope =
                        LocalSnapshotScope.fromDirNames(jobName, scopeDir.getFileName().toString());
                if (scope == null || !Files.isDirectory(scopeDir, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                for (Path checkpointDir : sorted(scopeDir)) {
                    long id = checkpointId(checkpointDir);
                    if (id < 0 || !Files.isDirectory(checkpointDir, LinkOption.NOFOLLOW_LINKS)) {
                        continue;
                    }
                    Optional<LocalCheckpointManifest> manifest =
                            LocalCheckpointManifest.read(checkpointDir);
                    Path dated =
                            manifest.isPresent()
                                    ? checkpointDir.resolve(TaskLocalSnapshotStore.MANIFEST)
                                    : checkpointDir;
                    checkpoints.add(
                            new StoredCheckpoint(
                                    checkpointDir,
                                    scope,
                                    id,
                                    manifest.orElse(null),
                                    Files.getLastModifiedTime(dated, LinkOption.NOFOLLOW_LINKS)
                                            .toMillis()));
                }
            }
            String jobId = jobName.substring("job_".length());
            long releasedAt =
                    Files.exists(
                                    jobDir.resolve(TaskLocalSnapshotStore.RELEASED_MARKER),
                                    LinkOption.NOFOLLOW_LINKS)
                            ? ReleasedMarkers.read(jobDir, now)
                            : 0;
            jobs.add(new StoredJob(jobId, releasedAt, checkpoints));
        }
        return jobs;
    }

    /** The bytes of these checkpoints as the disk counts them: every distinct file once. */
    public static long distinctBytes(List<StoredCheckpoint> checkpoints) {
        Set<Object> seen = new HashSet<>();
        long total = 0;
        for (StoredCheckpoint checkpoint : checkpoints) {
            if (checkpoint.manifest == null) {
                continue;
            }
            DiskFootprint footprint =
                    DiskFootprint.measure(checkpoint.directory, checkpoint.manifest);
            for (java.util.Map.Entry<Object, Long> file : footprint.files().entrySet()) {
                if (seen.add(file.getKey())) {
                    total += file.getValue();
                }
            }
        }
        return total;
    }

    /** Something the store would collect, with the reason. */
    public interface Collected {
        void collected(Path path, String why);
    }

    /**
     * Collects what the store would collect when it opens this root (incomplete checkpoints,
     * leftovers of interrupted deletions, files no manifest lists, entries the store did not write
     * inside a job directory, jobs released longer than {@code releasedLifetime} ago), holding the
     * root's lock, so no TaskManager opens it meanwhile; with {@code dryRun}, only reports.
     *
     * @throws IOException if the root is in use by a running TaskManager, or is not safe
     */
    public static void clean(
            Path root, Duration releasedLifetime, boolean dryRun, Collected collected)
            throws IOException {
        RootDirectories.checkSafe(root);
        try (RootLock lock = RootDirectories.lock(root)) {
            StartupRecovery.Removal removal =
                    (path, why) -> {
                        collected.collected(path, why);
                        if (!dryRun) {
                            SafeDeletion.delete(path);
                        }
                    };
            StartupRecovery.run(
                    List.of(root),
                    releasedLifetime,
                    new StartupRecovery.Sink() {
                        @Override
                        public void recovered(Path dir, LocalCheckpointManifest manifest) {}

                        @Override
                        public void recoveredReleased(String jobId, long releasedAt) {}
                    },
                    dryRun
                            ? new StartupRecovery.Removal() {
                                @Override
                                public void remove(Path path, String why) throws IOException {
                                    removal.remove(path, why);
                                }

                                @Override
                                public void removeIfEmpty(Path dir) {}
                            }
                            : removal);
        }
    }

    private static long checkpointId(Path dir) {
        String name = dir.getFileName().toString();
        if (!name.startsWith(TaskLocalSnapshotStore.CHECKPOINT_DIR_PREFIX)) {
            return -1;
        }
        try {
            return Long.parseLong(
                    name.substring(TaskLocalSnapshotStore.CHECKPOINT_DIR_PREFIX.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static List<Path> sorted(Path dir) throws IOException {
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path child : stream) {
                children.add(child);
            }
        }
        Collections.sort(children);
        return children;
    }
}
