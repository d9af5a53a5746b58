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

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The bytes the store's local copies hold in each root, as the disk counts them: every distinct
 * file once, however many local checkpoints link it ({@link DiskFootprint}). A file counts while
 * some committed checkpoint lists it; when the last one is dropped its bytes are "released", and
 * they stay released (counted as free space already) until the background deletion of the
 * checkpoint's directory has run, so a free-space reading taken meanwhile is not trusted alone.
 *
 * <p>Thread-safe: the store changes it under its lock, the housekeeping thread reports deletions,
 * metric reporters read it.
 */
@Internal
final class DiskUsage {

    private final List<Path> roots;
    private final Map<Path, RootUsage> usage = new HashMap<>();
    private final Map<Path, DiskFootprint> byDirectory = new HashMap<>();

    /** Released bytes by checkpoint directory, until the directory is deleted. */
    private final Map<Path, Long> releasedNotDeleted = new HashMap<>();

    DiskUsage(List<Path> roots) {
        this.roots = new ArrayList<>(roots);
        for (Path root : roots) {
            usage.put(root, new RootUsage());
        }
    }

    /** The root that holds a directory; the first root for a path outside all of them. */
    Path rootOf(Path dir) {
        for (Path root : roots) {
            if (dir.startsWith(root)) {
                return root;
            }
        }
        return roots.get(0);
    }

    /** A committed (or recovered) local checkpoint: its files count. */
    synchronized void add(DiskFootprint footprint) {
        DiskFootprint previous = byDirectory.put(footprint.directory(), footprint);
        RootUsage root = usage.get(rootOf(footprint.directory()));
        if (previous != null) {
            root.remove(previous);
        }
        root.add(footprint);
    }

    /** A local checkpoint was dropped: its files no one else lists are released. */
    synchronized void release(Path directory) {
        DiskFootprint footprint = byDirectory.remove(directory);
        if (footprint != null) {
            long freed = usage.get(rootOf(directory)).remove(footprint);
            if (freed > 0) {
                releasedNotDeleted.merge(directory, freed, Long::sum);
            }
        }
    }

    /** A directory (a checkpoint's, or a job's) was deleted from the disk. */
    synchronized void deleted(Path dir) {
        for (Iterator<Path> it = releasedNotDeleted.keySet().iterator(); it.hasNext(); ) {
            if (it.next().startsWith(dir)) {
                it.remove();
            }
        }
    }

    /** The footprint of a committed checkpoint, if it is counted. */
    synchronized DiskFootprint footprint(Path directory) {
        return byDirectory.get(directory);
    }

    /** How many counted checkpoints of its root list a file. */
    synchronized int references(Path root, Object fileKey) {
        Integer refs = usage.get(root).references.get(fileKey);
        return refs == null ? 0 : refs;
    }

    synchronized long bytesHeld(Path root) {
        return usage.get(root).bytes;
    }

    synchronized long bytesHeld() {
        long total = 0;
        for (RootUsage root : usage.values()) {
            total += root.bytes;
        }
        return total;
    }

    /** Bytes released in a root whose directories the background deletion has not removed yet. */
    synchronized long releasedNotDeleted(Path root) {
        long total = 0;
        for (Map.Entry<Path, Long> entry : releasedNotDeleted.entrySet()) {
            if (entry.getKey().startsWith(root)) {
                total += entry.getValue();
            }
        }
        return total;
    }

    List<Path> roots() {
        return roots;
    }

    private static final class RootUsage {
        final Map<Object, Integer> references = new HashMap<>();
        final Map<Object, Long> sizes = new HashMap<>();
        long bytes;

        void add(DiskFootprint footprint) {
            for (Map.Entry<Object, Long> file : footprint.files().entrySet()) {
                if (references.merge(file.getKey(), 1, Integer::sum) == 1) {
                    sizes.put(file.getKey(), file.getValue());
                    bytes += file.getValue();
                }
            }
        }

        /** Returns the bytes no counted checkpoint lists any more. */
        long remove(DiskFootprint footprint) {
            long freed = 0;
            for (Object key : footprint.files().keySet()) {
                Integer refs = references.get(key);
                if (refs == null) {
                    continue;
                }
                if (refs == 1) {
                    references.remove(key);
                    freed += sizes.remove(key);
                } else {
                    references.put(key, refs - 1);
                }
            }
            bytes -= freed;
            return freed;
        }
    }
}
