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
import org.apache.flink.annotation.VisibleForTesting;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The copies held by the other live TaskManagers of this host: with several TaskManagers sharing a
 * host directory, only one adopts the root of one that is gone, and a moved subtask may run on
 * another. On a lookup miss, the committed manifests of the sibling roots of this cluster (their
 * own checkpoints and the roots they adopted) are searched for the primary handle id, read-only:
 * nothing there is ever locked, written or deleted.
 *
 * <p>A hit is borrowed: its files are hard-linked into {@code <root>/_borrowed/<uuid>/} first, so
 * that the owner deleting its copy cannot pull it away mid-restore, and the restore reads and
 * verifies the links exactly like its own copies. The links are deleted when the restore ends;
 * links no restore of this process uses (left by a release whose deletion failed) by the next
 * housekeeping run, and all of them by the next store open. Links of a restore in progress are kept
 * however long it runs (up to {@link #IN_USE_AT_MOST}). A copy that cannot be linked (another file
 * system, permissions, gone) is not borrowed: the restore reads the primary.
 *
 * <p>The work is bounded: what was read is cached per checkpoint directory (with its manifest's
 * modification time), the siblings are scanned at most once per {@link #RESCAN_AT_MOST_EVERY} and
 * at most {@link #MAX_MANIFESTS_READ_PER_SCAN} manifests are read per scan; a scan that a hung file
 * system holds up makes other lookups give up after {@link #WAIT_AT_MOST} instead of waiting.
 */
@Internal
final class BorrowedCopies {

    private static final Logger LOG = LoggerFactory.getLogger(BorrowedCopies.class);

    /** In a root: links to copies of other TaskManagers, for restores in progress. */
    static final String DIRECTORY = "_borrowed";

    static final Duration RESCAN_AT_MOST_EVERY = Duration.ofSeconds(1);

    static final int MAX_MANIFESTS_READ_PER_SCAN = 10_000;

    /** How long a lookup waits for a scan of another thread. */
    static final Duration WAIT_AT_MOST = Duration.ofSeconds(10);

    /**
     * Links a restore has held longer than this are taken for leaked by a restore that never said
     * it ended, and collected; should the restore still run, it reads the primary for what it has
     * not opened yet.
     */
    static final Duration IN_USE_AT_MOST = Duration.ofHours(24);

    private static final int MAX_BAD_REMEMBERED = 10_000;

    private final LockedRoots roots;
    private final String clusterId;
    private final ReentrantLock lock = new ReentrantLock();

    /** The borrowed directories of the restores of this process that have not ended. */
    private final Set<Path> inUse = ConcurrentHashMap.newKeySet();

    // guarded by lock
    private final Map<Path, CachedManifest> cache = new HashMap<>();
    private Map<String, Found> files = Collections.emptyMap();
    private Map<String, Found> nativeCheckpoints = Collections.emptyMap();
    private long lastScanNanos;
    private boolean scanned;

    /** Source files that failed verification: never borrowed again. */
    private final Map<Path, Boolean> bad =
            new LinkedHashMap<Path, Boolean>() {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<Path, Boolean> eldest) {
                    return size() > MAX_BAD_REMEMBERED;
                }
            };

    BorrowedCopies(LockedRoots roots, String clusterId) {
        this.roots = roots;
        this.clusterId = clusterId;
    }

    /** Borrows the copy of a primary handle some live sibling holds, if one does. */
    Optional<LocalFileRef> lookup(String primaryHandleId) {
        Found found = find(primaryHandleId, false);
        if (found == null) {
            return Optional.empty();
        }
        LocalFileEntry entry = found.entry;
        Path source = found.checkpointDir.resolve(entry.getFileName());
        Path borrowed = newBorrowedDirectory(found);
        try {
            RootDirectories.createOwnerOnly(borrowed);
            Path link = borrowed.resolve(entry.getFileName());
            Files.createLink(link, source);
            return Optional.of(
                    new LocalFileRef(
                            found.manifest.getScope(),
                            found.manifest.getCheckpointId(),
                            link,
                            entry,
                            CopyOrigin.borrowedFrom(found.siblingRoot.toString())));
        } catch (IOException | RuntimeException e) {
            LOG.debug("Could not borrow {} ({}); reading the primary.", source, e.toString());
            SafeDeletion.deleteQuietly(borrowed);
            inUse.remove(borrowed);
            return Optional.empty();
        }
    }

    /** Borrows the native checkpoint directory some live sibling holds, if one does. */
    Optional<LocalNativeCheckpointRef> lookupNative(String backendId, long checkpointId) {
        Found found = find(LocalNativeCheckpoint.indexKey(backendId, checkpointId), true);
        if (found == null) {
            return Optional.empty();
        }
        LocalNativeCheckpoint nativeCheckpoint = found.nativeCheckpoint;
        Path borrowed = newBorrowedDirectory(found);
        try {
            Path sourceDir = found.checkpointDir.resolve(nativeCheckpoint.getDirectoryName());
            Path linkedDir = borrowed.resolve(nativeCheckpoint.getDirectoryName());
            RootDirectories.createOwnerOnly(linkedDir);
            for (LocalFileEntry file : nativeCheckpoint.getFiles()) {
                Files.createLink(
                        linkedDir.resolve(file.getFileName()),
                        sourceDir.resolve(file.getFileName()));
            }
            String meta = nativeCheckpoint.getMetaData().getFileName();
            Files.createLink(borrowed.resolve(meta), found.checkpointDir.resolve(meta));
            return Optional.of(
                    new LocalNativeCheckpointRef(
                            found.manifest.getScope(),
                            checkpointId,
                            borrowed,
                            nativeCheckpoint,
                            CopyOrigin.borrowedFrom(found.siblingRoot.toString())));
        } catch (IOException | RuntimeException e) {
            LOG.debug(
                    "Could not borrow the native checkpoint in {} ({}); reading the primary.",
                    found.checkpointDir,
                    e.toString());
            SafeDeletion.deleteQuietly(borrowed);
            inUse.remove(borrowed);
            return Optional.empty();
        }
    }

    /** A borrowed copy failed verification: the source is never borrowed again. */
    void invalidate(LocalFileRef ref) {
        lock.lock();
        try {
            Found found = files.get(ref.getEntry().getPrimaryHandleId());
            if (found != null) {
                bad.put(found.checkpointDir.resolve(ref.getEntry().getFileName()), Boolean.TRUE);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The borrowed directory a borrowed copy lies in; null for any other copy. */
    @Nullable
    Path borrowedDirectoryOf(Path borrowedPath) {
        for (Path root : roots.paths()) {
            Path dir = root.resolve(DIRECTORY);
            if (borrowedPath.startsWith(dir) && borrowedPath.getNameCount() > dir.getNameCount()) {
                return dir.resolve(borrowedPath.getName(dir.getNameCount()));
            }
        }
        return null;
    }

    /** The restore that borrowed into {@code borrowedDirectory} ended: its links may go. */
    void released(Path borrowedDirectory) {
        inUse.remove(borrowedDirectory);
    }

    /**
     * Deletes the borrowed links no restore in progress uses, and those a restore has held longer
     * than {@link #IN_USE_AT_MOST}.
     */
    void collectUnused() {
        long now = System.currentTimeMillis();
        for (Path root : roots.paths()) {
            Path dir = root.resolve(DIRECTORY);
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                for (Path entry : entries) {
                    if (!inUse.contains(entry)) {
                        SafeDeletion.deleteQuietly(entry);
                        continue;
                    }
                    long modified =
                            Files.getLastModifiedTime(entry, LinkOption.NOFOLLOW_LINKS).toMillis();
                    if (now - modified >= IN_USE_AT_MOST.toMillis()) {
                        LOG.info(
                                "Deleting the links to another TaskManager's copies in {}: the "
                                        + "restore that borrowed them did not end within {}.",
                                entry,
                                IN_USE_AT_MOST);
                        inUse.remove(entry);
                        SafeDeletion.deleteQuietly(entry);
                    }
                }
            } catch (IOException | RuntimeException e) {
                LOG.debug("Could not collect the borrowed links in {}", dir, e);
            }
        }
    }

    // ------------------------------------------------------------------------

    @Nullable
    private Found find(String key, boolean nativeCheckpoint) {
        try {
            if (!lock.tryLock(WAIT_AT_MOST.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.debug("A scan of the sibling roots is held up; not borrowing {}.", key);
                return null;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        try {
            long now = System.nanoTime();
            if (!scanned || now - lastScanNanos >= RESCAN_AT_MOST_EVERY.toNanos()) {
                scan();
                scanned = true;
                lastScanNanos = System.nanoTime();
            }
            Found found = (nativeCheckpoint ? nativeCheckpoints : files).get(key);
            if (found != null
                    && !nativeCheckpoint
                    && bad.containsKey(found.checkpointDir.resolve(found.entry.getFileName()))) {
                return null;
            }
            return found;
        } catch (RuntimeException e) {
            LOG.debug("Could not look for {} in the sibling roots", key, e);
            return null;
        } finally {
            lock.unlock();
        }
    }

    private Path newBorrowedDirectory(Found found) {
        Path root = roots.paths().get(0);
        for (Path own : roots.paths()) {
            if (own.getParent() != null && found.siblingRoot.startsWith(own.getParent())) {
                root = own; // the same parent: the same file system, so links work
                break;
            }
        }
        Path borrowed = root.resolve(DIRECTORY).resolve(UUID.randomUUID().toString());
        inUse.add(borrowed);
        return borrowed;
    }

    /** Reads the committed manifests of the sibling roots, where they changed since last time. */
    private void scan() {
        long start = System.nanoTime();
        Map<Path, CachedManifest> seen = new HashMap<>();
        Map<String, Found> newFiles = new HashMap<>();
        Map<String, Found> newNative = new HashMap<>();
        int[] read = {0};
        for (Path root : roots.paths()) {
            for (Path sibling : SiblingRoots.ofCluster(root, clusterId)) {
                List<Path> sources = new ArrayList<>();
                sources.add(sibling);
                for (Path adopted : AdoptedRoots.in(sibling)) {
                    if (SiblingRoots.isSafe(adopted)) {
                        sources.add(adopted);
                    }
                }
                for (Path source : sources) {
                    scanRoot(source, seen, read);
                }
            }
        }
        for (Map.Entry<Path, CachedManifest> checkpoint : seen.entrySet()) {
            CachedManifest cached = checkpoint.getValue();
            for (LocalFileEntry entry : cached.manifest.getEntries()) {
                newFiles.merge(
                        entry.getPrimaryHandleId(),
                        new Found(cached, checkpoint.getKey(), entry, null),
                        BorrowedCopies::newer);
            }
            for (LocalNativeCheckpoint nativeCheckpoint : cached.manifest.getNativeCheckpoints()) {
                newNative.merge(
                        LocalNativeCheckpoint.indexKey(
                                nativeCheckpoint.getBackendId(), cached.manifest.getCheckpointId()),
                        new Found(cached, checkpoint.getKey(), null, nativeCheckpoint),
                        BorrowedCopies::newer);
            }
        }
        cache.clear();
        cache.putAll(seen);
        files = newFiles;
        nativeCheckpoints = newNative;
        LOG.debug(
                "Scanned the local-recovery roots beside {}: {} local checkpoints, {} manifests "
                        + "read, {} ms.",
                roots.paths(),
                seen.size(),
                read[0],
                (System.nanoTime() - start) / 1_000_000);
    }

    private void scanRoot(Path root, Map<Path, CachedManifest> seen, int[] read) {
        if (!StoreLayout.isCurrent(root)) {
            return;
        }
        for (Path jobDir : list(root)) {
            String jobName = jobDir.getFileName().toString();
            if (!LocalSnapshotScope.isJobDirName(jobName)
                    || !Files.isDirectory(jobDir, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            for (Path scopeDir : list(jobDir)) {
                LocalSnapshotScope scope =
                        LocalSnapshotScope.fromDirNames(jobName, scopeDir.getFileName().toString());
                if (scope == null || !Files.isDirectory(scopeDir, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                for (Path checkpointDir : list(scopeDir)) {
                    CachedManifest cached = readCached(root, scope, checkpointDir, read);
                    if (cached != null) {
                        seen.put(checkpointDir, cached);
                    }
                }
            }
        }
    }

    @Nullable
    private CachedManifest readCached(
            Path root, LocalSnapshotScope scope, Path checkpointDir, int[] read) {
        String name = checkpointDir.getFileName().toString();
        if (!name.startsWith(TaskLocalSnapshotStore.CHECKPOINT_DIR_PREFIX)
                || !Files.isDirectory(checkpointDir, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        long modified;
        try {
            modified =
                    Files.getLastModifiedTime(
                                    checkpointDir.resolve(TaskLocalSnapshotStore.MANIFEST),
                                    LinkOption.NOFOLLOW_LINKS)
                            .toMillis();
        } catch (IOException e) {
            return null; // not committed (yet)
        }
        CachedManifest cached = cache.get(checkpointDir);
        if (cached != null && cached.modifiedMillis == modified) {
            return cached;
        }
        if (read[0] >= MAX_MANIFESTS_READ_PER_SCAN) {
            return null;
        }
        read[0]++;
        Optional<LocalCheckpointManifest> manifest = LocalCheckpointManifest.read(checkpointDir);
        if (!manifest.isPresent()
                || !manifest.get().getScope().equals(scope)
                || !name.equals(
                        TaskLocalSnapshotStore.CHECKPOINT_DIR_PREFIX
                                + manifest.get().getCheckpointId())) {
            return null;
        }
        return new CachedManifest(root, manifest.get(), modified);
    }

    private static Found newer(Found a, Found b) {
        return a.manifest.getCheckpointId() >= b.manifest.getCheckpointId() ? a : b;
    }

    private static List<Path> list(Path dir) {
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path child : entries) {
                children.add(child);
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("Could not list {}", dir, e);
        }
        return children;
    }

    @VisibleForTesting
    int cachedCheckpoints() {
        lock.lock();
        try {
            return cache.size();
        } finally {
            lock.unlock();
        }
    }

    private static final class CachedManifest {
        final Path siblingRoot;
        final LocalCheckpointManifest manifest;
        final long modifiedMillis;

        CachedManifest(Path siblingRoot, LocalCheckpointManifest manifest, long modifiedMillis) {
            this.siblingRoot = siblingRoot;
            this.manifest = manifest;
            this.modifiedMillis = modifiedMillis;
        }
    }

    /** A copy found in a sibling root. */
    private static final class Found {
        final Path siblingRoot;
        final LocalCheckpointManifest manifest;
        final Path checkpointDir;
        @Nullable final LocalFileEntry entry;
        @Nullable final LocalNativeCheckpoint nativeCheckpoint;

        Found(
                CachedManifest cached,
                Path checkpointDir,
                @Nullable LocalFileEntry entry,
                @Nullable LocalNativeCheckpoint nativeCheckpoint) {
            this.siblingRoot = cached.siblingRoot;
            this.manifest = cached.manifest;
            this.checkpointDir = checkpointDir;
            this.entry = entry;
            this.nativeCheckpoint = nativeCheckpoint;
        }
    }
}
