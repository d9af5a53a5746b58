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
package io.flinklocalrecovery.core.backend;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.runtime.checkpoint.CheckpointOptions;
import org.apache.flink.runtime.state.CheckpointStreamFactory;
import org.apache.flink.runtime.state.OperatorStateBackend;
import org.apache.flink.runtime.state.OperatorStateHandle;
import org.apache.flink.runtime.state.SnapshotResult;

import io.flinklocalrecovery.core.flinkline.FlinkLineOperatorStateBackend;

import javax.annotation.Nonnull;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.RunnableFuture;

/**
 * The operator state backend of the plugin (list, union list and broadcast state): the wrapped
 * backend does all the work; checkpoint streams are duplicated into local copies, which Flink's
 * built-in local recovery does not keep for operator state at all.
 */
@Internal
public final class LocalRecoveryOperatorStateBackend extends FlinkLineOperatorStateBackend {

    private final OperatorStateBackend delegate;
    private final LocalSnapshotting snapshotting;

    LocalRecoveryOperatorStateBackend(
            OperatorStateBackend delegate, LocalSnapshotting snapshotting) {
        super(delegate);
        this.delegate = delegate;
        this.snapshotting = snapshotting;
    }

    public OperatorStateBackend getDelegate() {
        return delegate;
    }

    @Nonnull
    @Override
    public RunnableFuture<SnapshotResult<OperatorStateHandle>> snapshot(
            long checkpointId,
            long timestamp,
            @Nonnull CheckpointStreamFactory streamFactory,
            @Nonnull CheckpointOptions checkpointOptions)
            throws Exception {
        return snapshotting.snapshot(
                checkpointId,
                streamFactory,
                checkpointOptions,
                factory -> delegate.snapshot(checkpointId, timestamp, factory, checkpointOptions));
    }

    @Override
    public <K, V> BroadcastState<K, V> getBroadcastState(MapStateDescriptor<K, V> stateDescriptor)
            throws Exception {
        return delegate.getBroadcastState(stateDescriptor);
    }

    @Override
    public <S> ListState<S> getListState(ListStateDescriptor<S> stateDescriptor) throws Exception {
        return delegate.getListState(stateDescriptor);
    }

    @Override
    public <S> ListState<S> getUnionListState(ListStateDescriptor<S> stateDescriptor)
            throws Exception {
        return delegate.getUnionListState(stateDescriptor);
    }

    @Override
    public Set<String> getRegisteredStateNames() {
        return delegate.getRegisteredStateNames();
    }

    @Override
    public Set<String> getRegisteredBroadcastStateNames() {
        return delegate.getRegisteredBroadcastStateNames();
    }

    @Override
    public void dispose() {
        delegate.dispose();
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }
}
