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

import java.io.Closeable;
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
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
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
 *
 * <p>The OS lock is a POSIX record lock (what {@link FileChannel#tryLock} takes on Linux): it
 * belongs to the process, and the process loses it as soon as it closes <em>any</em> descriptor of
 * the file. So the channel the token is read back through stays open as long as the lock is held,
 * and this process never opens the lock file of a root it holds (it remembers them, and treats them
 * as held by a live process: itself). Every open and close of a lock file in this process happens
 * under one monitor, so no check can race with a lock taken by another thread.
 */
@Internal
final class RootLock implements Closeable {

    /** How often an owner tries again when its root moved away under it. */
    static final int MAX_ATTEMPTS = 5;

    /** The identities (file keys) of the lock files this process holds; guarded by the class. */
    private static final Set<Object> HELD_BY_THIS_PROCESS = new HashSet<>();

    private final Path root;
    private final FileChannel locked;
    private final FileChannel readBack;
    private final Object fileKey;
    private boolean closed;

    private RootLock(Path root, FileChannel locked, FileChannel readBack, Object fileKey) {
        this.root = root;
        this.locked = locked;
        this.readBack = readBack;
        this.fileKey = fileKey;
    }

    /**
     * Takes the root's lock for its owner, creating the root and the lock file if needed.
     *
     * @throws IOException if a live process (or this one) holds it, naming the key and the fix
     */
    static RootLock lockOwn(Path root) throws IOException {
        for (int attempt = 1; ; attempt++) {
            RootDirectories.createOwnerOnly(root);
            RootLock lock = tryLockOwn(root);
            if (lock != null) {
                return lock;
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
        }
    }

    /** One attempt of {@link #lockOwn}: null when the root moved away meanwhile. */
    @Nullable
    private static synchronized RootLock tryLockOwn(Path root) throws IOException {
        Path lockFile = root.resolve(TaskLocalSnapshotStore.LOCK_FILE);
        if (heldByThisProcess(lockFile)) {
            throw new IOException("Local recovery directory " + root + " is already open");
        }
        Object directoryKey = fileKey(root);
        FileChannel channel;
        try {
            channel =
                    FileChannel.open(
                            lockFile,
                            StandardOpenOption.CREATE,
                            StandardOpenOption.WRITE,
                            LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null; // the root moved away between its creation and now
        }
        boolean keep = false;
        try {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                throw new IOException("Local recovery directory " + root + " is already open", e);
            }
            if (lock != null) {
                RootLock held = inPlace(root, channel);
                if (held != null) {
                    keep = true;
                    return held;
                }
                return null; // locked a file that is no longer the root's
            }
            if (Objects.equals(directoryKey, fileKey(root))) {
                throw new IOException(
                        "Local recovery directory "
                                + root
                                + " is in use by another process. Give every TaskManager its "
                                + "own directory ("
                                + LocalRecoveryOptions.LOCAL_DIRECTORIES.key()
                                + ") or working directory.");
            }
            return null; // an adopter holds the old root's lock while it moves it
        } finally {
            if (!keep) {
                closeQuietly(channel);
            }
        }
    }

    /**
     * Takes the lock of a root someone else may own, to move it: null when a live process (this one
     * included) holds it, the root has no lock file, or the root moved meanwhile. The lock is held
     * until {@link #close}.
     */
    @Nullable
    static synchronized RootLock tryLockInPlace(Path root) {
        Path lockFile = root.resolve(TaskLocalSnapshotStore.LOCK_FILE);
        if (heldByThisProcess(lockFile)) {
            return null; // opening it would release this process's own lock
        }
        FileChannel channel;
        try {
            channel =
                    FileChannel.open(lockFile, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | RuntimeException e) {
            return null;
        }
        try {
            FileLock lock = channel.tryLock();
            if (lock != null) {
                RootLock held = inPlace(root, channel);
                if (held != null) {
                    return held;
                }
            }
        } catch (OverlappingFileLockException e) {
            // held in this process
        } catch (IOException | RuntimeException e) {
            // cannot tell: never move it
        }
        closeQuietly(channel);
        return null;
    }

    /**
     * Whether a process holds the root's lock: this one, or another one (tested for a moment; a
     * TaskManager that opens the store in that moment finds it in use and tries again later).
     */
    static boolean isHeld(Path root) {
        RootLock probe = tryLockInPlace(root);
        if (probe == null) {
            return true;
        }
        probe.close();
        return false;
    }

    /**
     * The lock, if the locked channel is the lock file at the root's path: the token written
     * through the channel is read back through the path (a channel kept open with the lock).
     */
    @Nullable
    private static RootLock inPlace(Path root, FileChannel locked) throws IOException {
        Path lockFile = root.resolve(TaskLocalSnapshotStore.LOCK_FILE);
        byte[] token = (UUID.randomUUID() + "\n").getBytes(StandardCharsets.US_ASCII);
        ByteBuffer buffer = ByteBuffer.wrap(token);
        long position = 0;
        while (buffer.hasRemaining()) {
            position += locked.write(buffer, position);
        }
        locked.truncate(token.length);
        FileChannel readBack;
        try {
            readBack =
                    FileChannel.open(lockFile, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
        boolean keep = false;
        try {
            ByteBuffer atPath = ByteBuffer.allocate(token.length + 1);
            while (atPath.hasRemaining() && readBack.read(atPath, atPath.position()) > 0) {
                // until the token and one more byte, or the end of the file
            }
            byte[] read = Arrays.copyOf(atPath.array(), atPath.position());
            Object key = fileKey(lockFile);
            if (!Arrays.equals(token, read) || key == null) {
                // another file is at the path now: closing its descriptor keeps our lock
                return null;
            }
            HELD_BY_THIS_PROCESS.add(key);
            keep = true;
            return new RootLock(root, locked, readBack, key);
        } finally {
            if (!keep) {
                closeQuietly(readBack);
            }
        }
    }

    private static boolean heldByThisProcess(Path lockFile) {
        Object key = fileKey(lockFile);
        return key != null && HELD_BY_THIS_PROCESS.contains(key);
    }

    /** The root whose lock this is (where it was locked; an adopter moves it while holding it). */
    Path root() {
        return root;
    }

    /** Releases the lock. */
    @Override
    public void close() {
        synchronized (RootLock.class) {
            if (closed) {
                return;
            }
            closed = true;
            closeQuietly(readBack);
            closeQuietly(locked);
            HELD_BY_THIS_PROCESS.remove(fileKey);
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

    static void closeQuietly(@Nullable Closeable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (IOException ignored) {
            // the lock goes with the process at the latest
        }
    }
}
