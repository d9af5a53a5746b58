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
import org.apache.flink.util.Preconditions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The Flink cluster a root belongs to, recorded in a small marker file ({@value #MARKER}) in the
 * root (written atomically, like {@link StoreLayout}'s marker). TaskManagers of several clusters
 * may share one host directory: a sibling root whose marker names another cluster is never read,
 * adopted or deleted by this one. A root without a marker was written by an older version (or by a
 * store that died before it wrote one): it is not adopted, only collected after the released-copies
 * lifetime, as before.
 */
@Internal
final class ClusterMarker {

    static final String MARKER = "_CLUSTER";

    private static final String PREFIX = "flink-local-recovery cluster ";

    /** A cluster id is a short name; a longer marker is not one of ours. */
    private static final int MAX_MARKER_BYTES = 1024;

    private ClusterMarker() {}

    /**
     * The cluster id a root's marker names; empty when there is no marker, or when it cannot be
     * read (then the root is nobody's to adopt: it is treated like one without marker).
     */
    static Optional<String> read(Path root) {
        Path marker = root.resolve(MARKER);
        try {
            if (!Files.isRegularFile(marker, LinkOption.NOFOLLOW_LINKS)
                    || Files.size(marker) > MAX_MARKER_BYTES) {
                return Optional.empty();
            }
            String text = new String(Files.readAllBytes(marker), StandardCharsets.UTF_8);
            if (!text.startsWith(PREFIX) || !text.endsWith("\n")) {
                return Optional.empty();
            }
            return Optional.of(text.substring(PREFIX.length(), text.length() - 1));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Whom a root belongs to, as seen by a store of cluster {@code clusterId}. */
    enum Belonging {
        /** Its marker names this cluster. */
        THIS_CLUSTER,
        /** Its marker names another cluster, or cannot be read: never touched. */
        OTHER_CLUSTER,
        /** No marker: written by an older version; collected after the lifetime, not adopted. */
        UNMARKED
    }

    static Belonging of(Path root, String clusterId) {
        if (!Files.exists(root.resolve(MARKER), LinkOption.NOFOLLOW_LINKS)) {
            return Belonging.UNMARKED;
        }
        return matches(root, clusterId) ? Belonging.THIS_CLUSTER : Belonging.OTHER_CLUSTER;
    }

    /** Whether the root's marker names this cluster. */
    static boolean matches(Path root, String clusterId) {
        return read(root).map(clusterId::equals).orElse(false);
    }

    /** Records the cluster in the root (atomically, fsynced). */
    static void write(Path root, String clusterId) throws IOException {
        Preconditions.checkArgument(
                clusterId.indexOf('\n') < 0, "A cluster id has no line break: %s", clusterId);
        AtomicFiles.write(
                root.resolve(MARKER), (PREFIX + clusterId + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Whether a root-level entry is the marker or a temporary file of one being written. */
    static boolean isMarker(String fileName) {
        return fileName.equals(MARKER)
                || (fileName.startsWith(MARKER + ".")
                        && fileName.endsWith(AtomicFiles.TEMP_SUFFIX));
    }
}
