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

import io.flinklocalrecovery.core.config.LocalRecoveryOptions;

import javax.annotation.Nullable;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.Objects;
import java.util.UUID;

/**
 * The lock of a root: the OS file lock on its {@value TaskLocalSnapshotStore#LOCK_FILE}, held by
 * the process that owns the root for as long as it lives. Whoever moves a root (an adopter, a
 * collector of abandoned roots) holds its lock while it renames it, so a root is never moved under
 * a live owner.
 *
 * <p>A lock is taken on a file, not on a path: between opening {@code <root>/.lock} and locking it,
 * the root may have been renamed away by an adopter (which then released the lock). So whoever
 * takes a lock checks that it still holds the lock file at the root's path: it writes a token of
 * its own into the locked file and reads it back through the path. An owner that comes back while
 * its old root is being adopted finds the lock taken for a moment, or its token gone: it tries
 * again, and starts a fresh, empty root under its name. Nobody waits on a lock.
 */
@Internal
final class RootLock {

    /** How often an owner tries again when its root moved away under it. */
    static final int MAX_ATTEMPTS = 5;

    private RootLock() {}

    /**
     * Takes the root's lock for its owner, creating the root and the lock file if needed.
     *
     * @throws IOException if a live process holds it, naming the key and the fix
     */
    static FileChannel lockOwn(Path root) throws IOException {
        for (int attempt = 1; ; attempt++) {
            RootDirectories.createOwnerOnly(root);
            Object directoryKey = fileKey(root);
            FileChannel channel =
                    FileChannel.open(
                            root.resolve(TaskLocalSnapshotStore.LOCK_FILE),
                            StandardOpenOption.CREATE,
                            StandardOpenOption.WRITE,
                            LinkOption.NOFOLLOW_LINKS);
            boolean keep = false;
            try {
                FileLock lock;
                try {
                    lock = channel.tryLock();
                } catch (OverlappingFileLockException e) {
                    throw new IOException(
                            "Local recovery directory " + root + " is already open", e);
                }
                if (lock != null && holdsInPlace(channel, root)) {
                    keep = true;
                    return channel;
                }
                boolean moved = lock != null || !Objects.equals(directoryKey, fileKey(root));
                if (!moved) {
                    throw new IOException(
                            "Local recovery directory "
                                    + root
                                    + " is in use by another process. Give every TaskManager its "
                                    + "own directory ("
                                    + LocalRecoveryOptions.LOCAL_DIRECTORIES.key()
                                    + ") or working directory.");
                }
                if (attempt >= MAX_ATTEMPTS) {
                    throw new IOException(
                            "Local recovery directory "
                                    + root
                                    + " was moved away "
                                    + attempt
                                    + " times while this process tried to lock it.");
                }
                // adopted by another TaskManager in this very moment: start a fresh root
            } finally {
                if (!keep) {
                    closeQuietly(channel);
                }
            }
        }
    }

    /**
     * Takes the lock of a root someone else may own, to move it: null when a live process holds it,
     * the root has no lock file, or the root moved meanwhile. The lock is held while the returned
     * channel is open.
     */
    @Nullable
    static FileChannel tryLockInPlace(Path root) {
        FileChannel channel;
        try {
            channel =
                    FileChannel.open(
                            root.resolve(TaskLocalSnapshotStore.LOCK_FILE),
                            StandardOpenOption.WRITE,
                            LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | RuntimeException e) {
            return null;
        }
        try {
            FileLock lock = channel.tryLock();
            if (lock != null && holdsInPlace(channel, root)) {
                return channel;
            }
        } catch (OverlappingFileLockException e) {
            // held in this process
        } catch (IOException | RuntimeException e) {
            // cannot tell: never move it
        }
        closeQuietly(channel);
        return null;
    }

    /** Whether the locked channel is (still) the lock file at the root's path. */
    private static boolean holdsInPlace(FileChannel locked, Path root) throws IOException {
        byte[] token = (UUID.randomUUID() + "\n").getBytes(StandardCharsets.US_ASCII);
        ByteBuffer buffer = ByteBuffer.wrap(token);
        long position = 0;
        while (buffer.hasRemaining()) {
            position += locked.write(buffer, position);
        }
        locked.truncate(token.length);
        try {
            byte[] atPath = Files.readAllBytes(root.resolve(TaskLocalSnapshotStore.LOCK_FILE));
            return Arrays.equals(token, atPath);
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    @Nullable
    private static Object fileKey(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    .fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    static void closeQuietly(@Nullable FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // the lock goes with the process at the latest
        }
    }
}
