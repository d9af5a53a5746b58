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
