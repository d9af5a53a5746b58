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
package io.flinklocalrecovery.rocksdb;

import org.apache.flink.annotation.Internal;

import io.flinklocalrecovery.core.store.LocalDiskSync;
import io.flinklocalrecovery.core.store.TaskLocalSnapshotStore;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Moves a file or directory of RocksDB's staged native checkpoint into the store. On the same file
 * system that is one rename (the files RocksDB hard-linked stay shared with its live database); on
 * another one every file is copied and forced to disk, so that a copy is never kept with content
 * the disk does not hold yet. Runs on the commit thread, never on a task's thread.
 */
@Internal
final class NativeCheckpointTransfer {

    /** How a transfer went. */
    enum Kind {
        MOVED,
        COPIED
    }

    private NativeCheckpointTransfer() {}

    /**
     * Moves {@code source} (a regular file or a directory of regular files) to {@code target},
     * which must not exist.
     */
    static Kind transfer(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
            return Kind.MOVED;
        } catch (AtomicMoveNotSupportedException e) {
            // another file system: no rename, no hard link
            copy(source, target);
            return Kind.COPIED;
        }
    }

    private static void copy(Path source, Path target) throws IOException {
        if (!Files.isDirectory(source, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            copyFile(source, target);
            return;
        }
        TaskLocalSnapshotStore.createOwnerOnlyDirectories(target);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(source)) {
            for (Path file : files) {
                if (!Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    throw new IOException("Not a regular file in a native checkpoint: " + file);
                }
                copyFile(file, target.resolve(file.getFileName().toString()));
            }
        }
    }

    private static void copyFile(Path source, Path target) throws IOException {
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
                FileChannel out =
                        FileChannel.open(
                                target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long size = in.size();
            long position = 0;
            while (position < size) {
                long transferred = in.transferTo(position, size - position, out);
                if (transferred <= 0) {
                    throw new IOException(
                            "Could not copy "
                                    + source
                                    + ": "
                                    + position
                                    + " of "
                                    + size
                                    + " bytes");
                }
                position += transferred;
            }
            LocalDiskSync.force(out, target, true);
        }
    }
}
