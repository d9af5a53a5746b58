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
package io.flinklocalrecovery.rocksdb;

import org.apache.flink.core.fs.CloseableRegistry;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.runtime.state.IncrementalKeyedStateHandle.HandleAndLocalPath;
import org.apache.flink.runtime.state.StreamStateHandle;
import org.apache.flink.util.IOUtils;

import io.flinklocalrecovery.core.store.TaskLocalSnapshotStore;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A restore directory assembled next to a stored local RocksDB checkpoint, for the restores that
 * must not use the stored directory itself: a mixed restore (some files failed verification: the
 * others are used, the failed ones downloaded from the checkpoint storage) and a restore that
 * merges several RocksDB handles (a rescaling: Flink opens temporary RocksDB instances directly in
 * each handle's directory, which writes new MANIFEST, OPTIONS and log files and deletes obsolete
 * ones). SST files, immutable, are hard-linked (copied where links are impossible); the other files
 * (MANIFEST, CURRENT, OPTIONS: small, and RocksDB may rewrite them) are copied. The stored
 * checkpoint is never opened for writing or modified.
 */
final class AssembledRestoreDirectory {

    private AssembledRestoreDirectory() {}

    /** Links or copies of the verified files, downloads from the primary for the others. */
    static void assemble(
            Path source,
            Path target,
            List<HandleAndLocalPath> verified,
            List<HandleAndLocalPath> missing,
            CloseableRegistry cancelRegistry)
            throws IOException {
        TaskLocalSnapshotStore.createOwnerOnlyDirectories(target);
        for (HandleAndLocalPath file : verified) {
            Path from = source.resolve(file.getLocalPath());
            Path to = target.resolve(file.getLocalPath());
            if (!file.getLocalPath().endsWith(NativeCheckpointRecorder.SST_SUFFIX)) {
                Files.copy(from, to);
                continue;
            }
            try {
                Files.createLink(to, from);
            } catch (IOException | UnsupportedOperationException e) {
                Files.copy(from, to);
            }
        }
        for (HandleAndLocalPath file : missing) {
            download(file.getHandle(), target.resolve(file.getLocalPath()), cancelRegistry);
        }
    }

    private static void download(
            StreamStateHandle handle, Path to, CloseableRegistry cancelRegistry)
            throws IOException {
        FSDataInputStream in = handle.openInputStream();
        cancelRegistry.registerCloseable(in);
        try (OutputStream out = Files.newOutputStream(to)) {
            IOUtils.copyBytes(in, out, false);
        } finally {
            if (cancelRegistry.unregisterCloseable(in)) {
                IOUtils.closeQuietly(in);
            }
        }
    }
}
