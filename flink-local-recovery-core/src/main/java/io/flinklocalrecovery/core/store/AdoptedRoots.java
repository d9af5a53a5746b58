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

import javax.annotation.Nullable;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Roots of TaskManagers that are gone, adopted into one of this store's roots: {@code
 * <root>/_adopted/<sibling name>-<uuid>/}, each a root of the same layout as the store's own, whose
 * copies the store indexes, prunes and collects like its own (the manifests name their files
 * relative to their checkpoint directory, so a root can be renamed as a whole).
 *
 * <p>Adoption ({@link #adopt}) takes a dead sibling root's lock and renames the whole root into
 * {@code _adopted} in one rename on the same file system: of several TaskManagers trying at once,
 * exactly one succeeds, and the others find nothing there any more. A TaskManager that comes back
 * under the adopted root's name finds the name free and starts a fresh root. The roots the adopted
 * root had adopted itself are moved up beside it, so {@code _adopted} is flat.
 */
@Internal
final class AdoptedRoots {

    private static final Logger LOG = LoggerFactory.getLogger(AdoptedRoots.class);

    /** In a root: the roots it adopted. */
    static final String DIRECTORY = "_adopted";

    private static final Pattern UUID_SUFFIX =
            Pattern.compile("-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");

    private AdoptedRoots() {}

    /** The roots adopted into {@code root}, sorted (none if it adopted none). */
    static List<Path> in(Path root) {
        List<Path> adopted = new ArrayList<>();
        Path dir = root.resolve(DIRECTORY);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return adopted;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                if (!entry.getFileName().toString().startsWith(".")
                        && Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    adopted.add(entry);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("Could not list the adopted roots in {}", dir, e);
        }
        Collections.sort(adopted);
        return adopted;
    }

    /** The name a sibling root had before it was adopted (its adopted name without the uuid). */
    static String originalName(Path adoptedRoot) {
        return UUID_SUFFIX.matcher(adoptedRoot.getFileName().toString()).replaceFirst("");
    }

    /** The adopted root a path lies in, if it lies in one of {@code root}; null otherwise. */
    @Nullable
    static Path adoptedRootOf(Path root, Path path) {
        Path dir = root.resolve(DIRECTORY);
        if (!path.startsWith(dir) || path.getNameCount() <= dir.getNameCount()) {
            return null;
        }
        return dir.resolve(path.getName(dir.getNameCount()));
    }

    /**
     * Adopts the dead roots of this cluster beside {@code root}: each one whose lock no live
     * process holds is renamed, while its lock is held, into {@code root/_adopted/}. File system
     * work only; returns the adopted roots (the ones they had adopted included), for the store to
     * recover.
     */
    static List<Path> adopt(Path root, String clusterId) {
        List<Path> adopted = new ArrayList<>();
        for (Path sibling : SiblingRoots.ofCluster(root, clusterId)) {
            Path moved = adoptIfDead(root, sibling);
            if (moved != null) {
                adopted.add(moved);
                adopted.addAll(flatten(root, moved));
            }
        }
        return adopted;
    }

    /**
     * Moves the roots an adopted root had adopted itself up into {@code root/_adopted/}; returns
     * them. Also repairs what an adopter that died between the two renames left.
     */
    static List<Path> flatten(Path root, Path adoptedRoot) {
        List<Path> moved = new ArrayList<>();
        for (Path nested : in(adoptedRoot)) {
            Path target = root.resolve(DIRECTORY).resolve(nested.getFileName());
            try {
                if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                    target =
                            root.resolve(DIRECTORY)
                                    .resolve(originalName(nested) + "-" + UUID.randomUUID());
                }
                Files.move(nested, target, StandardCopyOption.ATOMIC_MOVE);
                moved.add(target);
            } catch (IOException | RuntimeException e) {
                LOG.debug("Could not move the adopted root {} up to {}", nested, target, e);
            }
        }
        try {
            Files.deleteIfExists(adoptedRoot.resolve(DIRECTORY));
        } catch (IOException e) {
            // not empty: what could not be moved stays where it is, and is recovered there
        }
        return moved;
    }

    /** Every adopted root of {@code root} moved up, so {@code _adopted} is flat. */
    static void flattenAll(Path root) {
        for (Path adopted : in(root)) {
            flatten(root, adopted);
        }
    }

    @Nullable
    private static Path adoptIfDead(Path root, Path sibling) {
        RootLock lock = RootLock.tryLockInPlace(sibling);
        if (lock == null) {
            return null; // a live process holds it, or it moved
        }
        try {
            RootDirectories.createOwnerOnly(root.resolve(DIRECTORY));
            Path target =
                    root.resolve(DIRECTORY)
                            .resolve(sibling.getFileName() + "-" + UUID.randomUUID());
            Files.move(sibling, target, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException | RuntimeException e) {
            LOG.info(
                    "Could not adopt the local-recovery root {} left by a TaskManager that is gone "
                            + "({}); it is left alone.",
                    sibling,
                    e.toString());
            return null;
        } finally {
            lock.close();
        }
    }

    /** Whether an adopted root holds nothing but its markers and lock (its copies are all gone). */
    static boolean holdsNothing(Path adoptedRoot) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(adoptedRoot)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!name.equals(TaskLocalSnapshotStore.LOCK_FILE)
                        && !StoreLayout.isMarker(name)
                        && !ClusterMarker.isMarker(name)) {
                    return false;
                }
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
