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
package io.flinklocalrecovery.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Measures the local copies on disk by walking their directory: the bytes held (each file once,
 * however many hard links it has) and the bytes that appeared since the previous sample (growth of
 * files already seen counts too). Files with more than one link are RocksDB files hard-linked from
 * the live database: they hold no extra disk space and were not written a second time.
 */
final class LocalDiskMeter {

    private final Path root;
    private final Map<Object, Long> seenSizes = new HashMap<>();

    long heldBytes;
    long heldHardLinkedBytes;

    LocalDiskMeter(Path root) {
        this.root = root;
    }

    /** Walks the directory; returns {new bytes, of which in hard-linked files}. */
    long[] sample() {
        long held = 0;
        long hardLinked = 0;
        long newBytes = 0;
        long newHardLinked = 0;
        Map<Object, Boolean> counted = new HashMap<>();
        if (Files.isDirectory(root)) {
            try (Stream<Path> paths = Files.walk(root)) {
                for (Path path : (Iterable<Path>) paths::iterator) {
                    BasicFileAttributes attributes;
                    int links;
                    try {
                        attributes = Files.readAttributes(path, BasicFileAttributes.class);
                        if (!attributes.isRegularFile()) {
                            continue;
                        }
                        Object nlink = Files.getAttribute(path, "unix:nlink");
                        links = nlink instanceof Number ? ((Number) nlink).intValue() : 1;
                    } catch (IOException | UnsupportedOperationException e) {
                        continue; // deleted while walking
                    }
                    Object key = attributes.fileKey() != null ? attributes.fileKey() : path;
                    if (counted.put(key, Boolean.TRUE) != null) {
                        continue;
                    }
                    long size = attributes.size();
                    held += size;
                    if (links > 1) {
                        hardLinked += size;
                    }
                    Long before = seenSizes.put(key, size);
                    long grown = size - (before == null ? 0 : before);
                    if (grown > 0) {
                        newBytes += grown;
                        if (links > 1) {
                            newHardLinked += grown;
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                // a directory vanished while walking (pruning): the next sample sees the rest
            }
        }
        seenSizes.keySet().retainAll(counted.keySet());
        heldBytes = held;
        heldHardLinkedBytes = hardLinked;
        return new long[] {newBytes, newHardLinked};
    }
}
