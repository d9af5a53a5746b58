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
package io.flinklocalrecovery.rocksdb;

import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.base.IntSerializer;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.runtime.checkpoint.CheckpointOptions;
import org.apache.flink.runtime.execution.Environment;
import org.apache.flink.runtime.state.CheckpointableKeyedStateBackend;
import org.apache.flink.runtime.state.ConfigurableStateBackend;
import org.apache.flink.runtime.state.IncrementalKeyedStateHandle.HandleAndLocalPath;
import org.apache.flink.runtime.state.IncrementalRemoteKeyedStateHandle;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.runtime.state.PhysicalStateHandleID;
import org.apache.flink.runtime.state.SharedStateRegistryImpl;
import org.apache.flink.runtime.state.SnapshotResult;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.StreamStateHandle;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.util.IOUtils;

import io.flinklocalrecovery.core.backend.LocalRecoveryKeyedStateBackend;
import io.flinklocalrecovery.core.backend.LocalRecoveryRuntime;
import io.flinklocalrecovery.core.config.LocalRecoverySettings;
import io.flinklocalrecovery.core.metrics.FallbackReason;
import io.flinklocalrecovery.core.metrics.LocalRecoveryMetrics;
import io.flinklocalrecovery.core.store.FileChecksums;
import io.flinklocalrecovery.core.store.LocalFileEntry;
import io.flinklocalrecovery.core.store.LocalNativeCheckpoint;
import io.flinklocalrecovery.core.store.LocalNativeCheckpointRef;
import io.flinklocalrecovery.core.store.TaskLocalSnapshotStore;
import io.flinklocalrecovery.testutils.backend.ConformanceSupport;
import io.flinklocalrecovery.testutils.backend.SubtaskEnvironments;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Flink's own RocksDB backend suite ({@code EmbeddedRocksDBStateBackendTest}, i.e. all of {@code
 * StateBackendTestBase} plus the RocksDB-specific tests) run through {@link
 * LocalRecoveryRocksDBStateBackend} with local recovery ON, the way Flink's changelog backend runs
 * it through its wrapper. Every checkpoint of the suite keeps RocksDB's native checkpoint directory
 * as a local copy, and every restore goes through the local-first path ({@link
 * NativeCheckpointRestore}).
 *
 * <p>All parameters of the suite are kept (incremental with and without ingest-DB restore and with
 * heap timers, each on JobManager storage; full checkpoints on a file-system storage): RocksDB's
 * native local copy does not depend on the checkpoint storage. Every restore of RocksDB handles in
 * the suite first waits (with a deadline) until their local copies are committed, then asserts that
 * the restore was counted as a local one, also when it merges several RocksDB handles (rescaling:
 * Flink opens those directories in place, so the restore gets directories of its own), and that it
 * left the local copies untouched and no restore directory behind.
 */
class LocalRecoveryRocksDBConformanceTest extends FlinkLineEmbeddedRocksDBStateBackendTest {

    private static final Logger LOG =
            LoggerFactory.getLogger(LocalRecoveryRocksDBConformanceTest.class);

    @TempDir static Path classDir;

    /** How the suite's restores of RocksDB handles went (logged at the end). */
    private static final AtomicInteger RESTORES_FROM_LOCAL_COPIES = new AtomicInteger();

    private static final AtomicInteger RESTORES_MIXED = new AtomicInteger();

    private static final AtomicInteger RESTORES_REMOTE = new AtomicInteger();

    /** Restores of the suite's rescaling tests that merged several handles from local copies. */
    private static final AtomicInteger MERGING_RESTORES_FROM_LOCAL_COPIES = new AtomicInteger();

    /** Per test: local directories of its own. */
    private Path localDir;

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
        LOG.info(
                "Restores of the suite with RocksDB handles: {} local ({} of them merging several "
                        + "handles), {} mixed, {} remote.",
                RESTORES_FROM_LOCAL_COPIES.get(),
                MERGING_RESTORES_FROM_LOCAL_COPIES.get(),
                RESTORES_MIXED.get(),
                RESTORES_REMOTE.get());
        assertThat(MERGING_RESTORES_FROM_LOCAL_COPIES.get())
                .as("restores of the rescaling tests that merged several handles from local copies")
                .isPositive();
    }

    // ------------------------------------------------------------------------
    //  the backend under test
    // ------------------------------------------------------------------------

    /** The suite's RocksDB backend (its parameters, options and storage path), wrapped. */
    @Override
    protected ConfigurableStateBackend getStateBackend() throws IOException {
        return new ConfigurableLocalRecoveryRocksDBBackend(
                RocksDBBackends.checkIsRocksDB(super.getStateBackend()), settings());
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
        TaskLocalSnapshotStore store = runtime(env).store();
        List<IncrementalRemoteKeyedStateHandle> nativeHandles = nativeHandles(state);
        boolean withLocalCopies = !nativeHandles.isEmpty() && expectLocalRestores;
        List<LocalNativeCheckpointRef> localCopies = new ArrayList<>();
        if (withLocalCopies) {
            // every RocksDB checkpoint the suite restores kept its native directory
            assertThat(
                            ConformanceSupport.await(
                                    () ->
                                            nativeHandles.stream()
                                                    .allMatch(
                                                            handle ->
                                                                    lookup(store, handle)
                                                                            .isPresent())))
                    .as(
                            "local copies of checkpoints %s committed within %s",
                            checkpointIds(nativeHandles), ConformanceSupport.COMMIT_DEADLINE)
                    .isTrue();
            for (IncrementalRemoteKeyedStateHandle handle : nativeHandles) {
                localCopies.add(lookup(store, handle).get());
            }
        }
        LocalRecoveryMetrics metrics = metrics(env);
        long localBefore = metrics.getRestoresLocal();
        long mixedBefore = metrics.getRestoresMixed();
        long remoteBefore = metrics.getRestoresRemote();

        // the suite's own restore, with its check of RocksDB's restore metrics
        CheckpointableKeyedStateBackend<K> backend =
                super.restoreKeyedBackend(
                        keySerializer, numberOfKeyGroups, keyGroupRange, state, env);

        if (withLocalCopies) {
            // also a restore that merges several RocksDB handles (rescaling): from assembled
            // directories, the stored ones untouched (below)
            assertThat(metrics.getRestoresLocal())
                    .as("a restore whose local copies are committed reads them")
                    .isEqualTo(localBefore + 1);
            if (nativeHandles.size() > 1) {
                MERGING_RESTORES_FROM_LOCAL_COPIES.incrementAndGet();
            }
            for (LocalNativeCheckpointRef local : localCopies) {
                assertUntouched(local);
                assertNoRestoreDirectoryLeft(local);
            }
        }
        RESTORES_FROM_LOCAL_COPIES.addAndGet((int) (metrics.getRestoresLocal() - localBefore));
        RESTORES_MIXED.addAndGet((int) (metrics.getRestoresMixed() - mixedBefore));
        RESTORES_REMOTE.addAndGet((int) (metrics.getRestoresRemote() - remoteBefore));
        return backend;
    }

    // ------------------------------------------------------------------------
    //  inherited tests that do not apply to a wrapper
    // ------------------------------------------------------------------------

    private static final String BUILDS_ROCKSDB_DIRECTLY =
            "builds Flink's RocksDBKeyedStateBackend directly (RocksDBTestUtils.builderForTestDB) "
                    + "and spies on its RocksDB handle; the backend under test is never used";

    @TestTemplate
    @Disabled(BUILDS_ROCKSDB_DIRECTLY)
    @Override
    public void testCorrectMergeOperatorSet() {}

    /**
     * Takes the first entry of RocksDB's local directory for the instance directory ({@code
     * listFiles()[0].listFiles()[0]}); with the plugin that directory also holds the staging
     * directory of native checkpoints ({@link StagingDirectoryProvider#STAGING_DIRECTORY}), so the
     * entry it looks at depends on the file system's order (it failed so under load). The plugin
     * does not touch RocksDB's compaction, which the test is about.
     */
    @TestTemplate
    @Disabled("lists the first entry of RocksDB's local directory as its instance directory")
    @Override
    public void testSmallFilesCompaction() {}

    @TestTemplate
    @Disabled(BUILDS_ROCKSDB_DIRECTLY)
    @Override
    public void testReleasingSnapshotAfterBackendClosed() {}

    @TestTemplate
    @Disabled(BUILDS_ROCKSDB_DIRECTLY)
    @Override
    public void testDismissingSnapshot() {}

    @TestTemplate
    @Disabled(BUILDS_ROCKSDB_DIRECTLY)
    @Override
    public void testDismissingSnapshotNotRunnable() {}

    @TestTemplate
    @Disabled(BUILDS_ROCKSDB_DIRECTLY)
    @Override
    public void testCompletingSnapshot() {}

    @TestTemplate
    @Disabled(BUILDS_ROCKSDB_DIRECTLY)
    @Override
    public void testCancelRunningSnapshot() {}

    @TestTemplate
    @Disabled(BUILDS_ROCKSDB_DIRECTLY)
    @Override
    public void testMapStateClear() {}

    @TestTemplate
    @Disabled(
            "checks EmbeddedRocksDBStateBackend.configure and returns at its instanceof check for "
                    + "any other backend class: it would pass without testing anything")
    @Override
    public void testConfigureTernaryBooleanConfigs() {}

    // ------------------------------------------------------------------------
    //  the local path itself, inside this harness
    // ------------------------------------------------------------------------

    /**
     * Every file of the primary handle is replaced by one that fails when read: the values can only
     * come from the local native directory.
     */
    @TestTemplate
    void testRestoresFromLocalCopyWithoutReadingPrimaryFiles() throws Exception {
        IncrementalRemoteKeyedStateHandle snapshot = snapshotWithValues(7L);
        LocalNativeCheckpointRef local = awaitLocalCopy(snapshot);
        assertThat(local.getNativeCheckpoint().getFiles())
                .extracting(LocalFileEntry::getFileName)
                .anyMatch(name -> name.endsWith(NativeCheckpointRecorder.SST_SUFFIX));

        CheckpointableKeyedStateBackend<Integer> restored =
                restoreKeyedBackend(IntSerializer.INSTANCE, unreadable(snapshot));
        try {
            assertValues(restored);
        } finally {
            IOUtils.closeQuietly(restored);
            restored.dispose();
        }
        LocalRecoveryMetrics metrics = metrics(env);
        assertThat(metrics.getRestoresLocal()).isEqualTo(1);
        assertThat(metrics.getRestoresMixed()).isZero();
        assertThat(metrics.getRestoresRemote()).isZero();
        for (FallbackReason reason : FallbackReason.values()) {
            assertThat(metrics.getFallbacks(reason)).as(reason.name()).isZero();
        }
    }

    /**
     * A bit flipped in a local SST file: that file is downloaded from the primary, the others are
     * used locally, and the mismatch is counted.
     */
    @TestTemplate
    void testCorruptLocalSstFileRestoresMixed() throws Exception {
        IncrementalRemoteKeyedStateHandle snapshot = snapshotWithValues(8L);
        LocalNativeCheckpointRef local = awaitLocalCopy(snapshot);
        LocalFileEntry sst =
                local.getNativeCheckpoint().getFiles().stream()
                        .filter(
                                file ->
                                        file.getFileName()
                                                .endsWith(NativeCheckpointRecorder.SST_SUFFIX))
                        .findFirst()
                        .orElseThrow();
        Path sstFile = local.getDirectory().resolve(sst.getFileName());
        ConformanceSupport.flipByte(sstFile, sst.getSize() / 2);
        assertThat(Files.size(sstFile)).isEqualTo(sst.getSize());
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
        assertThat(metrics.getRestoresMixed()).isEqualTo(1);
        assertThat(metrics.getRestoresLocal()).isZero();
        assertThat(metrics.getRestoresRemote()).isZero();
    }

    private static final ValueStateDescriptor<String> VALUES =
            new ValueStateDescriptor<>("values", StringSerializer.INSTANCE);
    private static final int KEYS = 500;

    private IncrementalRemoteKeyedStateHandle snapshotWithValues(long checkpointId)
            throws Exception {
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
            // incremental and full checkpoints alike are native RocksDB checkpoints
            assertThat(handle).isExactlyInstanceOf(IncrementalRemoteKeyedStateHandle.class);
            return (IncrementalRemoteKeyedStateHandle) handle;
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

    private LocalNativeCheckpointRef awaitLocalCopy(IncrementalRemoteKeyedStateHandle primary)
            throws InterruptedException {
        TaskLocalSnapshotStore store = runtime(env).store();
        assertThat(ConformanceSupport.await(() -> lookup(store, primary).isPresent()))
                .as(
                        "local checkpoint %s committed within %s",
                        primary.getCheckpointId(), ConformanceSupport.COMMIT_DEADLINE)
                .isTrue();
        return lookup(store, primary).get();
    }

    /** The same handle, with every file (metadata included) failing when it is opened. */
    private static IncrementalRemoteKeyedStateHandle unreadable(
            IncrementalRemoteKeyedStateHandle primary) {
        return new IncrementalRemoteKeyedStateHandle(
                primary.getBackendIdentifier(),
                primary.getKeyGroupRange(),
                primary.getCheckpointId(),
                unreadable(primary.getSharedState()),
                unreadable(primary.getPrivateState()),
                new UnreadableStreamStateHandle(primary.getMetaDataStateHandle()),
                primary.getCheckpointedSize());
    }

    private static List<HandleAndLocalPath> unreadable(List<HandleAndLocalPath> files) {
        List<HandleAndLocalPath> replaced = new ArrayList<>();
        for (HandleAndLocalPath file : files) {
            replaced.add(
                    HandleAndLocalPath.of(
                            new UnreadableStreamStateHandle(file.getHandle()),
                            file.getLocalPath()));
        }
        return replaced;
    }

    // ------------------------------------------------------------------------
    //  helpers
    // ------------------------------------------------------------------------

    private LocalRecoverySettings settings() {
        return ConformanceSupport.enabledSettings(localDir());
    }

    private Path localDir() {
        if (localDir == null) {
            try {
                localDir = Files.createTempDirectory(classDir, "local");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return localDir;
    }

    private LocalRecoveryRuntime runtime(Environment env) {
        return ConformanceSupport.runtime(env, settings());
    }

    private LocalRecoveryMetrics metrics(Environment env) {
        return ConformanceSupport.metrics(env, settings());
    }

    /** RocksDB's checkpoint handles, or none if the handles are not all of that kind. */
    private static List<IncrementalRemoteKeyedStateHandle> nativeHandles(
            List<KeyedStateHandle> handles) {
        List<IncrementalRemoteKeyedStateHandle> found = new ArrayList<>();
        for (KeyedStateHandle handle : handles) {
            if (handle == null) {
                continue;
            }
            if (handle.getClass() != IncrementalRemoteKeyedStateHandle.class) {
                return new ArrayList<>();
            }
            found.add((IncrementalRemoteKeyedStateHandle) handle);
        }
        return found;
    }

    private static Optional<LocalNativeCheckpointRef> lookup(
            TaskLocalSnapshotStore store, IncrementalRemoteKeyedStateHandle primary) {
        return store.lookupNative(
                primary.getBackendIdentifier().toString(), primary.getCheckpointId());
    }

    private static List<Long> checkpointIds(List<IncrementalRemoteKeyedStateHandle> handles) {
        List<Long> ids = new ArrayList<>();
        handles.forEach(handle -> ids.add(handle.getCheckpointId()));
        return ids;
    }

    private static void assertIntact(
            Path file, LocalFileEntry recorded, boolean checksummed, String description)
            throws IOException {
        assertThat(file).as(description).isRegularFile();
        assertThat(Files.size(file)).as(description).isEqualTo(recorded.getSize());
        if (checksummed) {
            assertThat(FileChecksums.crc32c(file, recorded.getSize()))
                    .as(description)
                    .isEqualTo(recorded.getCrc32c());
        }
    }

    /** A restore reads the local copy, it never changes it: a later restore may read it again. */
    private static void assertUntouched(LocalNativeCheckpointRef local) throws IOException {
        LocalNativeCheckpoint recorded = local.getNativeCheckpoint();
        Set<String> expected = new HashSet<>();
        for (LocalFileEntry file : recorded.getFiles()) {
            expected.add(file.getFileName());
            assertIntact(
                    local.getDirectory().resolve(file.getFileName()),
                    file,
                    recorded.isChecksummed(),
                    "file " + file + " of the local copy " + local + " after the restore");
        }
        assertIntact(
                local.getMetaDataFile(),
                recorded.getMetaData(),
                recorded.isChecksummed(),
                "metadata of the local copy " + local + " after the restore");
        Set<String> present = new HashSet<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(local.getDirectory())) {
            files.forEach(file -> present.add(file.getFileName().toString()));
        }
        assertThat(present)
                .as("files in the local copy %s after the restore", local)
                .isEqualTo(expected);
    }

    /** The directories assembled for a restore are deleted once it ended. */
    private static void assertNoRestoreDirectoryLeft(LocalNativeCheckpointRef local)
            throws IOException {
        Path scopeDir = local.newAssemblyDirectory().getParent();
        try (java.util.stream.Stream<Path> siblings = Files.list(scopeDir)) {
            assertThat(siblings.map(p -> p.getFileName().toString()))
                    .as("restore directories left beside %s", local)
                    .noneMatch(name -> name.startsWith("restore_"));
        }
    }

    /** A primary file that must not be read: same id and size, fails when opened. */
    private static final class UnreadableStreamStateHandle implements StreamStateHandle {

        private static final long serialVersionUID = 1L;

        private final PhysicalStateHandleID id;
        private final long size;

        UnreadableStreamStateHandle(StreamStateHandle primary) {
            this.id = primary.getStreamStateHandleID();
            this.size = primary.getStateSize();
        }

        @Override
        public FSDataInputStream openInputStream() throws IOException {
            throw new IOException("The primary file " + id + " was read; a local restore must not");
        }

        @Override
        public Optional<byte[]> asBytesIfInMemory() {
            return Optional.empty();
        }

        @Override
        public PhysicalStateHandleID getStreamStateHandleID() {
            return id;
        }

        @Override
        public void discardState() {}

        @Override
        public long getStateSize() {
            return size;
        }
    }

    /**
     * {@code StateBackendTestBase} wants a {@link ConfigurableStateBackend} (its latency and size
     * tracking tests configure the backend). Configuring configures the wrapped {@code
     * EmbeddedRocksDBStateBackend} and keeps the local-recovery settings.
     */
    private static final class ConfigurableLocalRecoveryRocksDBBackend
            extends LocalRecoveryRocksDBStateBackend implements ConfigurableStateBackend {

        private static final long serialVersionUID = 1L;

        ConfigurableLocalRecoveryRocksDBBackend(
                StateBackend delegate, LocalRecoverySettings settings) {
            super(delegate, settings);
        }

        @Override
        public StateBackend configure(ReadableConfig config, ClassLoader classLoader) {
            return new ConfigurableLocalRecoveryRocksDBBackend(
                    RocksDBBackends.configure(getDelegate(), config, classLoader), getSettings());
        }
    }
}
