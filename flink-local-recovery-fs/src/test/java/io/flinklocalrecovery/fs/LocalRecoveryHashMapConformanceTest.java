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
package io.flinklocalrecovery.fs;

import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.base.IntSerializer;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.runtime.checkpoint.CheckpointOptions;
import org.apache.flink.runtime.execution.Environment;
import org.apache.flink.runtime.state.CheckpointStorage;
import org.apache.flink.runtime.state.CheckpointableKeyedStateBackend;
import org.apache.flink.runtime.state.ConfigurableStateBackend;
import org.apache.flink.runtime.state.HashMapStateBackendTest;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.KeyGroupsStateHandle;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.runtime.state.SharedStateRegistryImpl;
import org.apache.flink.runtime.state.SnapshotResult;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.StreamStateHandle;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.runtime.state.filesystem.FileStateHandle;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.runtime.state.storage.FileSystemCheckpointStorage;
import org.apache.flink.util.IOUtils;

import io.flinklocalrecovery.core.backend.LocalRecoveryKeyedStateBackend;
import io.flinklocalrecovery.core.backend.LocalRecoveryRuntime;
import io.flinklocalrecovery.core.backend.LocalRecoveryStateBackend;
import io.flinklocalrecovery.core.config.LocalRecoverySettings;
import io.flinklocalrecovery.core.metrics.FallbackReason;
import io.flinklocalrecovery.core.metrics.LocalRecoveryMetrics;
import io.flinklocalrecovery.core.store.LocalFileRef;
import io.flinklocalrecovery.core.store.LocalSnapshotScope;
import io.flinklocalrecovery.core.store.TaskLocalSnapshotStore;
import io.flinklocalrecovery.testutils.backend.ConformanceSupport;
import io.flinklocalrecovery.testutils.backend.KeyedRestoreAudit;
import io.flinklocalrecovery.testutils.backend.SubtaskEnvironments;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.RunnableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Flink's own heap backend suite ({@link HashMapStateBackendTest}, i.e. all of {@code
 * StateBackendTestBase}) run through {@link LocalRecoveryStateBackend} around a {@link
 * HashMapStateBackend} with local recovery ON, the way Flink's {@code ChangelogDelegateHashMapTest}
 * runs it through the changelog backend.
 *
 * <p>The checkpoint storage is a {@link FileSystemCheckpointStorage} with a memory threshold of 0,
 * so every snapshot produces file handles and therefore local copies (inline handles get none, by
 * design). Every restore of file handles in the suite first waits (with a deadline) until their
 * local copies are committed, then asserts that the restore was counted as a local one: the suite's
 * restores really go through the local-first path.
 */
class LocalRecoveryHashMapConformanceTest extends HashMapStateBackendTest {

    private static final String OPERATOR = "test_op";

    @TempDir static Path classDir;

    /** How the suite's restores of handles with local copies went (logged at the end). */
    private static final KeyedRestoreAudit AUDIT = new KeyedRestoreAudit();

    /** Per test: local directories and checkpoint directory of their own. */
    private Path localDir;

    private Path checkpointDir;

    private final SubtaskEnvironments subtasks = new SubtaskEnvironments();

    /** Off in the tests below that damage local copies on purpose. */
    private boolean expectLocalRestores = true;

    @AfterEach
    void shutDownLocalRecovery() {
        subtasks.close();
        // each test has its own local directories, hence its own runtime
        LocalRecoveryRuntime.shutDownAll();
    }

    @AfterAll
    static void logSuiteRestores() {
        AUDIT.logSummary();
    }

    // ------------------------------------------------------------------------
    //  the backend under test
    // ------------------------------------------------------------------------

    @Override
    protected ConfigurableStateBackend getStateBackend() {
        return new ConfigurableLocalRecoveryBackend(new HashMapStateBackend(), settings());
    }

    /**
     * {@link HashMapStateBackendTest} runs twice, with a JobManager storage and with a file-system
     * storage (its parameters cannot be replaced: the parameter extension refuses a second
     * provider). Both runs use a file-system storage with threshold 0 here: a JobManager storage
     * makes only inline handles, which get no local copies.
     */
    @Override
    protected CheckpointStorage getCheckpointStorage() throws Exception {
        // threshold 0: every stream becomes a file, never a ByteStreamStateHandle
        return new FileSystemCheckpointStorage(
                new org.apache.flink.core.fs.Path(checkpointDir().toUri()), 0, -1);
    }

    /**
     * The suite builds the backends of its rescaling tests (one per key-group range) all in one
     * environment, i.e. as one subtask, which writes the same local checkpoint several times. Each
     * such backend gets a subtask of its own here, as in a job.
     */
    @Override
    protected <K> CheckpointableKeyedStateBackend<K> createKeyedBackend(
            TypeSerializer<K> keySerializer,
            int numberOfKeyGroups,
            KeyGroupRange keyGroupRange,
            Environment env)
            throws Exception {
        return super.createKeyedBackend(
                keySerializer,
                numberOfKeyGroups,
                keyGroupRange,
                subtasks.subtaskFor(env, numberOfKeyGroups, keyGroupRange));
    }

    @Override
    protected <K> CheckpointableKeyedStateBackend<K> restoreKeyedBackend(
            TypeSerializer<K> keySerializer,
            int numberOfKeyGroups,
            KeyGroupRange keyGroupRange,
            List<KeyedStateHandle> state,
            Environment env)
            throws Exception {
        KeyedRestoreAudit.Restore restore =
                AUDIT.begin(state, runtime(env).store(), metrics(env), expectLocalRestores);
        CheckpointableKeyedStateBackend<K> backend =
                super.restoreKeyedBackend(
                        keySerializer, numberOfKeyGroups, keyGroupRange, state, env);
        restore.ended();
        return backend;
    }

    // ------------------------------------------------------------------------
    //  the local path itself, inside this harness
    // ------------------------------------------------------------------------

    /** The primary files are deleted: the values can only come from the local copy. */
    @TestTemplate
    void testRestoresFromCommittedLocalCopy() throws Exception {
        KeyedStateHandle snapshot = snapshotWithValues(7L);
        StreamStateHandle primary = primaryStream(snapshot);
        LocalFileRef local = awaitLocalCopy(7L, primary);
        assertThat(runtime(env).store().getBytesHeld())
                .isGreaterThanOrEqualTo(primary.getStateSize());
        assertThat(Files.size(local.getPath())).isEqualTo(primary.getStateSize());

        primary.discardState();
        assertThat(Files.exists(Paths.get(((FileStateHandle) primary).getFilePath().toUri())))
                .isFalse();

        CheckpointableKeyedStateBackend<Integer> restored =
                restoreKeyedBackend(IntSerializer.INSTANCE, snapshot);
        try {
            assertValues(restored);
        } finally {
            IOUtils.closeQuietly(restored);
            restored.dispose();
        }
        LocalRecoveryMetrics metrics = metrics(env);
        assertThat(metrics.getRestoresLocal()).isEqualTo(1);
        assertThat(metrics.getRestoresRemote()).isZero();
        for (FallbackReason reason : FallbackReason.values()) {
            assertThat(metrics.getFallbacks(reason)).as(reason.name()).isZero();
        }
    }

    /** A bit flipped in the local copy: the restore reads the primary and counts the mismatch. */
    @TestTemplate
    void testCorruptLocalCopyFallsBackToPrimary() throws Exception {
        KeyedStateHandle snapshot = snapshotWithValues(8L);
        StreamStateHandle primary = primaryStream(snapshot);
        LocalFileRef local = awaitLocalCopy(8L, primary);
        long size = Files.size(local.getPath());
        ConformanceSupport.flipByte(local.getPath(), size / 2);
        assertThat(Files.size(local.getPath())).isEqualTo(size);
        expectLocalRestores = false;

        CheckpointableKeyedStateBackend<Integer> restored =
                restoreKeyedBackend(IntSerializer.INSTANCE, snapshot);
        try {
            assertValues(restored);
        } finally {
            IOUtils.closeQuietly(restored);
            restored.dispose();
        }
        LocalRecoveryMetrics metrics = metrics(env);
        assertThat(metrics.getFallbacks(FallbackReason.CHECKSUM_MISMATCH)).isEqualTo(1);
        assertThat(metrics.getRestoresLocal()).isZero();
        assertThat(metrics.getRestoresRemote()).isEqualTo(1);
        // the damaged copy is gone for good
        assertThat(runtime(env).store().lookup(primary.getStreamStateHandleID().getKeyString()))
                .isEmpty();
        assertThat(Files.exists(local.getPath())).isFalse();
    }

    /** A truncated local copy: the restore reads the primary and counts the truncation. */
    @TestTemplate
    void testTruncatedLocalCopyFallsBackToPrimary() throws Exception {
        KeyedStateHandle snapshot = snapshotWithValues(9L);
        StreamStateHandle primary = primaryStream(snapshot);
        LocalFileRef local = awaitLocalCopy(9L, primary);
        try (FileChannel channel = FileChannel.open(local.getPath(), StandardOpenOption.WRITE)) {
            channel.truncate(Files.size(local.getPath()) - 1);
        }
        expectLocalRestores = false;

        CheckpointableKeyedStateBackend<Integer> restored =
                restoreKeyedBackend(IntSerializer.INSTANCE, snapshot);
        try {
            assertValues(restored);
        } finally {
            IOUtils.closeQuietly(restored);
            restored.dispose();
        }
        LocalRecoveryMetrics metrics = metrics(env);
        assertThat(metrics.getFallbacks(FallbackReason.FILE_MISSING_OR_TRUNCATED)).isEqualTo(1);
        assertThat(metrics.getRestoresLocal()).isZero();
        assertThat(metrics.getRestoresRemote()).isEqualTo(1);
    }

    private static final ValueStateDescriptor<String> VALUES =
            new ValueStateDescriptor<>("values", StringSerializer.INSTANCE);
    private static final int KEYS = 500;

    private KeyedStateHandle snapshotWithValues(long checkpointId) throws Exception {
        CheckpointableKeyedStateBackend<Integer> backend =
                createKeyedBackend(IntSerializer.INSTANCE);
        try {
            assertThat(backend).isInstanceOf(LocalRecoveryKeyedStateBackend.class);
            ValueState<String> state =
                    backend.getPartitionedState(
                            VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, VALUES);
            for (int key = 0; key < KEYS; key++) {
                backend.setCurrentKey(key);
                state.update("value-" + key);
            }
            RunnableFuture<SnapshotResult<KeyedStateHandle>> future =
                    backend.snapshot(
                            checkpointId,
                            System.currentTimeMillis(),
                            createStreamFactory(),
                            CheckpointOptions.forCheckpointWithDefaultLocation());
            KeyedStateHandle handle = runSnapshot(future, new SharedStateRegistryImpl());
            ((LocalRecoveryKeyedStateBackend<Integer>) backend)
                    .notifyCheckpointComplete(checkpointId);
            return handle;
        } finally {
            IOUtils.closeQuietly(backend);
            backend.dispose();
        }
    }

    private static void assertValues(CheckpointableKeyedStateBackend<Integer> backend)
            throws Exception {
        ValueState<String> state =
                backend.getPartitionedState(
                        VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, VALUES);
        for (int key = 0; key < KEYS; key++) {
            backend.setCurrentKey(key);
            assertThat(state.value()).isEqualTo("value-" + key);
        }
        backend.setCurrentKey(KEYS);
        assertThat(state.value()).isNull();
    }

    private static StreamStateHandle primaryStream(KeyedStateHandle snapshot) {
        assertThat(snapshot).isExactlyInstanceOf(KeyGroupsStateHandle.class);
        StreamStateHandle primary = ((KeyGroupsStateHandle) snapshot).getDelegateStateHandle();
        // a file: inline handles would have no local copy
        assertThat(primary).isInstanceOf(FileStateHandle.class);
        return primary;
    }

    private LocalFileRef awaitLocalCopy(long checkpointId, StreamStateHandle primary)
            throws InterruptedException {
        TaskLocalSnapshotStore store = runtime(env).store();
        LocalSnapshotScope scope =
                new LocalSnapshotScope(
                        env.getJobID().toHexString(),
                        LocalSnapshotScope.operatorIdFromIdentifier(OPERATOR),
                        env.getTaskInfo().getIndexOfThisSubtask(),
                        LocalSnapshotScope.Kind.KEYED);
        assertThat(
                        ConformanceSupport.await(
                                () ->
                                        store.committedCheckpoints(scope).contains(checkpointId)
                                                && store.getBytesHeld() > 0))
                .as(
                        "local checkpoint %s committed within %s",
                        checkpointId, ConformanceSupport.COMMIT_DEADLINE)
                .isTrue();
        Optional<LocalFileRef> local =
                store.lookup(primary.getStreamStateHandleID().getKeyString());
        assertThat(local).isPresent();
        assertThat(local.get().getCheckpointId()).isEqualTo(checkpointId);
        return local.get();
    }

    // ------------------------------------------------------------------------
    //  helpers
    // ------------------------------------------------------------------------

    private LocalRecoverySettings settings() {
        return ConformanceSupport.enabledSettings(localDir());
    }

    private Path localDir() {
        if (localDir == null) {
            localDir = newDir("local");
        }
        return localDir;
    }

    private Path checkpointDir() {
        if (checkpointDir == null) {
            checkpointDir = newDir("checkpoints");
        }
        return checkpointDir;
    }

    private static Path newDir(String prefix) {
        try {
            return Files.createTempDirectory(classDir, prefix);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private LocalRecoveryRuntime runtime(Environment env) {
        return ConformanceSupport.runtime(env, settings());
    }

    private LocalRecoveryMetrics metrics(Environment env) {
        return ConformanceSupport.metrics(env, settings());
    }

    /**
     * {@code StateBackendTestBase} wants a {@link ConfigurableStateBackend} (its latency and size
     * tracking tests configure the backend). Configuring configures the wrapped {@link
     * HashMapStateBackend} and keeps the local-recovery settings.
     */
    private static final class ConfigurableLocalRecoveryBackend extends LocalRecoveryStateBackend
            implements ConfigurableStateBackend {

        private static final long serialVersionUID = 1L;

        ConfigurableLocalRecoveryBackend(
                HashMapStateBackend delegate, LocalRecoverySettings settings) {
            super(delegate, settings);
        }

        @Override
        public StateBackend configure(ReadableConfig config, ClassLoader classLoader) {
            return new ConfigurableLocalRecoveryBackend(
                    ((HashMapStateBackend) getDelegate()).configure(config, classLoader),
                    getSettings());
        }
    }
}
