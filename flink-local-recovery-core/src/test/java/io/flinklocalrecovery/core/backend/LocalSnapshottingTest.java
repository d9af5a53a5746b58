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

import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.checkpoint.CheckpointOptions;
import org.apache.flink.runtime.checkpoint.SavepointType;
import org.apache.flink.runtime.state.CheckpointStorageLocationReference;
import org.apache.flink.runtime.state.CheckpointStreamFactory;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.runtime.state.SnapshotResult;
import org.apache.flink.runtime.state.memory.MemCheckpointStreamFactory;
import org.apache.flink.util.concurrent.FutureUtils;

import io.flinklocalrecovery.core.config.LocalRecoveryMode;
import io.flinklocalrecovery.core.config.LocalRecoverySettings;
import io.flinklocalrecovery.core.metrics.LocalRecoveryMetrics;
import io.flinklocalrecovery.core.metrics.LocalWriteFailure;
import io.flinklocalrecovery.core.snapshot.DuplicatingStreamFactory;
import io.flinklocalrecovery.core.snapshot.LocalFileOutputFactory;
import io.flinklocalrecovery.core.store.LocalSnapshotScope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** Which snapshots get local copies: checkpoints do, savepoints never do. */
class LocalSnapshottingTest {

    private static final LocalSnapshotScope SCOPE =
            new LocalSnapshotScope("job1", "op1", 0, LocalSnapshotScope.Kind.KEYED);

    @TempDir Path tmp;

    private final CheckpointStreamFactory primary = new MemCheckpointStreamFactory(1024);
    private final AtomicReference<CheckpointStreamFactory> seen = new AtomicReference<>();

    @AfterEach
    void tearDown() {
        LocalRecoveryRuntime.shutDownAll();
    }

    @Test
    void checkpointsAreDuplicatedIntoALocalCheckpoint() throws Exception {
        LocalRecoveryRuntime runtime = runtime();
        LocalSnapshotting snapshotting = new LocalSnapshotting(runtime, SCOPE, metrics());

        RunnableFuture<SnapshotResult<KeyedStateHandle>> future =
                snapshotting.snapshot(
                        7,
                        primary,
                        CheckpointOptions.forCheckpointWithDefaultLocation(),
                        this::record);

        assertThat(seen.get()).isInstanceOf(DuplicatingStreamFactory.class);
        assertThat(runtime.store().pendingCheckpoints("job1")).isEqualTo(1);
        FutureUtils.runIfNotDoneAndGet(future);
    }

    /** A task still snapshotting when its TaskManager's store was closed (a shutdown, a reset). */
    @Test
    void aStoreThatCannotBeginPassesTheCheckpointThroughAndCountsIt() throws Exception {
        LocalRecoveryRuntime runtime = runtime();
        LocalRecoveryMetrics metrics = metrics();
        LocalSnapshotting snapshotting = new LocalSnapshotting(runtime, SCOPE, metrics);
        runtime.store().close();

        RunnableFuture<SnapshotResult<KeyedStateHandle>> future =
                snapshotting.snapshot(
                        7,
                        primary,
                        CheckpointOptions.forCheckpointWithDefaultLocation(),
                        this::record);

        assertThat(seen.get()).isSameAs(primary);
        assertThat(FutureUtils.runIfNotDoneAndGet(future)).isNotNull();
        assertThat(metrics.getLocalWriteFailures(LocalWriteFailure.WRITE_ERROR)).isOne();
    }

    @Test
    void savepointsPassThroughWithoutLocalCopy() throws Exception {
        LocalRecoveryRuntime runtime = runtime();
        LocalSnapshotting snapshotting = new LocalSnapshotting(runtime, SCOPE, metrics());
        CheckpointOptions savepoint =
                new CheckpointOptions(
                        SavepointType.savepoint(SavepointFormatType.CANONICAL),
                        CheckpointStorageLocationReference.getDefault());

        snapshotting.snapshot(8, primary, savepoint, this::record);

        assertThat(seen.get()).isSameAs(primary);
        assertThat(runtime.store().pendingCheckpoints("job1")).isZero();
        assertThat(runtime.store().scopes("job1")).isEmpty();
    }

    @Test
    void unusableLocalDirectoriesPassThroughAndAreCountedPerCheckpoint() throws Exception {
        LocalRecoveryMetrics metrics = metrics();
        LocalSnapshotting snapshotting =
                new LocalSnapshotting(LocalRecoveryRuntime.UNAVAILABLE, SCOPE, metrics);

        snapshotting.snapshot(
                9, primary, CheckpointOptions.forCheckpointWithDefaultLocation(), this::record);

        assertThat(seen.get()).isSameAs(primary);
        assertThat(metrics.getLocalWriteFailures(LocalWriteFailure.DIRECTORY_NOT_CREATABLE))
                .isEqualTo(1);
    }

    private RunnableFuture<SnapshotResult<KeyedStateHandle>> record(
            CheckpointStreamFactory factory) {
        seen.set(factory);
        return org.apache.flink.runtime.state.DoneFuture.of(SnapshotResult.empty());
    }

    private LocalRecoveryRuntime runtime() {
        return LocalRecoveryRuntime.forRoots(
                List.of(tmp.resolve("local")),
                new LocalRecoverySettings(
                        LocalRecoveryMode.ENABLE_FILE_BASED, List.of(), 1, true, 64L * 1024 * 1024),
                LocalFileOutputFactory.DEFAULT);
    }

    private static LocalRecoveryMetrics metrics() {
        return LocalRecoveryMetrics.unregistered(() -> 0L);
    }
}
