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
package io.flinklocalrecovery.demo;

import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.configuration.WebOptions;

import io.flinklocalrecovery.core.config.LocalRecoveryMode;
import io.flinklocalrecovery.core.config.LocalRecoveryOptions;
import io.flinklocalrecovery.fs.LocalRecoveryHashMapStateBackendFactory;
import io.flinklocalrecovery.rocksdb.LocalRecoveryRocksDBStateBackendFactory;
import io.flinklocalrecovery.testutils.fs.ThrottledFileSystem;
import io.flinklocalrecovery.testutils.fs.ThrottledFileSystemFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * One of the demo's cluster setups: a state backend, with the plugin or without it. The two Flink
 * keys of the documented setup are the same in both, so that the plugin's mode is the only
 * difference.
 */
@Internal
record DemoSetup(Backend backend, boolean plugin) {

    /** The plugin's two state backends, each named by its factory in {@code config.yaml}. */
    enum Backend {
        HEAP("heap", LocalRecoveryHashMapStateBackendFactory.class.getName(), false, "16m"),
        ROCKSDB(
                "RocksDB incremental",
                LocalRecoveryRocksDBStateBackendFactory.class.getName(),
                true,
                "256m");

        final String label;
        final String factory;
        final boolean incremental;

        /** Heap state lives on the task heap; RocksDB gets managed (native) memory. */
        final MemorySize managedMemory;

        Backend(String label, String factory, boolean incremental, String managedMemory) {
            this.label = label;
            this.factory = factory;
            this.incremental = incremental;
            this.managedMemory = MemorySize.parse(managedMemory);
        }
    }

    String label() {
        return backend.label + (plugin ? ", plugin" : ", no plugin");
    }

    /** The value of {@code state.backend.local-recovery} in this setup. */
    LocalRecoveryMode mode() {
        return plugin ? LocalRecoveryMode.ENABLE_FILE_BASED : LocalRecoveryMode.DISABLED;
    }

    /** A directory name for this setup. */
    String directoryName() {
        return backend.name().toLowerCase(Locale.ROOT) + (plugin ? "-plugin" : "-none");
    }

    /**
     * The cluster's {@code config.yaml} settings beyond {@code StandaloneFlinkCluster}'s own
     * defaults: the backend, the plugin's mode, the emulated remote checkpoint storage in {@code
     * remoteCheckpoints}, checkpoints only when the demo triggers them.
     */
    Map<String, String> clusterConfig(DemoSettings settings, Path remoteCheckpoints) {
        Configuration config = new Configuration();
        config.set(StateBackendOptions.STATE_BACKEND, backend.factory);
        config.set(LocalRecoveryOptions.LOCAL_RECOVERY, mode().name());
        config.set(StateRecoveryOptions.LOCAL_RECOVERY, true);
        config.set(CheckpointingOptions.LOCAL_BACKUP_ENABLED, false);
        config.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, backend.incremental);
        config.set(
                CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                ThrottledFileSystem.SCHEME + "://" + remoteCheckpoints.toUri().getPath());
        // the demo triggers the checkpoints it restores from, once the state is built: no other
        // checkpoint completes between the check that the local copies are committed and the
        // failure (the periodic ones are a day apart)
        config.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofDays(1));
        config.set(CheckpointingOptions.CHECKPOINTING_TIMEOUT, Duration.ofMinutes(5));
        config.set(CheckpointingOptions.TOLERABLE_FAILURE_NUMBER, 10);
        config.set(ThrottledFileSystemFactory.BANDWIDTH_MB_PER_SECOND, settings.remoteMbPerSecond);
        config.set(ThrottledFileSystemFactory.LATENCY_MS, settings.remoteLatencyMs);
        config.set(CoreOptions.DEFAULT_PARALLELISM, settings.parallelism);
        config.set(PipelineOptions.OBJECT_REUSE, true);
        config.set(TaskManagerOptions.NUM_TASK_SLOTS, DemoSettings.SLOTS_PER_TASK_MANAGER);
        config.set(TaskManagerOptions.TOTAL_PROCESS_MEMORY, MemorySize.parse("1536m"));
        config.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, backend.managedMemory);
        config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, restartDelay());
        // the REST API serves the execution graph without its default 3 s cache
        config.set(WebOptions.REFRESH_INTERVAL, Duration.ofMillis(200));
        return config.toMap();
    }

    /** The restart strategy's delay (fixed-delay), part of every recovery time. */
    static Duration restartDelay() {
        return Duration.ofMillis(200);
    }
}
