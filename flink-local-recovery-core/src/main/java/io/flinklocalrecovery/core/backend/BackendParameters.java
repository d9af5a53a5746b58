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
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.fs.CloseableRegistry;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.execution.Environment;
import org.apache.flink.runtime.query.TaskKvStateRegistry;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.runtime.state.OperatorStateHandle;
import org.apache.flink.runtime.state.StateBackend.CustomInitializationMetrics;
import org.apache.flink.runtime.state.StateBackend.KeyedStateBackendParameters;
import org.apache.flink.runtime.state.StateBackend.OperatorStateBackendParameters;
import org.apache.flink.runtime.state.ttl.TtlTimeProvider;

import javax.annotation.Nonnull;

import java.util.Collection;

/**
 * The Flink-version-specific seam for backend parameter objects: the task's parameters with another
 * environment and another collection of state handles.
 */
@Internal
final class BackendParameters {

    private BackendParameters() {}

    static <K> KeyedStateBackendParameters<K> keyed(
            KeyedStateBackendParameters<K> original,
            Environment env,
            Collection<KeyedStateHandle> handles) {
        return new KeyedStateBackendParameters<K>() {
            @Override
            public Environment getEnv() {
                return env;
            }

            @Override
            public JobID getJobID() {
                return original.getJobID();
            }

            @Override
            public String getOperatorIdentifier() {
                return original.getOperatorIdentifier();
            }

            @Override
            public TypeSerializer<K> getKeySerializer() {
                return original.getKeySerializer();
            }

            @Override
            public int getNumberOfKeyGroups() {
                return original.getNumberOfKeyGroups();
            }

            @Override
            public KeyGroupRange getKeyGroupRange() {
                return original.getKeyGroupRange();
            }

            @Override
            public TaskKvStateRegistry getKvStateRegistry() {
                return original.getKvStateRegistry();
            }

            @Override
            public TtlTimeProvider getTtlTimeProvider() {
                return original.getTtlTimeProvider();
            }

            @Override
            public MetricGroup getMetricGroup() {
                return original.getMetricGroup();
            }

            @Nonnull
            @Override
            public Collection<KeyedStateHandle> getStateHandles() {
                return handles;
            }

            @Override
            public CloseableRegistry getCancelStreamRegistry() {
                return original.getCancelStreamRegistry();
            }

            @Override
            public double getManagedMemoryFraction() {
                return original.getManagedMemoryFraction();
            }

            @Override
            public CustomInitializationMetrics getCustomInitializationMetrics() {
                return original.getCustomInitializationMetrics();
            }
        };
    }

    static OperatorStateBackendParameters operator(
            OperatorStateBackendParameters original,
            Environment env,
            Collection<OperatorStateHandle> handles) {
        return new OperatorStateBackendParameters() {
            @Override
            public Environment getEnv() {
                return env;
            }

            @Override
            public String getOperatorIdentifier() {
                return original.getOperatorIdentifier();
            }

            @Nonnull
            @Override
            public Collection<OperatorStateHandle> getStateHandles() {
                return handles;
            }

            @Override
            public CloseableRegistry getCancelStreamRegistry() {
                return original.getCancelStreamRegistry();
            }

            @Override
            public CustomInitializationMetrics getCustomInitializationMetrics() {
                return original.getCustomInitializationMetrics();
            }
        };
    }
}
