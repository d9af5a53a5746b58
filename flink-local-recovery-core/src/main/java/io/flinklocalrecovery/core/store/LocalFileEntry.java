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
import org.apache.flink.util.Preconditions;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One local file of a local checkpoint: the secondary copy of the primary stream handle whose id it
 * records, with the size and CRC32C it had when written.
 */
@Internal
public final class LocalFileEntry {

    private static final Pattern SAFE_FILE_NAME =
            Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private final String primaryHandleId;
    private final String fileName;
    private final long size;
    private final int crc32c;

    public LocalFileEntry(String primaryHandleId, String fileName, long size, int crc32c) {
        Preconditions.checkArgument(
                !primaryHandleId.isEmpty(), "The primary handle id must not be empty");
        Preconditions.checkArgument(
                isSafeFileName(fileName), "Unsafe local file name in a manifest: %s", fileName);
        Preconditions.checkArgument(size >= 0, "Negative size %s", size);
        this.primaryHandleId = primaryHandleId;
        this.fileName = fileName;
        this.size = size;
        this.crc32c = crc32c;
    }

    /** A plain name inside the checkpoint directory: no separators, no "..", no hidden file. */
    static boolean isSafeFileName(String fileName) {
        return SAFE_FILE_NAME.matcher(fileName).matches() && !fileName.contains("..");
    }

    public String getPrimaryHandleId() {
        return primaryHandleId;
    }

    public String getFileName() {
        return fileName;
    }

    public long getSize() {
        return size;
    }

    public int getCrc32c() {
        return crc32c;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof LocalFileEntry)) {
            return false;
        }
        LocalFileEntry that = (LocalFileEntry) o;
        return size == that.size
                && crc32c == that.crc32c
                && primaryHandleId.equals(that.primaryHandleId)
                && fileName.equals(that.fileName);
    }

    @Override
    public int hashCode() {
        return Objects.hash(primaryHandleId, fileName, size, crc32c);
    }

    @Override
    public String toString() {
        return String.format(
                "LocalFileEntry{primary=%s, file=%s, size=%d, crc32c=%08x}",
                primaryHandleId, fileName, size, crc32c);
    }
}
