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
package io.flinklocalrecovery.core.snapshot;

import org.apache.flink.annotation.Internal;

import io.flinklocalrecovery.core.store.LocalDiskSync;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Opens local files for writing; tests substitute one that fails like a full or broken disk. */
@Internal
@FunctionalInterface
public interface LocalFileOutputFactory {

    /**
     * New files whose content reaches the disk when they are closed (fsync): the manifest that
     * lists a file is written after it, so after a power loss a listed file has its content, not
     * just its size (which is all a restore checks when checksums are off). Local files are written
     * and closed by the background writers, never on a task's thread.
     */
    LocalFileOutputFactory DEFAULT =
            file -> {
                FileChannel channel =
                        FileChannel.open(
                                file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                return new FilterOutputStream(Channels.newOutputStream(channel)) {
                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        out.write(b, off, len);
                    }

                    @Override
                    public void close() throws IOException {
                        try (FileChannel toClose = channel) {
                            out.flush();
                            LocalDiskSync.force(toClose, file, false);
                        }
                    }
                };
            };

    OutputStream open(Path file) throws IOException;
}
