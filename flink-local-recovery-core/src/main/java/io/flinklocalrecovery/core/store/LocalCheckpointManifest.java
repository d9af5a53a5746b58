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

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * What one local checkpoint of one scope holds: local files (secondary copies of primary streams)
 * and native checkpoint directories (see {@link LocalNativeCheckpoint}). The binary form starts
 * with a magic number and a format version and ends with a CRC32C of everything before it, so a
 * torn or foreign file is recognised and treated as "no local copy". No Java serialization of Flink
 * classes is involved.
 *
 * <p>Format versions: {@value #FORMAT_VERSION} holds local files only and is still written when
 * there is no native directory, so manifests of the heap backend stay readable by older releases;
 * {@value #NATIVE_FORMAT_VERSION} appends the native directories. Both are read.
 */
@Internal
public final class LocalCheckpointManifest {

    private static final Logger LOG = LoggerFactory.getLogger(LocalCheckpointManifest.class);

    /** A manifest larger than this is not read (a damaged or hostile file). */
    static final long MAX_MANIFEST_BYTES = 64L * 1024 * 1024;

    static final int MAGIC = 0x464c5231; // "FLR1"

    /** Local files only. */
    static final int FORMAT_VERSION = 1;

    /** Local files, then native checkpoint directories. */
    static final int NATIVE_FORMAT_VERSION = 2;

    /** The newest version this release reads. */
    static final int LATEST_FORMAT_VERSION = NATIVE_FORMAT_VERSION;

    private static final int MAX_ENTRIES = 1_000_000;
    private static final int MAX_NATIVE = 1_000;

    private final LocalSnapshotScope scope;
    private final long checkpointId;
    private final List<LocalFileEntry> entries;
    private final List<LocalNativeCheckpoint> nativeCheckpoints;

    public LocalCheckpointManifest(
            LocalSnapshotScope scope, long checkpointId, List<LocalFileEntry> entries) {
        this(scope, checkpointId, entries, Collections.emptyList());
    }

    public LocalCheckpointManifest(
            LocalSnapshotScope scope,
            long checkpointId,
            List<LocalFileEntry> entries,
            List<LocalNativeCheckpoint> nativeCheckpoints) {
        Preconditions.checkArgument(checkpointId >= 0, "Negative checkpoint id");
        this.scope = Preconditions.checkNotNull(scope);
        this.checkpointId = checkpointId;
        this.entries = Collections.unmodifiableList(new ArrayList<>(entries));
        this.nativeCheckpoints = Collections.unmodifiableList(new ArrayList<>(nativeCheckpoints));
        java.util.Set<String> names = new java.util.HashSet<>();
        for (LocalFileEntry entry : entries) {
            Preconditions.checkArgument(
                    names.add(entry.getFileName()),
                    "Name %s used twice in a local checkpoint",
                    entry.getFileName());
        }
        for (LocalNativeCheckpoint nativeCheckpoint : nativeCheckpoints) {
            Preconditions.checkArgument(
                    names.add(nativeCheckpoint.getDirectoryName()),
                    "Name %s used twice in a local checkpoint",
                    nativeCheckpoint.getDirectoryName());
            Preconditions.checkArgument(
                    names.add(nativeCheckpoint.getMetaData().getFileName()),
                    "Name %s used twice in a local checkpoint",
                    nativeCheckpoint.getMetaData().getFileName());
        }
    }

    public LocalSnapshotScope getScope() {
        return scope;
    }

    public long getCheckpointId() {
        return checkpointId;
    }

    public List<LocalFileEntry> getEntries() {
        return entries;
    }

    public List<LocalNativeCheckpoint> getNativeCheckpoints() {
        return nativeCheckpoints;
    }

    public long totalBytes() {
        long total = 0;
        for (LocalFileEntry entry : entries) {
            total += entry.getSize();
        }
        for (LocalNativeCheckpoint nativeCheckpoint : nativeCheckpoints) {
            total += nativeCheckpoint.totalBytes();
        }
        return total;
    }

    byte[] toBytes() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(MAGIC);
            out.writeInt(nativeCheckpoints.isEmpty() ? FORMAT_VERSION : NATIVE_FORMAT_VERSION);
            out.writeUTF(scope.getJobId());
            out.writeUTF(scope.getOperatorId());
            out.writeInt(scope.getSubtaskIndex());
            out.writeUTF(scope.getKind().name());
            out.writeLong(checkpointId);
            out.writeInt(entries.size());
            for (LocalFileEntry entry : entries) {
                writeEntry(out, entry);
            }
            if (!nativeCheckpoints.isEmpty()) {
                out.writeInt(nativeCheckpoints.size());
                for (LocalNativeCheckpoint nativeCheckpoint : nativeCheckpoints) {
                    out.writeUTF(nativeCheckpoint.getBackendId());
                    out.writeInt(nativeCheckpoint.getKeyGroupStart());
                    out.writeInt(nativeCheckpoint.getKeyGroupEnd());
                    out.writeUTF(nativeCheckpoint.getDirectoryName());
                    out.writeBoolean(nativeCheckpoint.isChecksummed());
                    writeEntry(out, nativeCheckpoint.getMetaData());
                    out.writeInt(nativeCheckpoint.getFiles().size());
                    for (LocalFileEntry file : nativeCheckpoint.getFiles()) {
                        writeEntry(out, file);
                    }
                }
            }
            out.flush();
            CRC32C crc = new CRC32C();
            crc.update(bytes.toByteArray());
            out.writeInt((int) crc.getValue());
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("In-memory serialization cannot fail", e);
        }
    }

    /**
     * Parses a manifest; throws {@link IOException} for anything that is not a complete manifest of
     * a known version with safe file names.
     */
    /**
     * Reads the manifest of a local checkpoint directory; an unreadable one means "no local copy",
     * never an error. A manifest larger than {@value #MAX_MANIFEST_BYTES} bytes (a damaged or
     * hostile file) is not read.
     */
    static Optional<LocalCheckpointManifest> read(Path checkpointDir) {
        Path file = checkpointDir.resolve(TaskLocalSnapshotStore.MANIFEST);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        try {
            long size = Files.size(file);
            if (size > MAX_MANIFEST_BYTES) {
                LOG.warn(
                        "Ignoring local checkpoint manifest {}: {} bytes, more than a manifest "
                                + "can hold ({}).",
                        file,
                        size,
                        MAX_MANIFEST_BYTES);
                return Optional.empty();
            }
            return Optional.of(fromBytes(Files.readAllBytes(file)));
        } catch (IOException e) {
            LOG.warn("Ignoring unreadable local checkpoint manifest {}: {}", file, e.getMessage());
            return Optional.empty();
        }
    }

    static LocalCheckpointManifest fromBytes(byte[] data) throws IOException {
        if (data.length < 12) {
            throw new IOException("Manifest too short: " + data.length + " bytes");
        }
        CRC32C crc = new CRC32C();
        crc.update(data, 0, data.length - 4);
        int stored = ByteBuffer.wrap(data, data.length - 4, 4).getInt();
        if ((int) crc.getValue() != stored) {
            throw new IOException("Manifest checksum mismatch");
        }
        DataInputStream in =
                new DataInputStream(new ByteArrayInputStream(data, 0, data.length - 4));
        if (in.readInt() != MAGIC) {
            throw new IOException("Not a local checkpoint manifest");
        }
        int version = in.readInt();
        if (version != FORMAT_VERSION && version != NATIVE_FORMAT_VERSION) {
            throw new IOException("Unsupported manifest format version " + version);
        }
        try {
            LocalSnapshotScope scope =
                    new LocalSnapshotScope(
                            in.readUTF(),
                            in.readUTF(),
                            in.readInt(),
                            LocalSnapshotScope.Kind.valueOf(in.readUTF()));
            long checkpointId = in.readLong();
            int count = in.readInt();
            if (count < 0 || count > MAX_ENTRIES) {
                throw new IOException("Implausible entry count " + count);
            }
            List<LocalFileEntry> entries = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                entries.add(readEntry(in));
            }
            List<LocalNativeCheckpoint> natives = new ArrayList<>();
            if (version >= NATIVE_FORMAT_VERSION) {
                int nativeCount = in.readInt();
                if (nativeCount < 1 || nativeCount > MAX_NATIVE) {
                    throw new IOException("Implausible native directory count " + nativeCount);
                }
                for (int i = 0; i < nativeCount; i++) {
                    String backendId = in.readUTF();
                    int start = in.readInt();
                    int end = in.readInt();
                    String directoryName = in.readUTF();
                    boolean checksummed = in.readBoolean();
                    LocalFileEntry metaData = readEntry(in);
                    int fileCount = in.readInt();
                    if (fileCount < 0 || fileCount > MAX_ENTRIES) {
                        throw new IOException("Implausible file count " + fileCount);
                    }
                    List<LocalFileEntry> files = new ArrayList<>(fileCount);
                    for (int f = 0; f < fileCount; f++) {
                        files.add(readEntry(in));
                    }
                    natives.add(
                            new LocalNativeCheckpoint(
                                    backendId,
                                    start,
                                    end,
                                    directoryName,
                                    metaData,
                                    files,
                                    checksummed));
                }
            }
            if (in.available() != 0) {
                throw new IOException("Trailing bytes in manifest");
            }
            return new LocalCheckpointManifest(scope, checkpointId, entries, natives);
        } catch (IllegalArgumentException e) {
            throw new IOException("Invalid manifest content: " + e.getMessage(), e);
        }
    }

    private static void writeEntry(DataOutputStream out, LocalFileEntry entry) throws IOException {
        out.writeUTF(entry.getPrimaryHandleId());
        out.writeUTF(entry.getFileName());
        out.writeLong(entry.getSize());
        out.writeInt(entry.getCrc32c());
    }

    private static LocalFileEntry readEntry(DataInputStream in) throws IOException {
        return new LocalFileEntry(in.readUTF(), in.readUTF(), in.readLong(), in.readInt());
    }

    @Override
    public String toString() {
        return "LocalCheckpointManifest{"
                + scope
                + ", checkpoint="
                + checkpointId
                + ", entries="
                + entries
                + (nativeCheckpoints.isEmpty() ? "" : ", native=" + nativeCheckpoints)
                + '}';
    }
}
