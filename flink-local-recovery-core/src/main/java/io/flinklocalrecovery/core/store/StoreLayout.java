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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * The layout version of a root's contents, recorded in a small marker file ({@value #MARKER}) in
 * the root, so that what an earlier (or later) version of the store left in a directory with
 * another layout is recognised and collected at start instead of lying there unread for ever.
 *
 * <p>A root without a marker was written by this layout (it predates the marker) or is new; a
 * marker of another version, or one that cannot be read, means the root's entries are collected
 * (the primary copies are the ground truth: a local copy nobody can read is only a cost).
 */
@Internal
final class StoreLayout {

    /** The layout {@code <root>/job_<job>/op_<operator>_st_<subtask>_<kind>/chk_<id>/}. */
    static final int CURRENT = 1;

    static final String MARKER = "_LAYOUT";

    private static final String PREFIX = "flink-local-recovery store layout ";

    private StoreLayout() {}

    /**
     * The layout a root's marker names; empty when there is no marker; -1 when the marker cannot be
     * read (it is not the store's or is damaged).
     */
    static OptionalInt read(Path root) {
        Path marker = root.resolve(MARKER);
        if (!Files.exists(marker, LinkOption.NOFOLLOW_LINKS)) {
            return OptionalInt.empty();
        }
        try {
            if (!Files.isRegularFile(marker, LinkOption.NOFOLLOW_LINKS)
                    || Files.size(marker) > 256) {
                return OptionalInt.of(-1);
            }
            String text = new String(Files.readAllBytes(marker), StandardCharsets.UTF_8).trim();
            if (!text.startsWith(PREFIX)) {
                return OptionalInt.of(-1);
            }
            return OptionalInt.of(Integer.parseInt(text.substring(PREFIX.length()).trim()));
        } catch (IOException | NumberFormatException e) {
            return OptionalInt.of(-1);
        }
    }

    /** Whether what the root holds is of the current layout (or it has no marker yet). */
    static boolean isCurrent(Path root) {
        OptionalInt layout = read(root);
        return !layout.isPresent() || layout.getAsInt() == CURRENT;
    }

    /** Records the current layout in the root (atomically, fsynced). */
    static void write(Path root) throws IOException {
        write(root, CURRENT);
    }

    @VisibleForTesting
    static void write(Path root, int layout) throws IOException {
        AtomicFiles.write(
                root.resolve(MARKER), (PREFIX + layout + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Whether a root-level entry is the marker or a temporary file of one being written. */
    static boolean isMarker(String fileName) {
        return fileName.equals(MARKER)
                || (fileName.startsWith(MARKER + ".")
                        && fileName.endsWith(AtomicFiles.TEMP_SUFFIX));
    }
}
