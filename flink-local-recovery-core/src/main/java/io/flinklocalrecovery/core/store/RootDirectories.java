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

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.EnumSet;
import java.util.Set;

/**
 * The store's root directories: created owner-only, locked against a second user of the same root,
 * and checked to be safe to read local copies from and to delete in: a real directory (not a
 * symbolic link), owned by the user this TaskManager runs as, and accessible to that user only.
 * Another user who can write into it could plant files that a restore would read or make the store
 * delete elsewhere.
 */
@Internal
final class RootDirectories {

    private static final Set<PosixFilePermission> OTHERS =
            EnumSet.of(
                    PosixFilePermission.GROUP_READ,
                    PosixFilePermission.GROUP_WRITE,
                    PosixFilePermission.GROUP_EXECUTE,
                    PosixFilePermission.OTHERS_READ,
                    PosixFilePermission.OTHERS_WRITE,
                    PosixFilePermission.OTHERS_EXECUTE);

    private RootDirectories() {}

    /**
     * @throws IOException naming the directory, what is wrong, the key and the fix
     */
    static void checkSafe(Path root) throws IOException {
        if (Files.isSymbolicLink(root)) {
            throw unsafe(root, "is a symbolic link", "replace the link by a real directory");
        }
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            throw unsafe(root, "is not a directory", "remove it");
        }
        PosixFileAttributeView posix =
                Files.getFileAttributeView(
                        root, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        if (posix == null) {
            return; // no owners and modes to check on this file system
        }
        PosixFileAttributes attributes = posix.readAttributes();
        UserPrincipal self = currentUser(root);
        if (!attributes.owner().equals(self)) {
            throw unsafe(
                    root,
                    "belongs to " + attributes.owner().getName() + ", not to " + self.getName(),
                    "remove it, or chown it to " + self.getName());
        }
        Set<PosixFilePermission> granted = EnumSet.copyOf(attributes.permissions());
        granted.retainAll(OTHERS);
        if (!granted.isEmpty()) {
            throw unsafe(
                    root,
                    "is accessible to other users ("
                            + PosixFilePermissions.toString(attributes.permissions())
                            + ")",
                    "chmod 700 " + root);
        }
    }

    /**
     * Takes the OS file lock on the root's lock file, held while the returned channel is open: a
     * second process (or store) on the same root fails here, so two never prune each other's files
     * ({@link RootLock#lockOwn}).
     */
    static RootLock lock(Path root) throws IOException {
        return RootLock.lockOwn(root);
    }

    static void createOwnerOnly(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path parent = dir.getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            createOwnerOnly(parent);
        }
        try {
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createDirectory(
                        dir,
                        PosixFilePermissions.asFileAttribute(
                                PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectory(dir);
            }
        } catch (java.nio.file.FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw e;
            }
        }
    }

    /** The owner of a file this process creates: the user it runs as. */
    private static UserPrincipal currentUser(Path root) throws IOException {
        Path probe = Files.createTempFile(root, ".owner-probe", null);
        try {
            return Files.getOwner(probe, LinkOption.NOFOLLOW_LINKS);
        } finally {
            Files.deleteIfExists(probe);
        }
    }

    private static IOException unsafe(Path root, String problem, String fix) {
        return new IOException(
                String.format(
                        "The local recovery directory %s %s, so it is not used (local copies are"
                                + " read from it and deleted in it). Fix: %s, or point '%s' at a"
                                + " directory of this user's own.",
                        root, problem, fix, LocalRecoveryOptions.LOCAL_DIRECTORIES.key()));
    }
}
