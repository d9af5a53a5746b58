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

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A backend's native checkpoint directory kept as a local copy (RocksDB: the hard-linked native
 * checkpoint), described without any Flink class: which backend and key groups it belongs to, its
 * metadata file (a plain local file of the checkpoint directory) and every file inside the
 * directory, each recorded against the id of the primary handle it corresponds to.
 *
 * <p>The checkpoint id is the one of the manifest that holds this record.
 */
@Internal
public final class LocalNativeCheckpoint {

    private static final Pattern SAFE_BACKEND_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

    private final String backendId;
    private final int keyGroupStart;
    private final int keyGroupEnd;
    private final String directoryName;
    private final LocalFileEntry metaData;
    private final List<LocalFileEntry> files;
    private final boolean checksummed;

    /**
     * @param directoryName a plain name of a sub-directory of the local checkpoint directory
     * @param metaData the metadata file, a plain file of the local checkpoint directory
     * @param files the files of the sub-directory
     * @param checksummed whether the CRC32Cs of the entries were computed (else they are 0)
     */
    public LocalNativeCheckpoint(
            String backendId,
            int keyGroupStart,
            int keyGroupEnd,
            String directoryName,
            LocalFileEntry metaData,
            List<LocalFileEntry> files,
            boolean checksummed) {
        Preconditions.checkArgument(
                SAFE_BACKEND_ID.matcher(backendId).matches(), "Unsafe backend id %s", backendId);
        Preconditions.checkArgument(
                LocalFileEntry.isSafeFileName(directoryName),
                "Unsafe native checkpoint directory name in a manifest: %s",
                directoryName);
        Preconditions.checkArgument(
                keyGroupStart >= 0 && keyGroupEnd >= keyGroupStart - 1,
                "Invalid key-group range [%s, %s]",
                keyGroupStart,
                keyGroupEnd);
        Preconditions.checkArgument(
                !metaData.getFileName().equals(directoryName),
                "The metadata file and the native directory share the name %s",
                directoryName);
        this.backendId = backendId;
        this.keyGroupStart = keyGroupStart;
        this.keyGroupEnd = keyGroupEnd;
        this.directoryName = directoryName;
        this.metaData = Preconditions.checkNotNull(metaData);
        this.files = Collections.unmodifiableList(new ArrayList<>(files));
        this.checksummed = checksummed;
        java.util.Set<String> names = new java.util.HashSet<>();
        for (LocalFileEntry file : files) {
            Preconditions.checkArgument(
                    names.add(file.getFileName()),
                    "File name %s listed twice in the native checkpoint directory %s",
                    file.getFileName(),
                    directoryName);
        }
    }

    /** The key under which the store indexes native checkpoints. */
    public static String indexKey(String backendId, long checkpointId) {
        return backendId + "@" + checkpointId;
    }

    public String getBackendId() {
        return backendId;
    }

    public int getKeyGroupStart() {
        return keyGroupStart;
    }

    public int getKeyGroupEnd() {
        return keyGroupEnd;
    }

    public String getDirectoryName() {
        return directoryName;
    }

    public LocalFileEntry getMetaData() {
        return metaData;
    }

    public List<LocalFileEntry> getFiles() {
        return files;
    }

    public boolean isChecksummed() {
        return checksummed;
    }

    /** Bytes of the files as recorded; hard-linked files shared with other checkpoints count. */
    public long totalBytes() {
        long total = metaData.getSize();
        for (LocalFileEntry file : files) {
            total += file.getSize();
        }
        return total;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof LocalNativeCheckpoint)) {
            return false;
        }
        LocalNativeCheckpoint that = (LocalNativeCheckpoint) o;
        return keyGroupStart == that.keyGroupStart
                && keyGroupEnd == that.keyGroupEnd
                && checksummed == that.checksummed
                && backendId.equals(that.backendId)
                && directoryName.equals(that.directoryName)
                && metaData.equals(that.metaData)
                && files.equals(that.files);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                backendId, keyGroupStart, keyGroupEnd, directoryName, metaData, files, checksummed);
    }

    @Override
    public String toString() {
        return "LocalNativeCheckpoint{backend="
                + backendId
                + ", keyGroups=["
                + keyGroupStart
                + ", "
                + keyGroupEnd
                + "], dir="
                + directoryName
                + ", files="
                + files.size()
                + ", checksummed="
                + checksummed
                + '}';
    }
}
