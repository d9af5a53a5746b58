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
import org.apache.flink.runtime.state.CheckpointStateOutputStream;
import org.apache.flink.runtime.state.StreamStateHandle;

import javax.annotation.Nullable;

import java.io.IOException;

/**
 * Writes every byte to the primary checkpoint stream and hands a copy to a {@link LocalCopySink}.
 * The primary stream decides everything: its positions, its handle, its exceptions. Nothing the
 * local copy does can fail, block or delay this stream.
 */
@Internal
final class DuplicatingCheckpointStateOutputStream extends CheckpointStateOutputStream {

    private final CheckpointStateOutputStream primary;
    private final LocalCopySink local;

    DuplicatingCheckpointStateOutputStream(CheckpointStateOutputStream primary, LocalCopySink local)
            throws IOException {
        this.primary = primary;
        this.local = local;
        if (primary.getPos() != 0) {
            // offsets recorded by the backend would not match a local file starting at zero
            local.abandon(null, "The primary stream does not start at position 0", null);
        }
    }

    @Override
    public void write(int b) throws IOException {
        primary.write(b);
        local.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        primary.write(b, off, len);
        local.write(b, off, len);
    }

    @Override
    public long getPos() throws IOException {
        return primary.getPos();
    }

    @Override
    public void flush() throws IOException {
        primary.flush();
    }

    @Override
    public void sync() throws IOException {
        primary.sync();
    }

    @Nullable
    @Override
    public StreamStateHandle closeAndGetHandle() throws IOException {
        final StreamStateHandle handle;
        try {
            handle = primary.closeAndGetHandle();
        } catch (Throwable t) {
            local.abandon(null, "The primary stream failed", t);
            throw t;
        }
        if (handle == null) {
            local.abandon(null, "The primary stream produced no handle", null);
        } else {
            local.finish(handle);
        }
        return handle;
    }

    @Override
    public void close() throws IOException {
        try {
            primary.close();
        } finally {
            local.abandon(null, "The primary stream was closed without a handle", null);
        }
    }
}
