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

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
import java.util.OptionalInt;
import java.util.Set;

/**
 * Start-up recovery: finds the local checkpoints a previous process of this TaskManager left (a
 * crash, a kill, a graceful stop), hands every complete one to the store and collects what is of no
 * use: temporary files, checkpoint directories without a valid manifest, files no manifest lists,
 * unknown entries in a job directory, jobs released longer ago than the released-copies lifetime.
 * It never follows a symbolic link and never deletes outside the roots; an entry it cannot read is
 * left alone (logged): it does not make the whole store unusable.
 */
@Internal
final class StartupRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(StartupRecovery.class);

    /** Where recovered local checkpoints go: the store's bookkeeping. */
    interface Sink {
        /** A complete local checkpoint, with the files and native directories still present. */
        void recovered(Path checkpointDir, LocalCheckpointManifest manifest);

        /** A job released at {@code releasedAt} whose lifetime is not over yet has copies kept. */
        void recoveredReleased(String jobId, long releasedAt);

        /** A job that was not released (the process died first) has copies kept. */
        default void recoveredUnclaimed(String jobId) {}
    }

    /**
     * How recovery removes what it collects: deletes it, or (a dry run of the directory tool) only
     * records it with the reason.
     */
    interface Removal {
        void remove(Path path, String why) throws IOException;

        /** Removes an empty directory left behind; nothing if it is not empty. */
        default void removeIfEmpty(Path dir) {
            try {
                Files.deleteIfExists(dir);
            } catch (IOException e) {
                // not empty
            }
        }

        Removal DELETE = (path, why) -> SafeDeletion.delete(path);

        /**
         * Renames what is collected into its root at once (one metadata operation each) and deletes
         * it on the housekeeping thread: opening the store never waits for a recursive deletion on
         * a slow disk.
         */
        static Removal inBackground(List<Path> roots, StoreHousekeeping housekeeping) {
            return (path, why) -> {
                for (Path root : roots) {
                    if (path.startsWith(root) && !path.equals(root)) {
                        housekeeping.deleteMovingTo(path, root);
                        return;
                    }
                }
                SafeDeletion.delete(path);
            };
        }
    }

    /** What recovery found: local checkpoints kept, and entries collected. */
    static final class Counts {
        int kept;
        int collected;
    }

    private final Duration releasedLifetime;
    private final Sink sink;
    private final Removal removal;
    private final Counts counts = new Counts();

    private StartupRecovery(Duration releasedLifetime, Sink sink, Removal removal) {
        this.releasedLifetime = releasedLifetime;
        this.sink = sink;
        this.removal = removal;
    }

    /**
     * Recovers what a previous process left in the store's roots, and in the roots they adopted,
     * into its bookkeeping (under the store's lock), applies retention over it and logs what the
     * store holds. Records the store's layout and cluster in each root.
     */
    static void recoverInto(
            Object lock,
            LockedRoots roots,
            CheckpointRegistry registry,
            ReleasedCopiesCollector released,
            StoreHousekeeping housekeeping,
            String clusterId) {
        for (Path root : roots.paths()) {
            claimForCluster(root, clusterId);
            AdoptedRoots.flattenAll(root);
        }
        RecoveredCopies sink = new RecoveredCopies(lock, registry, released, housekeeping, roots);
        Counts counts =
                run(
                        roots.paths(),
                        released.lifetime(),
                        sink,
                        Removal.inBackground(roots.paths(), housekeeping));
        for (Path root : roots.paths()) {
            try {
                StoreLayout.write(root);
            } catch (IOException e) {
                LOG.debug("Could not record the layout of {}", root, e);
            }
        }
        int pruned = pruneAll(lock, registry, housekeeping);
        LOG.info(
                "Opened the local checkpoint store in {} (cluster '{}'): {} local checkpoints kept, "
                        + "{} leftovers collected, {} bytes held.",
                roots.paths(),
                clusterId,
                counts.kept - pruned,
                counts.collected + pruned,
                registry.bytesHeld());
    }

    /** Applies retention to every job; returns how many directories it dropped. */
    static int pruneAll(Object lock, CheckpointRegistry registry, StoreHousekeeping housekeeping) {
        int pruned = 0;
        synchronized (lock) {
            for (JobCheckpoints job : registry.allJobs()) {
                for (Path dir : registry.prune(job)) {
                    if (dir != null) {
                        housekeeping.delete(dir);
                        pruned++;
                    }
                }
            }
        }
        return pruned;
    }

    /**
     * Records the store's cluster in one of its own roots. The root of this TaskManager's working
     * directory is its own whatever a marker says: a marker of another cluster means this
     * TaskManager's identity (its working directory) moved to another cluster; its copies are of no
     * use to that cluster's jobs, and are collected as unclaimed ones.
     */
    private static void claimForCluster(Path root, String clusterId) {
        Optional<String> previous = ClusterMarker.read(root);
        if (previous.isPresent() && previous.get().equals(clusterId)) {
            return;
        }
        if (previous.isPresent()
                || ClusterMarker.of(root, clusterId) != ClusterMarker.Belonging.UNMARKED) {
            LOG.info(
                    "The local recovery directory {} belonged to cluster '{}'; this TaskManager "
                            + "now belongs to cluster '{}' ({}): the directory is its own, and "
                            + "is recorded as that cluster's.",
                    root,
                    previous.orElse("unreadable marker"),
                    clusterId,
                    io.flinklocalrecovery.core.config.LocalRecoveryOptions.CLUSTER_ID.key());
        }
        try {
            ClusterMarker.write(root, clusterId);
        } catch (IOException e) {
            LOG.warn(
                    "Could not record the cluster of {} ({}): other TaskManagers of this host "
                            + "cannot adopt its copies once this one is gone.",
                    root,
                    e.toString());
        }
    }

    static Counts run(List<Path> roots, Duration releasedLifetime, Sink sink) {
        return run(roots, releasedLifetime, sink, Removal.DELETE);
    }

    /**
     * Recovers, removing what is collected through {@code removal}: each root, and the roots it
     * adopted ({@link AdoptedRoots}) after it.
     */
    static Counts run(List<Path> roots, Duration releasedLifetime, Sink sink, Removal removal) {
        StartupRecovery recovery = new StartupRecovery(releasedLifetime, sink, removal);
        for (Path root : roots) {
            recovery.recoverRoot(root, MAX_ADOPTION_DEPTH);
        }
        return recovery.counts;
    }

    /** Recovers roots adopted just now, of a live store, into its bookkeeping. */
    static Counts runAdopted(
            List<Path> adoptedRoots, Duration releasedLifetime, Sink sink, Removal removal) {
        StartupRecovery recovery = new StartupRecovery(releasedLifetime, sink, removal);
        for (Path adopted : adoptedRoots) {
            recovery.recoverAdopted(adopted, MAX_ADOPTION_DEPTH - 1);
        }
        return recovery.counts;
    }

    /**
     * Adopted roots are flat ({@link AdoptedRoots#flatten}); an adopter that died between its two
     * renames may leave one level more, which is recovered where it is.
     */
    private static final int MAX_ADOPTION_DEPTH = 2;

    private void recoverRoot(Path root, int adoptionDepth) {
        List<Path> jobDirs;
        try {
            jobDirs = list(root);
        } catch (IOException e) {
            LOG.warn("Could not list the local recovery directory {}: {}", root, e.toString());
            return;
        }
        OptionalInt layout = StoreLayout.read(root);
        if (!StoreLayout.isCurrent(root)) {
            collectOtherLayout(root, layout.getAsInt(), jobDirs);
            return;
        }
        for (Path jobDir : jobDirs) {
            String name = jobDir.getFileName().toString();
            if (name.equals(AdoptedRoots.DIRECTORY)) {
                continue; // below
            }
            if (name.equals(BorrowedCopies.DIRECTORY)) {
                try {
                    removal.remove(
                            jobDir, "links to copies of other TaskManagers, of ended restores");
                } catch (IOException | RuntimeException e) {
                    LOG.debug("Could not remove {}", jobDir, e);
                }
                continue;
            }
            try {
                recoverJob(jobDir);
            } catch (IOException | RuntimeException e) {
                LOG.warn(
                        "Could not recover the local recovery entry {} ({}); leaving it alone,"
                                + " its copies are not used.",
                        jobDir,
                        e.toString());
            }
        }
        if (adoptionDepth > 0) {
            for (Path adopted : AdoptedRoots.in(root)) {
                recoverAdopted(adopted, adoptionDepth - 1);
            }
        }
    }

    private void recoverAdopted(Path adopted, int adoptionDepth) {
        if (!SiblingRoots.isSafe(adopted)) {
            return; // logged at DEBUG; an adopted root is ours, so this is someone's meddling
        }
        recoverRoot(adopted, adoptionDepth);
        if (AdoptedRoots.holdsNothing(adopted)) {
            try {
                removal.remove(adopted, "an adopted root without copies");
            } catch (IOException | RuntimeException e) {
                LOG.debug("Could not remove the empty adopted root {}", adopted, e);
            }
        }
    }

    /**
     * Collects everything in a root that a store of another layout wrote: this version cannot read
     * its copies (the lock and the marker stay; the store records its own layout then).
     */
    private void collectOtherLayout(Path root, int layout, List<Path> entries) {
        LOG.info(
                "The local recovery directory {} holds local copies in layout {} of another "
                        + "version of flink-local-recovery, which this version ({}) cannot read; "
                        + "collecting them.",
                root,
                layout < 0 ? "unknown" : Integer.toString(layout),
                StoreLayout.CURRENT);
        for (Path entry : entries) {
            String name = entry.getFileName().toString();
            if (name.equals(TaskLocalSnapshotStore.LOCK_FILE)
                    || name.equals(StoreLayout.MARKER)
                    || name.equals(ClusterMarker.MARKER)) {
                continue;
            }
            try {
                removal.remove(entry, "left by a store of another layout (" + layout + ")");
                counts.collected++;
            } catch (IOException | RuntimeException e) {
                LOG.warn("Could not collect {} ({}); leaving it alone.", entry, e.toString());
            }
        }
    }

    private void recoverJob(Path jobDir) throws IOException {
        String jobName = jobDir.getFileName().toString();
        if (StoreHousekeeping.isBeingDeleted(jobName)) {
            removal.remove(jobDir, "left by an interrupted deletion");
            counts.collected++;
            return;
        }
        if (Files.isSymbolicLink(jobDir)) {
            LOG.warn("Removing the symbolic link {} (links are never followed).", jobDir);
            removal.remove(jobDir, "a symbolic link (links are never followed)");
            counts.collected++;
            return;
        }
        if ((StoreLayout.isMarker(jobName) && !jobName.equals(StoreLayout.MARKER))
                || (ClusterMarker.isMarker(jobName) && !jobName.equals(ClusterMarker.MARKER))) {
            removal.remove(jobDir, "a marker left half-written");
            counts.collected++;
            return;
        }
        if (!Files.isDirectory(jobDir, LinkOption.NOFOLLOW_LINKS)
                || !LocalSnapshotScope.isJobDirName(jobName)) {
            if (!jobName.equals(TaskLocalSnapshotStore.LOCK_FILE)
                    && !jobName.equals(StoreLayout.MARKER)
                    && !jobName.equals(ClusterMarker.MARKER)) {
                LOG.warn("Leaving unknown entry {} in the local recovery directory alone.", jobDir);
            }
            return;
        }
        String jobId = jobName.substring("job_".length());
        long now = System.currentTimeMillis();
        long releasedAt = ReleasedMarkers.read(jobDir, now);
        if (releasedAt > 0 && now - releasedAt >= releasedLifetime.toMillis()) {
            LOG.info(
                    "Collecting the local copies of job {}: released {} s ago.",
                    jobId,
                    (now - releasedAt) / 1000);
            removal.remove(
                    jobDir,
                    "job released " + (now - releasedAt) / 1000 + " s ago, past its lifetime");
            counts.collected++;
            return;
        }
        boolean anyKept = false;
        for (Path scopeDir : list(jobDir)) {
            String scopeName = scopeDir.getFileName().toString();
            if (scopeName.equals(TaskLocalSnapshotStore.RELEASED_MARKER)) {
                continue;
            }
            LocalSnapshotScope scope = LocalSnapshotScope.fromDirNames(jobName, scopeName);
            if (scope == null
                    || Files.isSymbolicLink(scopeDir)
                    || !Files.isDirectory(scopeDir, LinkOption.NOFOLLOW_LINKS)) {
                LOG.info("Collecting unknown local recovery entry {}.", scopeDir);
                removal.remove(scopeDir, "an entry the store did not write");
                counts.collected++;
                continue;
            }
            for (Path checkpointDir : list(scopeDir)) {
                boolean kept;
                try {
                    kept = recoverCheckpoint(scope, checkpointDir);
                } catch (IOException | RuntimeException e) {
                    LOG.warn(
                            "Could not recover the local checkpoint {} ({}); leaving it alone, "
                                    + "its copies are not used.",
                            checkpointDir,
                            e.toString());
                    continue;
                }
                if (kept) {
                    counts.kept++;
                } else {
                    counts.collected++;
                }
                anyKept |= kept;
            }
            removal.removeIfEmpty(scopeDir);
        }
        if (releasedAt <= 0 && anyKept) {
            sink.recoveredUnclaimed(jobId);
        } else if (releasedAt > 0) {
            if (anyKept) {
                sink.recoveredReleased(jobId, releasedAt);
            } else {
                removal.remove(
                        jobDir.resolve(TaskLocalSnapshotStore.RELEASED_MARKER),
                        "the release marker of a job without copies");
            }
        }
        removal.removeIfEmpty(jobDir);
    }

    private boolean recoverCheckpoint(LocalSnapshotScope scope, Path checkpointDir)
            throws IOException {
        String name = checkpointDir.getFileName().toString();
        long checkpointId = parseCheckpointId(name);
        if (checkpointId < 0
                || Files.isSymbolicLink(checkpointDir)
                || !Files.isDirectory(checkpointDir, LinkOption.NOFOLLOW_LINKS)) {
            removal.remove(checkpointDir, "not a checkpoint directory the store writes");
            return false;
        }
        Optional<LocalCheckpointManifest> manifest = LocalCheckpointManifest.read(checkpointDir);
        if (!manifest.isPresent()
                || !manifest.get().getScope().equals(scope)
                || manifest.get().getCheckpointId() != checkpointId) {
            LOG.info("Collecting incomplete local checkpoint {}.", checkpointDir);
            removal.remove(checkpointDir, "an incomplete checkpoint (no valid manifest)");
            return false;
        }
        List<LocalFileEntry> present = new ArrayList<>();
        Set<String> listed = new HashSet<>();
        listed.add(TaskLocalSnapshotStore.MANIFEST);
        for (LocalFileEntry entry : manifest.get().getEntries()) {
            Path file = checkpointDir.resolve(entry.getFileName());
            listed.add(entry.getFileName());
            if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                    && Files.size(file) == entry.getSize()) {
                present.add(entry);
            }
        }
        // native directories are kept whole when their directory and metadata file are there;
        // their files are verified one by one when a restore uses them
        List<LocalNativeCheckpoint> presentNative = new ArrayList<>();
        for (LocalNativeCheckpoint nativeCheckpoint : manifest.get().getNativeCheckpoints()) {
            Path dir = checkpointDir.resolve(nativeCheckpoint.getDirectoryName());
            Path meta = checkpointDir.resolve(nativeCheckpoint.getMetaData().getFileName());
            listed.add(nativeCheckpoint.getDirectoryName());
            listed.add(nativeCheckpoint.getMetaData().getFileName());
            if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)
                    && Files.isRegularFile(meta, LinkOption.NOFOLLOW_LINKS)
                    && Files.size(meta) == nativeCheckpoint.getMetaData().getSize()) {
                presentNative.add(nativeCheckpoint);
            }
        }
        for (Path file : list(checkpointDir)) {
            if (!listed.contains(file.getFileName().toString())) {
                removal.remove(file, "a file no manifest lists");
            }
        }
        if (present.isEmpty() && presentNative.isEmpty()) {
            removal.remove(checkpointDir, "a checkpoint whose files are all gone");
            return false;
        }
        sink.recovered(
                checkpointDir,
                new LocalCheckpointManifest(scope, checkpointId, present, presentNative));
        return true;
    }

    private static long parseCheckpointId(String dirName) {
        if (!dirName.startsWith(TaskLocalSnapshotStore.CHECKPOINT_DIR_PREFIX)) {
            return -1;
        }
        try {
            return Long.parseLong(
                    dirName.substring(TaskLocalSnapshotStore.CHECKPOINT_DIR_PREFIX.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static List<Path> list(Path dir) throws IOException {
        List<Path> children = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return children;
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path child : stream) {
                children.add(child);
            }
        }
        Collections.sort(children);
        return children;
    }
}
