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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The roots beside one of the store's roots, in the same parent directory: the roots of the other
 * TaskManagers of this host that share the configured local-recovery directory. A sibling is a
 * store root (a real directory holding the store's lock file, not hidden) of this cluster ({@link
 * ClusterMarker}) and safe in the sense of {@link RootDirectories#checkSafe} (this user's,
 * owner-only); anything else is none of this store's business and is never read, moved or deleted.
 */
@Internal
final class SiblingRoots {

    private static final Logger LOG = LoggerFactory.getLogger(SiblingRoots.class);

    private SiblingRoots() {}

    /** Whether a directory is a store root: a real directory holding the store's lock file. */
    static boolean isStoreRoot(Path dir) {
        return Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)
                && Files.isRegularFile(
                        dir.resolve(TaskLocalSnapshotStore.LOCK_FILE), LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * The safe store roots of cluster {@code clusterId} beside {@code root} (not {@code root}
     * itself), live or not, sorted by name.
     */
    static List<Path> ofCluster(Path root, String clusterId) {
        List<Path> siblings = new ArrayList<>();
        for (Path sibling : candidates(root)) {
            if (ClusterMarker.of(sibling, clusterId) == ClusterMarker.Belonging.THIS_CLUSTER
                    && isSafe(sibling)) {
                siblings.add(sibling);
            }
        }
        return siblings;
    }

    /** The store roots beside {@code root}, of any cluster and not checked for safety. */
    static List<Path> candidates(Path root) {
        List<Path> siblings = new ArrayList<>();
        Path parent = root.getParent();
        if (parent == null || !Files.isDirectory(parent, LinkOption.NOFOLLOW_LINKS)) {
            return siblings;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent)) {
            for (Path sibling : entries) {
                if (!sibling.equals(root)
                        && !sibling.getFileName().toString().startsWith(".")
                        && isStoreRoot(sibling)) {
                    siblings.add(sibling);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("Could not list the roots beside {}", root, e);
        }
        Collections.sort(siblings);
        return siblings;
    }

    static boolean isSafe(Path dir) {
        try {
            RootDirectories.checkSafe(dir);
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.debug("Not touching {}: {}", dir, e.getMessage());
            return false;
        }
    }
}
