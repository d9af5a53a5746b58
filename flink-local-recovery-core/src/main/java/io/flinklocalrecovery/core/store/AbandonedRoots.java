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
import java.util.List;
import java.util.UUID;

/**
 * Roots that TaskManagers of another identity left in a configured local-recovery directory: each
 * TaskManager writes into {@code <dir>/<its working directory's name>}, so a TaskManager that comes
 * back with a new resource id (or never comes back) leaves its root behind, and nobody would ever
 * delete it. A sibling root is collected when it is certainly abandoned:
 *
 * <ul>
 *   <li>it is a root of this store (a real directory holding the store's lock file), safe in the
 *       sense of {@link RootDirectories#checkSafe} (this user's, owner-only): a directory of
 *       another user or program is never touched;
 *   <li>no live process holds its lock (the lock is taken while the root is renamed away, so a
 *       TaskManager starting with that identity at the same moment cannot lose files it uses);
 *   <li>nothing in it changed for the released-copies lifetime: the copies of a TaskManager that is
 *       gone are kept as long as those of a job that left;
 *   <li>it is not another cluster's ({@link ClusterMarker}): a root, or a {@code .deleting-}
 *       sibling, whose marker names another cluster (or cannot be read) is never touched.
 * </ul>
 *
 * <p>A root of this cluster is adopted ({@link AdoptedRoots}) before this runs, so what is left to
 * collect here are roots without a cluster marker: written by an older version of the plugin.
 *
 * <p>A collected root is renamed to a hidden {@code .deleting-} sibling at once and deleted in the
 * background; such siblings left by a process that died while deleting are collected too.
 */
@Internal
final class AbandonedRoots {

    private static final Logger LOG = LoggerFactory.getLogger(AbandonedRoots.class);

    private AbandonedRoots() {}

    /**
     * Renames the abandoned siblings of {@code root} out of the way and returns the renamed
     * directories, to be deleted (also the {@code .deleting-} siblings left earlier).
     */
    static List<Path> takeAway(Path root, String clusterId, Duration unusedFor, long nowMillis) {
        List<Path> doomed = new ArrayList<>();
        Path parent = root.getParent();
        if (parent == null || !Files.isDirectory(parent, LinkOption.NOFOLLOW_LINKS)) {
            return doomed;
        }
        try (DirectoryStream<Path> siblings = Files.newDirectoryStream(parent)) {
            for (Path sibling : siblings) {
                if (sibling.equals(root)
                        || !Files.isDirectory(sibling, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                String name = sibling.getFileName().toString();
                if (ClusterMarker.of(sibling, clusterId) == ClusterMarker.Belonging.OTHER_CLUSTER) {
                    continue; // another cluster's: never read, adopted or deleted here
                }
                if (StoreHousekeeping.isBeingDeleted(name)) {
                    if (SiblingRoots.isSafe(sibling)) {
                        doomed.add(sibling);
                    }
                } else if (!name.startsWith(".")
                        && SiblingRoots.isStoreRoot(sibling)
                        // the age first: the safety check itself touches the directory
                        && unusedFor(sibling, unusedFor, nowMillis)
                        && SiblingRoots.isSafe(sibling)) {
                    Path renamed = renameIfUnlocked(sibling);
                    if (renamed != null) {
                        LOG.info(
                                "Deleting the local copies in {}, left by a TaskManager that is "
                                        + "gone (no process holds the directory, unused for more "
                                        + "than {} s).",
                                sibling,
                                unusedFor.getSeconds());
                        doomed.add(renamed);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("Could not look for abandoned roots beside {}", root, e);
        }
        return doomed;
    }

    /** Whether neither the root nor anything directly in it changed for {@code unusedFor}. */
    private static boolean unusedFor(Path root, Duration unusedFor, long nowMillis)
            throws IOException {
        long newest = Files.getLastModifiedTime(root, LinkOption.NOFOLLOW_LINKS).toMillis();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (Path entry : entries) {
                newest =
                        Math.max(
                                newest,
                                Files.getLastModifiedTime(entry, LinkOption.NOFOLLOW_LINKS)
                                        .toMillis());
            }
        }
        return nowMillis - newest >= unusedFor.toMillis();
    }

    /** Renames the root away while holding its lock; null if a live process holds it. */
    private static Path renameIfUnlocked(Path root) {
        RootLock lock = RootLock.tryLockInPlace(root);
        if (lock == null) {
            return null; // held by a live process (this one or another), or moved meanwhile
        }
        try {
            Path renamed =
                    root.resolveSibling(
                            StoreHousekeeping.DELETING_PREFIX
                                    + root.getFileName()
                                    + "-"
                                    + UUID.randomUUID());
            Files.move(root, renamed);
            return renamed;
        } catch (IOException | RuntimeException e) {
            LOG.debug("Could not take abandoned root {} away", root, e);
            return null;
        } finally {
            lock.close();
        }
    }
}
