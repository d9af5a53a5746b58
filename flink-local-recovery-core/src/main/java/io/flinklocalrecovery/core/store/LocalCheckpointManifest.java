package io.flinklocalrecovery.core.store;

import org.apache.flink.util.Preconditions;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * What one local checkpoint of one scope holds. The binary form starts with a magic number and a
 * format version and ends with a CRC32C of everything before it, so a torn or foreign file is
 * recognised and treated as "no local copy". No Java serialization of Flink classes is involved.
 */
public final class LocalCheckpointManifest {

    static final int MAGIC = 0x464c5231; // "FLR1"
    static final int FORMAT_VERSION = 1;
    private static final int MAX_ENTRIES = 1_000_000;

    private final LocalSnapshotScope scope;
    private final long checkpointId;
    private final List<LocalFileEntry> entries;

    public LocalCheckpointManifest(
            LocalSnapshotScope scope, long checkpointId, List<LocalFileEntry> entries) {
        Preconditions.checkArgument(checkpointId >= 0, "Negative checkpoint id");
        this.scope = Preconditions.checkNotNull(scope);
        this.checkpointId = checkpointId;
        this.entries = Collections.unmodifiableList(new ArrayList<>(entries));
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

    public long totalBytes() {
        long total = 0;
        for (LocalFileEntry entry : entries) {
            total += entry.getSize();
        }
        return total;
    }

    byte[] toBytes() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(MAGIC);
            out.writeInt(FORMAT_VERSION);
            out.writeUTF(scope.getJobId());
            out.writeUTF(scope.getOperatorId());
            out.writeInt(scope.getSubtaskIndex());
            out.writeUTF(scope.getKind().name());
            out.writeLong(checkpointId);
            out.writeInt(entries.size());
            for (LocalFileEntry entry : entries) {
                out.writeUTF(entry.getPrimaryHandleId());
                out.writeUTF(entry.getFileName());
                out.writeLong(entry.getSize());
                out.writeInt(entry.getCrc32c());
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
        if (version != FORMAT_VERSION) {
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
                entries.add(
                        new LocalFileEntry(
                                in.readUTF(), in.readUTF(), in.readLong(), in.readInt()));
            }
            if (in.available() != 0) {
                throw new IOException("Trailing bytes in manifest");
            }
            return new LocalCheckpointManifest(scope, checkpointId, entries);
        } catch (IllegalArgumentException e) {
            throw new IOException("Invalid manifest content: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "LocalCheckpointManifest{"
                + scope
                + ", checkpoint="
                + checkpointId
                + ", entries="
                + entries
                + '}';
    }
}
