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

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * What one local checkpoint occupies on its disk, as the disk counts it: each distinct file (by
 * device and inode, so a RocksDB SST file hard-linked into several local checkpoints is one file)
 * with its size. Measured once, when the checkpoint is committed or recovered; the budget
 * arithmetic ({@link DiskBudget}) works on these records, never on the disk.
 */
@Internal
final class DiskFootprint {

    private final Path directory;
    private final Map<Object, Long> files;

    @VisibleForTesting
    DiskFootprint(Path directory, Map<Object, Long> files) {
        this.directory = directory;
        this.files = Collections.unmodifiableMap(new HashMap<>(files));
    }

    /**
     * Identifies the files a manifest lists in {@code checkpointDir}, each with its recorded size
     * (verified against the file when it was written); a file that cannot be read (it is gone
     * already) counts under its path.
     */
    static DiskFootprint measure(Path checkpointDir, LocalCheckpointManifest manifest) {
        Map<Object, Long> files = new HashMap<>();
        for (LocalFileEntry entry : manifest.getEntries()) {
            add(files, checkpointDir.resolve(entry.getFileName()), entry.getSize());
        }
        for (LocalNativeCheckpoint nativeCheckpoint : manifest.getNativeCheckpoints()) {
            Path dir = checkpointDir.resolve(nativeCheckpoint.getDirectoryName());
            add(
                    files,
                    checkpointDir.resolve(nativeCheckpoint.getMetaData().getFileName()),
                    nativeCheckpoint.getMetaData().getSize());
            for (LocalFileEntry file : nativeCheckpoint.getFiles()) {
                add(files, dir.resolve(file.getFileName()), file.getSize());
            }
        }
        return new DiskFootprint(checkpointDir, files);
    }

    private static void add(Map<Object, Long> files, Path file, long recordedSize) {
        Object key = file.toAbsolutePath().normalize().toString();
        try {
            BasicFileAttributes attributes =
                    Files.readAttributes(
                            file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (attributes.fileKey() != null) {
                key = attributes.fileKey(); // (dev, inode) on Linux: hard links share it
            }
        } catch (IOException e) {
            // gone or unreadable: counted as recorded, under its own name
        }
        files.put(key, recordedSize);
    }

    /** The local checkpoint directory. */
    Path directory() {
        return directory;
    }

    /** Each distinct file, by its identity on the disk, with its size. */
    Map<Object, Long> files() {
        return files;
    }

    /** The bytes of its distinct files (shared ones included). */
    long bytes() {
        long total = 0;
        for (long size : files.values()) {
            total += size;
        }
        return total;
    }

    @Override
    public String toString() {
        return directory + " (" + files.size() + " files, " + bytes() + " bytes)";
    }
}
