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

import java.util.Locale;

/** Byte counts as the report shows them (B, KB, MB, GB; binary units). */
final class ByteSize {

    private static final long MB = 1024L * 1024L;

    private ByteSize() {}

    static String format(long bytes) {
        if (bytes < 0) {
            return "n/a";
        }
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < MB) {
            return String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0);
        }
        if (bytes < 1024 * MB) {
            return String.format(Locale.ROOT, "%.1f MB", bytes / (double) MB);
        }
        return String.format(Locale.ROOT, "%.2f GB", bytes / (double) (1024 * MB));
    }
}
