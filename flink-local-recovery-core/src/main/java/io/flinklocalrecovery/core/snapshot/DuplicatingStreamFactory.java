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
import org.apache.flink.runtime.state.CheckpointStreamFactory;
import org.apache.flink.runtime.state.CheckpointedStateScope;
import org.apache.flink.runtime.state.StreamStateHandle;

import java.io.IOException;
import java.util.Collection;
import java.util.List;

/**
 * The stream factory handed to the wrapped backend's snapshot: every stream it opens is the primary
 * stream, duplicated into a local file. Everything else is the primary factory's.
 */
@Internal
public final class DuplicatingStreamFactory implements CheckpointStreamFactory {

    private final CheckpointStreamFactory primary;
    private final LocalSnapshotCollector collector;

    public DuplicatingStreamFactory(
            CheckpointStreamFactory primary, LocalSnapshotCollector collector) {
        this.primary = primary;
        this.collector = collector;
    }

    @Override
    public CheckpointStateOutputStream createCheckpointStateOutputStream(
            CheckpointedStateScope scope) throws IOException {
        CheckpointStateOutputStream stream = primary.createCheckpointStateOutputStream(scope);
        LocalCopySink sink = collector.newSink();
        return sink == null ? stream : new DuplicatingCheckpointStateOutputStream(stream, sink);
    }

    @Override
    public boolean canFastDuplicate(StreamStateHandle stateHandle, CheckpointedStateScope scope)
            throws IOException {
        return primary.canFastDuplicate(stateHandle, scope);
    }

    @Override
    public List<StreamStateHandle> duplicate(
            List<StreamStateHandle> stateHandles, CheckpointedStateScope scope) throws IOException {
        return primary.duplicate(stateHandles, scope);
    }

    @Override
    public void reusePreviousStateHandle(Collection<? extends StreamStateHandle> previousHandle) {
        primary.reusePreviousStateHandle(previousHandle);
    }

    @Override
    public boolean couldReuseStateHandle(StreamStateHandle stateHandle) {
        return primary.couldReuseStateHandle(stateHandle);
    }
}
