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
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobInfo;
import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.fs.Path;
import org.apache.flink.runtime.accumulators.AccumulatorRegistry;
import org.apache.flink.runtime.broadcast.BroadcastVariableManager;
import org.apache.flink.runtime.checkpoint.CheckpointException;
import org.apache.flink.runtime.checkpoint.CheckpointMetrics;
import org.apache.flink.runtime.checkpoint.TaskStateSnapshot;
import org.apache.flink.runtime.checkpoint.channel.ChannelStateWriteRequestExecutorFactory;
import org.apache.flink.runtime.execution.Environment;
import org.apache.flink.runtime.executiongraph.ExecutionAttemptID;
import org.apache.flink.runtime.externalresource.ExternalResourceInfoProvider;
import org.apache.flink.runtime.io.disk.iomanager.IOManager;
import org.apache.flink.runtime.io.network.TaskEventDispatcher;
import org.apache.flink.runtime.io.network.api.writer.ResultPartitionWriter;
import org.apache.flink.runtime.io.network.partition.consumer.IndexedInputGate;
import org.apache.flink.runtime.jobgraph.JobType;
import org.apache.flink.runtime.jobgraph.JobVertexID;
import org.apache.flink.runtime.jobgraph.tasks.InputSplitProvider;
import org.apache.flink.runtime.jobgraph.tasks.TaskOperatorEventGateway;
import org.apache.flink.runtime.memory.MemoryManager;
import org.apache.flink.runtime.memory.SharedResources;
import org.apache.flink.runtime.metrics.groups.TaskMetricGroup;
import org.apache.flink.runtime.query.TaskKvStateRegistry;
import org.apache.flink.runtime.state.CheckpointStorageAccess;
import org.apache.flink.runtime.state.LocalRecoveryConfig;
import org.apache.flink.runtime.state.TaskStateManager;
import org.apache.flink.runtime.taskexecutor.GlobalAggregateManager;
import org.apache.flink.runtime.taskmanager.TaskManagerActions;
import org.apache.flink.runtime.taskmanager.TaskManagerRuntimeInfo;
import org.apache.flink.util.Preconditions;
import org.apache.flink.util.UserCodeClassLoader;

import io.flinklocalrecovery.core.flinkline.FlinkLineEnvironment;

import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * The task's {@link Environment} as the wrapped backend sees it: identical, except that its {@link
 * TaskStateManager} answers {@link TaskStateManager#createLocalRecoveryConfig()} with the
 * configuration this plugin chooses. That is the one way Flink's backends learn about local
 * recovery, so it decides whether they write Flink's own local copies (we switch those off for
 * stream-based backends) or, for RocksDB, where its native checkpoint directory goes.
 */
@Internal
public final class LocalRecoveryConfigEnvironment extends FlinkLineEnvironment {

    private final Environment delegate;
    private final TaskStateManager taskStateManager;

    public LocalRecoveryConfigEnvironment(Environment delegate, LocalRecoveryConfig config) {
        super(delegate);
        this.delegate = Preconditions.checkNotNull(delegate);
        this.taskStateManager =
                new LocalRecoveryConfigTaskStateManager(delegate.getTaskStateManager(), config);
    }

    @Override
    public TaskStateManager getTaskStateManager() {
        return taskStateManager;
    }

    // ------------------------------------------------------------------------
    //  everything else is the task's own
    // ------------------------------------------------------------------------

    @Override
    public ExecutionConfig getExecutionConfig() {
        return delegate.getExecutionConfig();
    }

    @Override
    public JobID getJobID() {
        return delegate.getJobID();
    }

    @Override
    public JobType getJobType() {
        return delegate.getJobType();
    }

    @Override
    public JobVertexID getJobVertexId() {
        return delegate.getJobVertexId();
    }

    @Override
    public ExecutionAttemptID getExecutionId() {
        return delegate.getExecutionId();
    }

    @Override
    public Configuration getTaskConfiguration() {
        return delegate.getTaskConfiguration();
    }

    @Override
    public TaskManagerRuntimeInfo getTaskManagerInfo() {
        return delegate.getTaskManagerInfo();
    }

    @Override
    public TaskMetricGroup getMetricGroup() {
        return delegate.getMetricGroup();
    }

    @Override
    public Configuration getJobConfiguration() {
        return delegate.getJobConfiguration();
    }

    @Override
    public JobInfo getJobInfo() {
        return delegate.getJobInfo();
    }

    @Override
    public TaskInfo getTaskInfo() {
        return delegate.getTaskInfo();
    }

    @Override
    public InputSplitProvider getInputSplitProvider() {
        return delegate.getInputSplitProvider();
    }

    @Override
    public TaskOperatorEventGateway getOperatorCoordinatorEventGateway() {
        return delegate.getOperatorCoordinatorEventGateway();
    }

    @Override
    public IOManager getIOManager() {
        return delegate.getIOManager();
    }

    @Override
    public MemoryManager getMemoryManager() {
        return delegate.getMemoryManager();
    }

    @Override
    public SharedResources getSharedResources() {
        return delegate.getSharedResources();
    }

    @Override
    public UserCodeClassLoader getUserCodeClassLoader() {
        return delegate.getUserCodeClassLoader();
    }

    @Override
    public Map<String, Future<Path>> getDistributedCacheEntries() {
        return delegate.getDistributedCacheEntries();
    }

    @Override
    public BroadcastVariableManager getBroadcastVariableManager() {
        return delegate.getBroadcastVariableManager();
    }

    @Override
    public GlobalAggregateManager getGlobalAggregateManager() {
        return delegate.getGlobalAggregateManager();
    }

    @Override
    public ExternalResourceInfoProvider getExternalResourceInfoProvider() {
        return delegate.getExternalResourceInfoProvider();
    }

    @Override
    public AccumulatorRegistry getAccumulatorRegistry() {
        return delegate.getAccumulatorRegistry();
    }

    @Override
    public TaskKvStateRegistry getTaskKvStateRegistry() {
        return delegate.getTaskKvStateRegistry();
    }

    @Override
    public void acknowledgeCheckpoint(long checkpointId, CheckpointMetrics checkpointMetrics) {
        delegate.acknowledgeCheckpoint(checkpointId, checkpointMetrics);
    }

    @Override
    public void acknowledgeCheckpoint(
            long checkpointId,
            CheckpointMetrics checkpointMetrics,
            TaskStateSnapshot subtaskState) {
        delegate.acknowledgeCheckpoint(checkpointId, checkpointMetrics, subtaskState);
    }

    @Override
    public void declineCheckpoint(long checkpointId, CheckpointException checkpointException) {
        delegate.declineCheckpoint(checkpointId, checkpointException);
    }

    @Override
    public void failExternally(Throwable cause) {
        delegate.failExternally(cause);
    }

    @Override
    public ResultPartitionWriter getWriter(int index) {
        return delegate.getWriter(index);
    }

    @Override
    public ResultPartitionWriter[] getAllWriters() {
        return delegate.getAllWriters();
    }

    @Override
    public IndexedInputGate getInputGate(int index) {
        return delegate.getInputGate(index);
    }

    @Override
    public IndexedInputGate[] getAllInputGates() {
        return delegate.getAllInputGates();
    }

    @Override
    public TaskEventDispatcher getTaskEventDispatcher() {
        return delegate.getTaskEventDispatcher();
    }

    @Override
    public TaskManagerActions getTaskManagerActions() {
        return delegate.getTaskManagerActions();
    }

    @Override
    public void setMainMailboxExecutor(MailboxExecutor mainMailboxExecutor) {
        delegate.setMainMailboxExecutor(mainMailboxExecutor);
    }

    @Override
    public MailboxExecutor getMainMailboxExecutor() {
        return delegate.getMainMailboxExecutor();
    }

    @Override
    public void setAsyncOperationsThreadPool(ExecutorService executorService) {
        delegate.setAsyncOperationsThreadPool(executorService);
    }

    @Override
    public ExecutorService getAsyncOperationsThreadPool() {
        return delegate.getAsyncOperationsThreadPool();
    }

    @Override
    public void setCheckpointStorageAccess(CheckpointStorageAccess checkpointStorageAccess) {
        delegate.setCheckpointStorageAccess(checkpointStorageAccess);
    }

    @Override
    public CheckpointStorageAccess getCheckpointStorageAccess() {
        return delegate.getCheckpointStorageAccess();
    }

    @Override
    public ChannelStateWriteRequestExecutorFactory getChannelStateExecutorFactory() {
        return delegate.getChannelStateExecutorFactory();
    }
}
