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

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Re-reads the files of a stored local checkpoint against what its manifest recorded. */
@Internal
public final class StoredCopyVerification {

    private StoredCopyVerification() {}

    /** A file that no longer matches what its manifest recorded. */
    public static final class Damage {
        public final Path file;
        public final String problem;

        Damage(Path file, String problem) {
            this.file = file;
            this.problem = problem;
        }

        @Override
        public String toString() {
            return file + ": " + problem;
        }
    }

    /** Told of every file read, with its size. */
    public interface Progress {
        void read(long bytes);
    }

    /**
     * Reads every file of a complete checkpoint against its recorded size and CRC32C (a RocksDB
     * directory recorded without checksums: its sizes only).
     */
    public static List<Damage> verify(
            StoreInspection.StoredCheckpoint checkpoint, Progress progress) {
        List<Damage> damages = new ArrayList<>();
        if (checkpoint.manifest == null) {
            return damages;
        }
        for (LocalFileEntry entry : checkpoint.manifest.getEntries()) {
            check(
                    checkpoint.directory.resolve(entry.getFileName()),
                    entry,
                    true,
                    damages,
                    progress);
        }
        for (LocalNativeCheckpoint nativeCheckpoint : checkpoint.manifest.getNativeCheckpoints()) {
            boolean crc = nativeCheckpoint.isChecksummed();
            check(
                    checkpoint.directory.resolve(nativeCheckpoint.getMetaData().getFileName()),
                    nativeCheckpoint.getMetaData(),
                    crc,
                    damages,
                    progress);
            Path dir = checkpoint.directory.resolve(nativeCheckpoint.getDirectoryName());
            for (LocalFileEntry file : nativeCheckpoint.getFiles()) {
                check(dir.resolve(file.getFileName()), file, crc, damages, progress);
            }
        }
        return damages;
    }

    private static void check(
            Path file,
            LocalFileEntry entry,
            boolean checksum,
            List<Damage> damages,
            Progress progress) {
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                damages.add(new Damage(file, "missing"));
                return;
            }
            long size = Files.size(file);
            if (size != entry.getSize()) {
                damages.add(
                        new Damage(
                                file, size + " bytes instead of the recorded " + entry.getSize()));
            } else if (checksum) {
                int crc = FileChecksums.crc32c(file, entry.getSize());
                if (crc != entry.getCrc32c()) {
                    damages.add(
                            new Damage(
                                    file,
                                    String.format(
                                            "CRC32C %08x instead of the recorded %08x",
                                            crc, entry.getCrc32c())));
                }
            }
            progress.read(size);
        } catch (IOException e) {
            damages.add(new Damage(file, "unreadable (" + e.getMessage() + ")"));
        }
    }
}
