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
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.core.fs.CloseableRegistry;
import org.apache.flink.runtime.execution.Environment;
import org.apache.flink.runtime.state.AbstractKeyedStateBackend;
import org.apache.flink.runtime.state.CheckpointableKeyedStateBackend;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.runtime.state.LocalRecoveryConfig;
import org.apache.flink.runtime.state.OperatorStateBackend;
import org.apache.flink.runtime.state.OperatorStateHandle;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.util.Preconditions;

import io.flinklocalrecovery.core.config.LocalRecoverySettings;
import io.flinklocalrecovery.core.metrics.LocalRecoveryMetrics;
import io.flinklocalrecovery.core.restore.KeyedRescale;
import io.flinklocalrecovery.core.restore.LocalCopyFinder;
import io.flinklocalrecovery.core.restore.LocalFirstRestore;
import io.flinklocalrecovery.core.restore.LocalHandleSubstitution;
import io.flinklocalrecovery.core.store.LocalSnapshotScope;
import io.flinklocalrecovery.core.store.TaskLocalSnapshotStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.util.Collection;
import java.util.Optional;

/**
 * The state backend users configure: it wraps a plain Flink backend and adds verified task-local
 * copies and local-first restore. With {@code state.backend.local-recovery: DISABLED} it is a pure
 * pass-through to the wrapped backend.
 *
 * <p>It deliberately does not implement {@code DelegatingStateBackend}: the changelog backend
 * refuses to wrap a delegating backend.
 */
@Internal
public class LocalRecoveryStateBackend implements StateBackend {

    private static final long serialVersionUID = 1L;

    private static final Logger LOG = LoggerFactory.getLogger(LocalRecoveryStateBackend.class);

    /** How long a restore waits for local copies of its checkpoint that are being committed. */
    static final long MAX_WAIT_FOR_LOCAL_COPIES_MILLIS = 2_000;

    private final StateBackend delegate;
    private final LocalRecoverySettings settings;

    public LocalRecoveryStateBackend(StateBackend delegate, LocalRecoverySettings settings) {
        this.delegate = Preconditions.checkNotNull(delegate);
        this.settings = Preconditions.checkNotNull(settings);
    }

    public StateBackend getDelegate() {
        return delegate;
    }

    public LocalRecoverySettings getSettings() {
        return settings;
    }

    /**
     * The local-recovery configuration the wrapped keyed backend sees. By default Flink's own local
     * copies are switched off: this plugin keeps the copies. Backends whose local copy is made by
     * the backend itself (RocksDB's native checkpoint) override this.
     *
     * @param runtime {@link LocalRecoveryRuntime#UNAVAILABLE} when this TaskManager's local
     *     directories are unusable
     */
    protected LocalRecoveryConfig localRecoveryConfigForDelegate(
            Environment env,
            LocalRecoveryRuntime runtime,
            LocalSnapshotScope scope,
            LocalRecoveryMetrics metrics) {
        return LocalRecoveryConfig.BACKUP_AND_RECOVERY_DISABLED;
    }

    /**
     * How the keyed backend's checkpoints get their local copy: null (the default) duplicates the
     * checkpoint streams; backends that make their own local copy return how to take it over.
     *
     * @param delegateConfig what {@link #localRecoveryConfigForDelegate} gave the wrapped backend
     */
    @Nullable
    protected BackendLocalCopies keyedBackendLocalCopies(
            LocalRecoveryRuntime runtime,
            LocalSnapshotScope scope,
            LocalRecoveryMetrics metrics,
            LocalRecoveryConfig delegateConfig) {
        return null;
    }

    /**
     * The local alternative of the keyed state handles a task restores. By default each handle that
     * is one duplicated stream is replaced by its verified local copy.
     *
     * @param runtime {@link LocalRecoveryRuntime#UNAVAILABLE} when this TaskManager's local
     *     directories are unusable
     */
    protected LocalFirstRestore.LocalAlternative<KeyedStateHandle> keyedLocalAlternative(
            LocalRecoveryRuntime runtime,
            LocalCopyFinder finder,
            LocalRecoveryMetrics metrics,
            CloseableRegistry cancelRegistry) {
        return handles -> LocalHandleSubstitution.of(handles, finder);
    }

    @Override
    public String getName() {
        return delegate.getName();
    }

    @Override
    public boolean useManagedMemory() {
        return delegate.useManagedMemory();
    }

    @Override
    public boolean supportsNoClaimRestoreMode() {
        return delegate.supportsNoClaimRestoreMode();
    }

    @Override
    public boolean supportsSavepointFormat(SavepointFormatType formatType) {
        return delegate.supportsSavepointFormat(formatType);
    }

    @Override
    public boolean supportsAsyncKeyedStateBackend() {
        return false;
    }

    @Override
    public <K> CheckpointableKeyedStateBackend<K> createKeyedStateBackend(
            KeyedStateBackendParameters<K> parameters) throws Exception {
        Optional<TaskContext> context =
                TaskContext.of(parameters.getEnv(), parameters.getOperatorIdentifier(), settings);
        if (!context.isPresent()) {
            return delegate.createKeyedStateBackend(parameters);
        }
        TaskContext task = context.get();
        task.awaitLocalCopiesOfRestoredCheckpoint(parameters.getStateHandles().isEmpty());
        LocalSnapshotScope scope = task.scope(LocalSnapshotScope.Kind.KEYED);
        LocalRecoveryConfig delegateConfig =
                localRecoveryConfigForDelegate(
                        parameters.getEnv(), task.runtime, scope, task.metrics);
        Environment env = new LocalRecoveryConfigEnvironment(parameters.getEnv(), delegateConfig);
        LocalRecoveryMetrics.RescaleRestore rescale =
                KeyedRescale.isRescale(parameters.getKeyGroupRange(), parameters.getStateHandles())
                        ? task.metrics.startRescaleRestore()
                        : null;
        CheckpointableKeyedStateBackend<K> backend =
                LocalFirstRestore.restore(
                        "keyed state backend for " + parameters.getOperatorIdentifier(),
                        parameters.getStateHandles(),
                        keyedLocalAlternative(
                                task.runtime,
                                task.finder,
                                task.metrics,
                                parameters.getCancelStreamRegistry()),
                        task.metrics,
                        parameters.getCancelStreamRegistry(),
                        (Collection<KeyedStateHandle> handles) ->
                                delegate.createKeyedStateBackend(
                                        BackendParameters.keyed(parameters, env, handles)));
        if (rescale != null) {
            rescale.end();
        }
        task.restored(scope, parameters.getStateHandles().isEmpty());
        if (!(backend instanceof AbstractKeyedStateBackend)) {
            LOG.warn(
                    "The keyed state backend {} of {} is not an AbstractKeyedStateBackend; it runs "
                            + "without local copies.",
                    backend.getClass().getName(),
                    parameters.getOperatorIdentifier());
            return backend;
        }
        return new LocalRecoveryKeyedStateBackend<>(
                (AbstractKeyedStateBackend<K>) backend,
                new LocalSnapshotting(
                        task.runtime,
                        scope,
                        task.metrics,
                        !task.runtime.isAvailable()
                                ? null
                                : keyedBackendLocalCopies(
                                        task.runtime, scope, task.metrics, delegateConfig)));
    }

    @Override
    public OperatorStateBackend createOperatorStateBackend(
            OperatorStateBackendParameters parameters) throws Exception {
        Optional<TaskContext> context =
                TaskContext.of(parameters.getEnv(), parameters.getOperatorIdentifier(), settings);
        if (!context.isPresent()) {
            return delegate.createOperatorStateBackend(parameters);
        }
        TaskContext task = context.get();
        task.awaitLocalCopiesOfRestoredCheckpoint(parameters.getStateHandles().isEmpty());
        LocalSnapshotScope scope = task.scope(LocalSnapshotScope.Kind.OPERATOR);
        OperatorStateBackend backend =
                LocalFirstRestore.restore(
                        "operator state backend for " + parameters.getOperatorIdentifier(),
                        parameters.getStateHandles(),
                        task.finder,
                        task.metrics,
                        parameters.getCancelStreamRegistry(),
                        (Collection<OperatorStateHandle> handles) ->
                                delegate.createOperatorStateBackend(
                                        BackendParameters.operator(
                                                parameters, parameters.getEnv(), handles)));
        task.restored(scope, parameters.getStateHandles().isEmpty());
        return new LocalRecoveryOperatorStateBackend(
                backend, new LocalSnapshotting(task.runtime, scope, task.metrics));
    }

    /** What a backend of one task needs from the plugin. */
    private static final class TaskContext {
        final Environment env;
        final String operatorId;
        final LocalRecoveryRuntime runtime;
        final LocalRecoveryMetrics metrics;
        final LocalCopyFinder finder;

        private TaskContext(
                Environment env,
                String operatorId,
                LocalRecoveryRuntime runtime,
                LocalRecoveryMetrics metrics,
                LocalCopyFinder finder) {
            this.env = env;
            this.operatorId = operatorId;
            this.runtime = runtime;
            this.metrics = metrics;
            this.finder = finder;
        }

        static Optional<TaskContext> of(
                Environment env, String operatorIdentifier, LocalRecoverySettings settings) {
            if (!settings.isEnabled()) {
                return Optional.empty();
            }
            LocalRecoveryRuntime runtime =
                    LocalRecoveryRuntime.forTaskManager(env.getTaskManagerInfo(), settings);
            String operatorId = LocalSnapshotScope.operatorIdFromIdentifier(operatorIdentifier);
            // counted also when unavailable, so the unusable directories show in the metrics
            LocalRecoveryMetrics metrics =
                    LocalRecoveryMetrics.forTask(
                            env.getMetricGroup(), runtime::bytesHeld, runtime.diskGauges());
            if (!runtime.isAvailable()) {
                return Optional.of(
                        new TaskContext(env, operatorId, runtime, metrics, LocalCopyFinder.NONE));
            }
            TaskLocalSnapshotStore store = runtime.store();
            String jobId = env.getJobID().toHexString();
            store.registerJob(jobId, settings.getRetainedCheckpoints());
            env.getUserCodeClassLoader()
                    .registerReleaseHookIfAbsent(
                            "flink-local-recovery-job-cleanup@" + store.getRoots(),
                            () -> store.releaseJob(jobId));
            return Optional.of(
                    new TaskContext(
                            env,
                            operatorId,
                            runtime,
                            metrics,
                            new LocalCopyFinder(store, settings.isVerifyChecksums())));
        }

        LocalSnapshotScope scope(LocalSnapshotScope.Kind kind) {
            return new LocalSnapshotScope(
                    env.getJobID().toHexString(),
                    operatorId,
                    env.getTaskInfo().getIndexOfThisSubtask(),
                    kind);
        }

        /**
         * A task restarted right after a failure may find the local copies of the checkpoint it
         * restores still being committed (the files are written, the manifest follows in
         * milliseconds). Waiting a little for them is much cheaper than a remote restore.
         */
        void awaitLocalCopiesOfRestoredCheckpoint(boolean noState) throws InterruptedException {
            if (noState) {
                return;
            }
            Optional<Long> checkpointId = env.getTaskStateManager().getRestoreCheckpointId();
            if (checkpointId.isPresent()
                    && !runtime.awaitWritten(
                            env.getJobID().toHexString(),
                            checkpointId.get(),
                            MAX_WAIT_FOR_LOCAL_COPIES_MILLIS)) {
                LOG.info(
                        "Local copies of checkpoint {} are still being written after {} ms; "
                                + "restoring without them where they are missing.",
                        checkpointId.get(),
                        MAX_WAIT_FOR_LOCAL_COPIES_MILLIS);
            }
        }

        void restored(LocalSnapshotScope scope, boolean noState) {
            if (!noState) {
                env.getTaskStateManager()
                        .getRestoreCheckpointId()
                        .ifPresent(id -> runtime.restored(scope, id));
            }
        }
    }
}
