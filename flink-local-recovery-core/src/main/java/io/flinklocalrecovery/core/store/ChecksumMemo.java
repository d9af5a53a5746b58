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
import org.apache.flink.util.Preconditions;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;
import javax.annotation.concurrent.GuardedBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * CRC32C checksums that this TaskManager process computed by reading local files, each good for one
 * restore that then need not read the file again.
 *
 * <p>A file is known by its identity (device and inode, so every hard link of it), its size and its
 * last modification time. Any write to the file, a truncation or a replacement changes one of them
 * and the memo misses. Using a checksum consumes it: the next restore from the same file reads it
 * in full (and, when it matches, makes it good for one more restore), unless the file was read
 * again in between (the RocksDB side re-reads, in the background, the files of its next local
 * checkpoint whose checksum a restore used). The memo is held in memory only, so the first restore
 * after a TaskManager restart reads every file.
 *
 * <p>What the memo cannot see is damage that leaves all three unchanged (a disk returning wrong
 * bytes without an error). It is therefore only meant for files that carry their own checksums
 * checked on every read, like RocksDB's SST files: such damage then fails the restored task, and
 * the restore that follows reads the files, finds the damaged one and takes it from the primary.
 */
@Internal
public final class ChecksumMemo {

    private static final Logger LOG = LoggerFactory.getLogger(ChecksumMemo.class);

    private final int capacity;

    @GuardedBy("this")
    private final Map<Object, Known> known;

    /**
     * @param capacity the most files remembered; the oldest entries are forgotten first
     */
    public ChecksumMemo(int capacity) {
        Preconditions.checkArgument(capacity > 0, "capacity must be positive");
        this.capacity = capacity;
        this.known =
                new LinkedHashMap<Object, Known>() {
                    private static final long serialVersionUID = 1L;

                    @Override
                    protected boolean removeEldestEntry(Map.Entry<Object, Known> eldest) {
                        return size() > ChecksumMemo.this.capacity;
                    }
                };
    }

    /**
     * Remembers the checksum of a file that was just read in full. Does nothing if the file has not
     * the given size any more or its identity cannot be determined.
     */
    public void remember(Path file, long size, int crc32c) {
        BasicFileAttributes attributes = attributes(file);
        if (attributes == null || attributes.fileKey() == null || attributes.size() != size) {
            return;
        }
        Known entry = new Known(size, attributes.lastModifiedTime(), crc32c);
        synchronized (this) {
            known.remove(attributes.fileKey());
            known.put(attributes.fileKey(), entry);
        }
    }

    /**
     * Whether this process read the file with exactly this size and checksum and it has not changed
     * since. A true answer consumes the entry.
     */
    public boolean consume(Path file, long size, int crc32c) {
        return lookUp(file, size, crc32c, true);
    }

    /** Like {@link #consume} but keeps the entry. */
    public boolean contains(Path file, long size, int crc32c) {
        return lookUp(file, size, crc32c, false);
    }

    private boolean lookUp(Path file, long size, int crc32c, boolean consume) {
        BasicFileAttributes attributes = attributes(file);
        if (attributes == null || attributes.fileKey() == null) {
            return false;
        }
        Known entry;
        synchronized (this) {
            entry = consume ? known.remove(attributes.fileKey()) : known.get(attributes.fileKey());
        }
        return entry != null
                && entry.size == size
                && attributes.size() == size
                && entry.crc32c == crc32c
                && entry.lastModified.equals(attributes.lastModifiedTime());
    }

    /** Files remembered. */
    @VisibleForTesting
    public synchronized int size() {
        return known.size();
    }

    @Nullable
    private static BasicFileAttributes attributes(Path file) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("Cannot read the attributes of {} ({}).", file, e.toString());
            return null;
        }
    }

    private static final class Known {
        final long size;
        final FileTime lastModified;
        final int crc32c;

        Known(long size, FileTime lastModified, int crc32c) {
            this.size = size;
            this.lastModified = Objects.requireNonNull(lastModified);
            this.crc32c = crc32c;
        }
    }
}
