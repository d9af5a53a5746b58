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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A section of {@code docs/benchmarks.md} that one benchmark writes between two markers of its own
 * and the others keep as it is when they rewrite the page.
 */
final class MarkedSection {

    final String begin;
    final String end;

    MarkedSection(String name) {
        this.begin = "<!-- " + name + ":begin -->";
        this.end = "<!-- " + name + ":end -->";
    }

    /** The section of the page at {@code page}, markers included, or "" if it has none. */
    String keptFrom(Path page) throws IOException {
        if (!Files.exists(page)) {
            return "";
        }
        String text = Files.readString(page, StandardCharsets.UTF_8);
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        return from < 0 || to < from ? "" : "\n" + text.substring(from, to + end.length()) + "\n";
    }

    /** Replaces the section in the page (or appends it). */
    void writeInto(Path page, String section) throws IOException {
        String text = Files.exists(page) ? Files.readString(page, StandardCharsets.UTF_8) : "";
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        String updated =
                from >= 0 && to > from
                        ? text.substring(0, from) + section + text.substring(to + end.length())
                        : text + "\n" + section + "\n";
        Files.writeString(page, updated, StandardCharsets.UTF_8);
    }
}
