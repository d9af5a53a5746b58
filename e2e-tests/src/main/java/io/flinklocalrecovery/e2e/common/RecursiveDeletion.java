package io.flinklocalrecovery.e2e.common;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Best-effort deletion of a directory tree, for the demos' and the benchmark's work directories.
 */
public final class RecursiveDeletion {

    private RecursiveDeletion() {}

    /**
     * Deletes {@code dir} (null or absent: nothing to do) with all it holds, ignoring errors.
     *
     * @return whether {@code dir} is gone
     */
    public static boolean deleteQuietly(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return true;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(
                            p -> {
                                try {
                                    Files.deleteIfExists(p);
                                } catch (IOException e) {
                                    // the caller sees that the directory remains
                                }
                            });
        } catch (IOException e) {
            // the caller sees that the directory remains
        }
        return !Files.exists(dir);
    }
}
