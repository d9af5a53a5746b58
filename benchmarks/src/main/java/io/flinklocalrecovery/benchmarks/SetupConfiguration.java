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
package io.flinklocalrecovery.benchmarks;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.configuration.TaskManagerOptions;

import io.flinklocalrecovery.core.config.LocalRecoveryOptions;
import io.flinklocalrecovery.fs.LocalRecoveryHashMapStateBackendFactory;
import io.flinklocalrecovery.rocksdb.LocalRecoveryRocksDBStateBackendFactory;
import io.flinklocalrecovery.testutils.fs.ThrottledFileSystem;
import io.flinklocalrecovery.testutils.fs.ThrottledFileSystemFactory;
import io.flinklocalrecovery.testutils.metrics.InMemoryMetricReporter;
import io.flinklocalrecovery.testutils.minicluster.LoopbackMiniClusterConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The configuration of one setup: the MiniCluster's (reporters, the emulated primary, Flink's
 * local-state directories) and the job's (backend, local recovery, checkpoints, restarts).
 */
final class SetupConfiguration {

    /** Unthrottled primary: the same scheme, no bandwidth limit, no latency. */
    static final double UNTHROTTLED_MB_PER_SECOND = 1e9;

    /** The name under which the in-memory metric and trace reporters are configured. */
    private static final String REPORTER_NAME = "bench";

    private SetupConfiguration() {}

    static Configuration cluster(
            BenchmarkSettings settings, Setup setup, Path dir, Path localRoot, boolean throttled)
            throws IOException {
        Configuration config = LoopbackMiniClusterConfig.in(dir);
        // RocksDB's managed memory (shared by the slots); unused by the heap backend
        config.set(
                TaskManagerOptions.MANAGED_MEMORY_SIZE,
                MemorySize.ofMebiBytes(settings.quick ? 128 : 512));
        MetricOptions.forReporter(config, REPORTER_NAME)
                .set(
                        MetricOptions.REPORTER_FACTORY_CLASS,
                        InMemoryMetricReporter.Factory.class.getName());
        // by its key: Flink 1.20's TraceOptions has no forReporter
        config.set(
                ConfigOptions.key("traces.reporter." + REPORTER_NAME + ".factory.class")
                        .stringType()
                        .noDefaultValue(),
                InMemoryMetricReporter.TraceFactory.class.getName());
        config.set(
                ThrottledFileSystemFactory.BANDWIDTH_MB_PER_SECOND,
                throttled ? settings.remoteMbPerSecond : UNTHROTTLED_MB_PER_SECOND);
        config.set(ThrottledFileSystemFactory.LATENCY_MS, throttled ? settings.remoteLatencyMs : 0);
        // Flink creates its local-state root directories whatever the flags say
        switch (setup.mode) {
            case NONE:
                config.set(
                        CheckpointingOptions.LOCAL_RECOVERY_TASK_MANAGER_STATE_ROOT_DIRS,
                        directory(dir, "flink-local-state"));
                config.set(StateRecoveryOptions.LOCAL_RECOVERY, false);
                config.set(CheckpointingOptions.LOCAL_BACKUP_ENABLED, false);
                break;
            case BUILT_IN:
                // Flink's built-in keeps its copies here (read by the TaskManager at start)
                config.set(
                        CheckpointingOptions.LOCAL_RECOVERY_TASK_MANAGER_STATE_ROOT_DIRS,
                        Files.createDirectories(localRoot).toString());
                config.set(StateRecoveryOptions.LOCAL_RECOVERY, true);
                config.set(CheckpointingOptions.LOCAL_BACKUP_ENABLED, true);
                break;
            case PLUGIN:
                config.set(
                        CheckpointingOptions.LOCAL_RECOVERY_TASK_MANAGER_STATE_ROOT_DIRS,
                        directory(dir, "flink-local-state"));
                config.set(StateRecoveryOptions.LOCAL_RECOVERY, true);
                config.set(CheckpointingOptions.LOCAL_BACKUP_ENABLED, false);
                break;
            default:
                throw new IllegalArgumentException(setup.mode.toString());
        }
        return config;
    }

    static Configuration job(
            BenchmarkSettings settings, Setup setup, Path dir, Path localRoot, int failures)
            throws IOException {
        Configuration config = new Configuration();
        config.set(PipelineOptions.NAME, "flr-benchmark " + setup.id());
        config.set(CoreOptions.DEFAULT_PARALLELISM, settings.parallelism);
        config.set(PipelineOptions.OBJECT_REUSE, true);
        boolean plugin = setup.mode == Setup.Mode.PLUGIN;
        if (setup.backend.isRocksDB()) {
            config.set(
                    StateBackendOptions.STATE_BACKEND,
                    plugin ? LocalRecoveryRocksDBStateBackendFactory.class.getName() : "rocksdb");
            config.set(
                    CheckpointingOptions.INCREMENTAL_CHECKPOINTS,
                    setup.backend == Setup.Backend.ROCKSDB_INCREMENTAL);
        } else {
            config.set(
                    StateBackendOptions.STATE_BACKEND,
                    plugin ? LocalRecoveryHashMapStateBackendFactory.class.getName() : "hashmap");
        }
        switch (setup.mode) {
            case NONE:
                config.set(StateRecoveryOptions.LOCAL_RECOVERY, false);
                config.set(CheckpointingOptions.LOCAL_BACKUP_ENABLED, false);
                break;
            case BUILT_IN:
                config.set(StateRecoveryOptions.LOCAL_RECOVERY, true);
                config.set(CheckpointingOptions.LOCAL_BACKUP_ENABLED, true);
                break;
            case PLUGIN:
                config.set(LocalRecoveryOptions.LOCAL_RECOVERY, "ENABLE_FILE_BASED");
                config.set(StateRecoveryOptions.LOCAL_RECOVERY, true);
                config.set(CheckpointingOptions.LOCAL_BACKUP_ENABLED, false);
                config.set(
                        LocalRecoveryOptions.LOCAL_DIRECTORIES,
                        List.of(Files.createDirectories(localRoot).toString()));
                break;
            default:
                throw new IllegalArgumentException(setup.mode.toString());
        }
        config.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        config.set(
                CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                // with an authority: Flink's restore metrics count a file as REMOTE only when its
                // URI has the form scheme://... and the scheme is not file
                ThrottledFileSystem.SCHEME
                        + "://remote"
                        + Files.createDirectories(dir.resolve("primary")).toUri().getPath());
        config.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofSeconds(1));
        config.set(CheckpointingOptions.MIN_PAUSE_BETWEEN_CHECKPOINTS, Duration.ofMillis(500));
        config.set(CheckpointingOptions.CHECKPOINTING_TIMEOUT, Duration.ofMinutes(10));
        config.set(CheckpointingOptions.TOLERABLE_FAILURE_NUMBER, 100);
        // every state stream becomes a file in the checkpoint storage
        config.set(CheckpointingOptions.FS_SMALL_FILE_THRESHOLD, MemorySize.ZERO);
        config.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, failures + 2);
        config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ZERO);
        return config;
    }

    private static String directory(Path parent, String name) throws IOException {
        return LoopbackMiniClusterConfig.directory(parent, name);
    }
}
