package io.flinklocalrecovery.core.store;

import org.apache.flink.annotation.Internal;

import io.flinklocalrecovery.core.config.LocalRecoveryOptions;

import java.io.IOException;
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
 * Checks that a root directory of the store is safe to read local copies from and to delete in: a
 * real directory (not a symbolic link), owned by the user this TaskManager runs as, and accessible
 * to that user only. Another user who can write into it could plant files that a restore would read
 * or make the store delete elsewhere.
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
