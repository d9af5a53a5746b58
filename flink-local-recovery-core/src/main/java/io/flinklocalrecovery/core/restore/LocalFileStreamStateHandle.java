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
package io.flinklocalrecovery.core.restore;

import org.apache.flink.annotation.Internal;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.runtime.state.PhysicalStateHandleID;

import io.flinklocalrecovery.core.flinkline.FlinkLineLocalFileHandle;

import java.io.File;
import java.io.IOException;
import java.util.Optional;

/**
 * A verified local file standing in for a primary stream handle during one restore. It is never
 * sent to the JobManager, and discarding it does nothing: the local store owns the file.
 */
@Internal
public final class LocalFileStreamStateHandle extends FlinkLineLocalFileHandle {

    private static final long serialVersionUID = 1L;

    private final String path;
    private final long size;

    public LocalFileStreamStateHandle(java.nio.file.Path path, long size) {
        this.path = path.toString();
        this.size = size;
    }

    @Override
    public FSDataInputStream openInputStream() throws IOException {
        return new BufferedLocalFileInputStream(
                java.nio.file.Paths.get(path), BufferedLocalFileInputStream.DEFAULT_BUFFER_SIZE);
    }

    @Override
    public Optional<byte[]> asBytesIfInMemory() {
        return Optional.empty();
    }

    @Override
    public org.apache.flink.core.fs.Path filePath() {
        return new org.apache.flink.core.fs.Path(new File(path).toURI());
    }

    @Override
    public PhysicalStateHandleID getStreamStateHandleID() {
        return new PhysicalStateHandleID(path);
    }

    @Override
    public void discardState() {
        // owned by the task-local store
    }

    @Override
    public long getStateSize() {
        return size;
    }

    @Override
    public void collectSizeStats(StateObjectSizeStatsCollector collector) {
        collector.add(StateObjectLocation.LOCAL_DISK, size);
    }

    @Override
    public String toString() {
        return "LocalFileStreamStateHandle{" + path + ", " + size + " bytes}";
    }
}
