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
package io.flinklocalrecovery.core.flinkline;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.v2.ListState;
import org.apache.flink.api.common.state.v2.ListStateDescriptor;
import org.apache.flink.api.common.state.v2.MapStateDescriptor;
import org.apache.flink.runtime.state.OperatorStateBackend;
import org.apache.flink.util.Preconditions;

/**
 * The part of the operator state wrapper that depends on the Flink line (2.x): forwards the {@code
 * state.v2} descriptor methods that {@link OperatorStateBackend} has only since Flink 2.0.
 */
@Internal
public abstract class FlinkLineOperatorStateBackend implements OperatorStateBackend {

    private final OperatorStateBackend lineDelegate;

    protected FlinkLineOperatorStateBackend(OperatorStateBackend delegate) {
        this.lineDelegate = Preconditions.checkNotNull(delegate);
    }

    @Override
    public <K, V> BroadcastState<K, V> getBroadcastState(MapStateDescriptor<K, V> stateDescriptor)
            throws Exception {
        return lineDelegate.getBroadcastState(stateDescriptor);
    }

    @Override
    public <S> ListState<S> getListState(ListStateDescriptor<S> stateDescriptor) throws Exception {
        return lineDelegate.getListState(stateDescriptor);
    }

    @Override
    public <S> ListState<S> getUnionListState(ListStateDescriptor<S> stateDescriptor)
            throws Exception {
        return lineDelegate.getUnionListState(stateDescriptor);
    }
}
