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

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Writes the binary manifest layout by hand (magic, version, scope, checkpoint id, entries,
 * trailing CRC32C), so that tests can craft manifests the production code would never build.
 */
final class ManifestBytes {

    private int magic = LocalCheckpointManifest.MAGIC;
    private int version = LocalCheckpointManifest.FORMAT_VERSION;
    private final String jobId;
    private final String operatorId;
    private final int subtaskIndex;
    private String kind;
    private final long checkpointId;
    private final List<Object[]> entries = new ArrayList<>();
    private byte[] trailing = new byte[0];

    ManifestBytes(LocalSnapshotScope scope, long checkpointId) {
        this.jobId = scope.getJobId();
        this.operatorId = scope.getOperatorId();
        this.subtaskIndex = scope.getSubtaskIndex();
        this.kind = scope.getKind().name();
        this.checkpointId = checkpointId;
    }

    ManifestBytes magic(int magic) {
        this.magic = magic;
        return this;
    }

    ManifestBytes version(int version) {
        this.version = version;
        return this;
    }

    ManifestBytes kind(String kind) {
        this.kind = kind;
        return this;
    }

    ManifestBytes entry(String primaryHandleId, String fileName, long size, int crc32c) {
        entries.add(new Object[] {primaryHandleId, fileName, size, crc32c});
        return this;
    }

    ManifestBytes trailing(byte[] trailing) {
        this.trailing = trailing;
        return this;
    }

    /** The manifest with a correct checksum over whatever was configured. */
    byte[] build() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(magic);
        out.writeInt(version);
        out.writeUTF(jobId);
        out.writeUTF(operatorId);
        out.writeInt(subtaskIndex);
        out.writeUTF(kind);
        out.writeLong(checkpointId);
        out.writeInt(entries.size());
        for (Object[] entry : entries) {
            out.writeUTF((String) entry[0]);
            out.writeUTF((String) entry[1]);
            out.writeLong((Long) entry[2]);
            out.writeInt((Integer) entry[3]);
        }
        out.write(trailing);
        out.flush();
        CRC32C crc = new CRC32C();
        crc.update(bytes.toByteArray());
        out.writeInt((int) crc.getValue());
        out.flush();
        return bytes.toByteArray();
    }
}
