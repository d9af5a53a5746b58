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
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.checkpoint.CheckpointMetaData;
import org.apache.flink.runtime.checkpoint.CheckpointMetrics;
import org.apache.flink.runtime.checkpoint.InflightDataRescalingDescriptor;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.checkpoint.PrioritizedOperatorSubtaskState;
import org.apache.flink.runtime.checkpoint.SubTaskInitializationMetrics;
import org.apache.flink.runtime.checkpoint.TaskStateSnapshot;
import org.apache.flink.runtime.checkpoint.channel.SequentialChannelStateReader;
import org.apache.flink.runtime.checkpoint.filemerging.FileMergingSnapshotManager;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.state.LocalRecoveryConfig;
import org.apache.flink.runtime.state.TaskStateManager;
import org.apache.flink.runtime.state.changelog.ChangelogStateHandle;
import org.apache.flink.runtime.state.changelog.StateChangelogStorage;
import org.apache.flink.runtime.state.changelog.StateChangelogStorageView;

import javax.annotation.Nonnull;
import javax.annotation.Nullable;

import java.util.Optional;

/** The task's {@link TaskStateManager} with the {@link LocalRecoveryConfig} of this plugin. */
@Internal
final class LocalRecoveryConfigTaskStateManager implements TaskStateManager {

    private final TaskStateManager delegate;
    private final LocalRecoveryConfig localRecoveryConfig;

    LocalRecoveryConfigTaskStateManager(
            TaskStateManager delegate, LocalRecoveryConfig localRecoveryConfig) {
        this.delegate = delegate;
        this.localRecoveryConfig = localRecoveryConfig;
    }

    @Nonnull
    @Override
    public LocalRecoveryConfig createLocalRecoveryConfig() {
        return localRecoveryConfig;
    }

    @Override
    public void reportInitializationMetrics(SubTaskInitializationMetrics metrics) {
        delegate.reportInitializationMetrics(metrics);
    }

    @Override
    public void reportTaskStateSnapshots(
            @Nonnull CheckpointMetaData checkpointMetaData,
            @Nonnull CheckpointMetrics checkpointMetrics,
            @Nullable TaskStateSnapshot acknowledgedState,
            @Nullable TaskStateSnapshot localState) {
        delegate.reportTaskStateSnapshots(
                checkpointMetaData, checkpointMetrics, acknowledgedState, localState);
    }

    @Override
    public InflightDataRescalingDescriptor getInputRescalingDescriptor() {
        return delegate.getInputRescalingDescriptor();
    }

    @Override
    public InflightDataRescalingDescriptor getOutputRescalingDescriptor() {
        return delegate.getOutputRescalingDescriptor();
    }

    @Override
    public void reportIncompleteTaskStateSnapshots(
            CheckpointMetaData checkpointMetaData, CheckpointMetrics checkpointMetrics) {
        delegate.reportIncompleteTaskStateSnapshots(checkpointMetaData, checkpointMetrics);
    }

    @Override
    public boolean isTaskDeployedAsFinished() {
        return delegate.isTaskDeployedAsFinished();
    }

    @Override
    public Optional<Long> getRestoreCheckpointId() {
        return delegate.getRestoreCheckpointId();
    }

    @Nonnull
    @Override
    public PrioritizedOperatorSubtaskState prioritizedOperatorState(OperatorID operatorID) {
        return delegate.prioritizedOperatorState(operatorID);
    }

    @Override
    public Optional<OperatorSubtaskState> getSubtaskJobManagerRestoredState(OperatorID operatorID) {
        return delegate.getSubtaskJobManagerRestoredState(operatorID);
    }

    @Override
    public SequentialChannelStateReader getSequentialChannelStateReader() {
        return delegate.getSequentialChannelStateReader();
    }

    @Nullable
    @Override
    public StateChangelogStorage<?> getStateChangelogStorage() {
        return delegate.getStateChangelogStorage();
    }

    @Nullable
    @Override
    public StateChangelogStorageView<?> getStateChangelogStorageView(
            Configuration configuration, ChangelogStateHandle changelogStateHandle) {
        return delegate.getStateChangelogStorageView(configuration, changelogStateHandle);
    }

    @Nullable
    @Override
    public FileMergingSnapshotManager getFileMergingSnapshotManager() {
        return delegate.getFileMergingSnapshotManager();
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
        delegate.notifyCheckpointComplete(checkpointId);
    }

    @Override
    public void notifyCheckpointAborted(long checkpointId) throws Exception {
        delegate.notifyCheckpointAborted(checkpointId);
    }

    @Override
    public void close() throws Exception {
        delegate.close();
    }
}
