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
import org.apache.flink.api.common.state.State;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.runtime.checkpoint.CheckpointOptions;
import org.apache.flink.runtime.checkpoint.SnapshotType;
import org.apache.flink.runtime.state.AbstractKeyedStateBackend;
import org.apache.flink.runtime.state.CheckpointStreamFactory;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.KeyGroupedInternalPriorityQueue;
import org.apache.flink.runtime.state.Keyed;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.KeyedStateFunction;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.runtime.state.PriorityComparable;
import org.apache.flink.runtime.state.SavepointResources;
import org.apache.flink.runtime.state.SnapshotResult;
import org.apache.flink.runtime.state.StateSnapshotTransformer.StateSnapshotTransformFactory;
import org.apache.flink.runtime.state.heap.HeapPriorityQueueElement;
import org.apache.flink.runtime.state.internal.InternalKvState;

import io.flinklocalrecovery.core.flinkline.FlinkLineKeyedStateBackend;

import javax.annotation.Nonnull;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.RunnableFuture;
import java.util.stream.Stream;

/**
 * The keyed state backend of the plugin: the wrapped backend does all the work; this class only
 * duplicates checkpoint streams into local copies (see {@link LocalSnapshotting}) and tells the
 * local store which checkpoints completed or were aborted.
 *
 * <p>It extends {@link AbstractKeyedStateBackend} (sharing the delegate's key context and state
 * registry through the copy constructor) because Flink checks for that type: timers kept on the
 * heap by RocksDB are only snapshotted for an {@code AbstractKeyedStateBackend}, and the changelog
 * backend casts to it. Every public method is forwarded, since backends such as RocksDB override
 * even key selection; the methods only one Flink line has are forwarded by {@link
 * FlinkLineKeyedStateBackend}.
 */
@Internal
public class LocalRecoveryKeyedStateBackend<K> extends FlinkLineKeyedStateBackend<K> {

    private final AbstractKeyedStateBackend<K> delegate;
    private final LocalSnapshotting snapshotting;

    public LocalRecoveryKeyedStateBackend(
            AbstractKeyedStateBackend<K> delegate, LocalSnapshotting snapshotting) {
        super(delegate);
        this.delegate = delegate;
        this.snapshotting = snapshotting;
    }

    public AbstractKeyedStateBackend<K> getDelegate() {
        return delegate;
    }

    // ------------------------------------------------------------------------
    //  what this wrapper changes
    // ------------------------------------------------------------------------

    @Nonnull
    @Override
    public RunnableFuture<SnapshotResult<KeyedStateHandle>> snapshot(
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
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
        try {
            delegate.notifyCheckpointComplete(checkpointId);
        } finally {
            snapshotting.confirm(checkpointId);
        }
    }

    @Override
    public void notifyCheckpointAborted(long checkpointId) throws Exception {
        try {
            delegate.notifyCheckpointAborted(checkpointId);
        } finally {
            snapshotting.abort(checkpointId);
        }
    }

    @Override
    public void notifyCheckpointSubsumed(long checkpointId) throws Exception {
        try {
            delegate.notifyCheckpointSubsumed(checkpointId);
        } finally {
            // a subsumed checkpoint has completed
            snapshotting.confirm(checkpointId);
        }
    }

    // ------------------------------------------------------------------------
    //  forwarded
    // ------------------------------------------------------------------------

    @Nonnull
    @Override
    public SavepointResources<K> savepoint() throws Exception {
        return delegate.savepoint();
    }

    @Override
    public void dispose() {
        delegate.dispose();
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }

    @Override
    public void setCurrentKey(K newKey) {
        delegate.setCurrentKey(newKey);
    }

    @Override
    public K getCurrentKey() {
        return delegate.getCurrentKey();
    }

    @Override
    public int getCurrentKeyGroupIndex() {
        return delegate.getCurrentKeyGroupIndex();
    }

    @Override
    public void setCurrentKeyGroupIndex(int currentKeyGroupIndex) {
        delegate.setCurrentKeyGroupIndex(currentKeyGroupIndex);
    }

    @Override
    public void registerKeySelectionListener(KeySelectionListener<K> listener) {
        delegate.registerKeySelectionListener(listener);
    }

    @Override
    public boolean deregisterKeySelectionListener(KeySelectionListener<K> listener) {
        return delegate.deregisterKeySelectionListener(listener);
    }

    @Override
    public TypeSerializer<K> getKeySerializer() {
        return delegate.getKeySerializer();
    }

    @Override
    public int getNumberOfKeyGroups() {
        return delegate.getNumberOfKeyGroups();
    }

    @Override
    public KeyGroupRange getKeyGroupRange() {
        return delegate.getKeyGroupRange();
    }

    @Override
    public <N, S extends State, T> void applyToAllKeys(
            N namespace,
            TypeSerializer<N> namespaceSerializer,
            StateDescriptor<S, T> stateDescriptor,
            KeyedStateFunction<K, S> function)
            throws Exception {
        delegate.applyToAllKeys(namespace, namespaceSerializer, stateDescriptor, function);
    }

    @Override
    public <N, S extends State, T> void applyToAllKeys(
            N namespace,
            TypeSerializer<N> namespaceSerializer,
            StateDescriptor<S, T> stateDescriptor,
            KeyedStateFunction<K, S> function,
            PartitionStateFactory partitionStateFactory)
            throws Exception {
        delegate.applyToAllKeys(
                namespace, namespaceSerializer, stateDescriptor, function, partitionStateFactory);
    }

    @Override
    public <N> Stream<K> getKeys(String state, N namespace) {
        return delegate.getKeys(state, namespace);
    }

    @Override
    public <N> Stream<K> getKeys(List<String> states, N namespace) {
        return delegate.getKeys(states, namespace);
    }

    @Override
    public <N> Stream<Tuple2<K, N>> getKeysAndNamespaces(String state) {
        return delegate.getKeysAndNamespaces(state);
    }

    @Override
    public <N, S extends State, V> S getOrCreateKeyedState(
            TypeSerializer<N> namespaceSerializer, StateDescriptor<S, V> stateDescriptor)
            throws Exception {
        return delegate.getOrCreateKeyedState(namespaceSerializer, stateDescriptor);
    }

    @Override
    public <N, S extends State> S getPartitionedState(
            N namespace,
            TypeSerializer<N> namespaceSerializer,
            StateDescriptor<S, ?> stateDescriptor)
            throws Exception {
        return delegate.getPartitionedState(namespace, namespaceSerializer, stateDescriptor);
    }

    @Override
    public void publishQueryableStateIfEnabled(
            StateDescriptor<?, ?> stateDescriptor, InternalKvState<?, ?, ?> kvState) {
        delegate.publishQueryableStateIfEnabled(stateDescriptor, kvState);
    }

    @Nonnull
    @Override
    public <N, SV, SEV, S extends State, IS extends S> IS createOrUpdateInternalState(
            @Nonnull TypeSerializer<N> namespaceSerializer,
            @Nonnull StateDescriptor<S, SV> stateDesc,
            @Nonnull StateSnapshotTransformFactory<SEV> snapshotTransformFactory)
            throws Exception {
        return delegate.createOrUpdateInternalState(
                namespaceSerializer, stateDesc, snapshotTransformFactory);
    }

    @Nonnull
    @Override
    public <N, SV, SEV, S extends State, IS extends S> IS createOrUpdateInternalState(
            @Nonnull TypeSerializer<N> namespaceSerializer,
            @Nonnull StateDescriptor<S, SV> stateDesc,
            @Nonnull StateSnapshotTransformFactory<SEV> snapshotTransformFactory,
            boolean allowFutureMetadataUpdates)
            throws Exception {
        return delegate.createOrUpdateInternalState(
                namespaceSerializer,
                stateDesc,
                snapshotTransformFactory,
                allowFutureMetadataUpdates);
    }

    @Nonnull
    @Override
    public <T extends HeapPriorityQueueElement & PriorityComparable<? super T> & Keyed<?>>
            KeyGroupedInternalPriorityQueue<T> create(
                    @Nonnull String stateName,
                    @Nonnull TypeSerializer<T> byteOrderedElementSerializer) {
        return delegate.create(stateName, byteOrderedElementSerializer);
    }

    @Nonnull
    @Override
    public <T extends HeapPriorityQueueElement & PriorityComparable<? super T> & Keyed<?>>
            KeyGroupedInternalPriorityQueue<T> create(
                    @Nonnull String stateName,
                    @Nonnull TypeSerializer<T> byteOrderedElementSerializer,
                    boolean allowFutureMetadataUpdates) {
        return delegate.create(stateName, byteOrderedElementSerializer, allowFutureMetadataUpdates);
    }

    @Override
    public int numKeyValueStateEntries() {
        return delegate.numKeyValueStateEntries();
    }

    @Override
    public int numKeyValueStatesByName() {
        return delegate.numKeyValueStatesByName();
    }

    @Override
    public boolean requiresLegacySynchronousTimerSnapshots(SnapshotType checkpointType) {
        return delegate.requiresLegacySynchronousTimerSnapshots(checkpointType);
    }

    @Override
    public boolean isSafeToReuseKVState() {
        return delegate.isSafeToReuseKVState();
    }

    @Override
    public KeyedStateBackend<K> getDelegatedKeyedStateBackend(boolean recursive) {
        return recursive ? delegate.getDelegatedKeyedStateBackend(true) : delegate;
    }
}
