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
package io.flinklocalrecovery.core.config;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.annotation.docs.Documentation;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.description.Description;

import java.time.Duration;
import java.util.List;

import static org.apache.flink.configuration.description.TextElement.code;

/**
 * Every option of the plugin. The documentation's option table is generated from these declarations
 * (see {@code docs/configuration.md} and its check test).
 */
@PublicEvolving
public final class LocalRecoveryOptions {

    /**
     * The plugin's switch. Declared as a string, not an enum, so that {@code true}/{@code false}
     * are accepted as well and an invalid value fails with a message naming the key.
     */
    @Documentation.Section(value = Documentation.Sections.COMMON_STATE_BACKENDS, position = 101)
    public static final ConfigOption<String> LOCAL_RECOVERY =
            ConfigOptions.key("state.backend.local-recovery")
                    .stringType()
                    .defaultValue(LocalRecoveryMode.DISABLED.name())
                    .withDescription(
                            Description.builder()
                                    .text(
                                            "Task-local recovery of this plugin: %s (default) or %s. "
                                                    + "With %s every checkpoint also keeps a secondary copy "
                                                    + "in task-local files, and restores read that copy first. "
                                                    + "%s and %s are accepted as synonyms. Set %s explicitly "
                                                    + "next to it (see the setup guide).",
                                            code("DISABLED"),
                                            code("ENABLE_FILE_BASED"),
                                            code("ENABLE_FILE_BASED"),
                                            code("false"),
                                            code("true"),
                                            code("execution.state-recovery.from-local"))
                                    .build());

    @Documentation.Section(value = Documentation.Sections.COMMON_STATE_BACKENDS, position = 102)
    public static final ConfigOption<List<String>> LOCAL_DIRECTORIES =
            ConfigOptions.key("state.backend.local-recovery.dirs")
                    .stringType()
                    .asList()
                    .noDefaultValue()
                    .withDescription(
                            Description.builder()
                                    .text(
                                            "Directories for the task-local copies, separated by ';' or ','. "
                                                    + "Each TaskManager uses a sub-directory named after its "
                                                    + "working directory, so several TaskManagers may share a "
                                                    + "disk. Default: %s inside the TaskManager's working "
                                                    + "directory (%s), which survives a TaskManager restart "
                                                    + "only when %s and %s are fixed. A TaskManager "
                                                    + "setting: each TaskManager reads it from its own "
                                                    + "configuration; a value in the job's configuration "
                                                    + "is ignored (with a warning) where the TaskManager "
                                                    + "sets one.",
                                            code("local-recovery"),
                                            code("process.taskmanager.working-dir"),
                                            code("taskmanager.resource-id"),
                                            code("process.taskmanager.working-dir"))
                                    .build());

    @Documentation.Section(value = Documentation.Sections.COMMON_STATE_BACKENDS, position = 103)
    public static final ConfigOption<Integer> RETAINED_CHECKPOINTS =
            ConfigOptions.key("state.backend.local-recovery.retained-checkpoints")
                    .intType()
                    .defaultValue(1)
                    .withDescription(
                            "How many confirmed (completed) checkpoints keep their local copy, newest "
                                    + "first. Checkpoints in progress are kept in addition. Independent "
                                    + "of how many checkpoints Flink retains in the checkpoint storage.");

    @Documentation.Section(value = Documentation.Sections.COMMON_STATE_BACKENDS, position = 104)
    public static final ConfigOption<Boolean> VERIFY_CHECKSUMS =
            ConfigOptions.key("state.backend.local-recovery.verify-checksums")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription(
                            "Verify the CRC32C checksum of every local file before restoring from it. "
                                    + "A file that fails is not used; its state is read from the "
                                    + "checkpoint storage instead. When false, only presence and size "
                                    + "are checked.");

    @Documentation.Section(value = Documentation.Sections.COMMON_STATE_BACKENDS, position = 105)
    public static final ConfigOption<Boolean> TRUST_UNCHANGED_SST_FILES =
            ConfigOptions.key("state.backend.local-recovery.rocksdb.trust-unchanged-sst-files")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription(
                            "RocksDB only, with checksum verification on: a local SST file whose "
                                    + "CRC32C this TaskManager process computed by reading it, and "
                                    + "which still has the same inode, size and modification time, "
                                    + "is used once without being read again; the next local "
                                    + "checkpoint reads it again in the background, which makes it "
                                    + "good for one more restore. A restore before that, and the "
                                    + "first restore after a TaskManager restart, read it in full. "
                                    + "Damage that changes none of the three is still "
                                    + "caught: RocksDB verifies its own block checksums on every "
                                    + "read, the restored task fails, and the restore that follows "
                                    + "reads the file and takes it from the checkpoint storage. Set "
                                    + "to false to read every local file on every restore.");

    @Documentation.Section(value = Documentation.Sections.COMMON_STATE_BACKENDS, position = 106)
    public static final ConfigOption<MemorySize> WRITE_BUFFER_SIZE =
            ConfigOptions.key("state.backend.local-recovery.write-buffer-size")
                    .memoryType()
                    .defaultValue(MemorySize.parse("64mb"))
                    .withDescription(
                            "Memory per TaskManager for bytes on their way to local copies. The local "
                                    + "copy is written by background threads so that a slow local disk "
                                    + "never slows the primary upload; when this buffer is full, the "
                                    + "local copy of that stream is dropped (and counted) instead.");

    @Documentation.Section(value = Documentation.Sections.COMMON_STATE_BACKENDS, position = 107)
    public static final ConfigOption<Duration> RELEASED_COPIES_LIFETIME =
            ConfigOptions.key("state.backend.local-recovery.released-copies.lifetime")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(10))
                    .withDescription(
                            "How long the local copies of a job that left a TaskManager (finished, "
                                    + "cancelled, failed for good, or placed elsewhere after a "
                                    + "failover) are kept before they are collected in the "
                                    + "background, so that the job coming back to this "
                                    + "TaskManager, or a new job started from the same retained "
                                    + "checkpoint, still restores locally. A TaskManager that "
                                    + "stops (gracefully or not) keeps its copies for its restart; "
                                    + "after the restart the lifetime of released copies goes on "
                                    + "from when they were released. 0 collects them at once.");

    @Documentation.Section(value = Documentation.Sections.COMMON_STATE_BACKENDS, position = 108)
    public static final ConfigOption<MemorySize> DISK_SIZE_LIMIT =
            ConfigOptions.key("state.backend.local-recovery.disk.size-limit")
                    .memoryType()
                    .noDefaultValue()
                    .withDescription(
                            "The most bytes the local copies of a TaskManager may hold in each of "
                                    + "its local-recovery directories, counted as the disk counts "
                                    + "them (a RocksDB file hard-linked into several local "
                                    + "checkpoints counts once). When a new local copy would "
                                    + "exceed it, the copies least likely to be restored are "
                                    + "evicted first (copies of jobs that left the TaskManager, "
                                    + "then older checkpoints); if it still does not fit, that "
                                    + "copy is skipped and counted (localWriteFailureReason."
                                    + "overBudget). A checkpoint is never failed or delayed for "
                                    + "it. Default: no limit.");

    @Documentation.Section(value = Documentation.Sections.COMMON_STATE_BACKENDS, position = 109)
    public static final ConfigOption<MemorySize> DISK_RESERVE_SIZE =
            ConfigOptions.key("state.backend.local-recovery.disk.reserve-size")
                    .memoryType()
                    .noDefaultValue()
                    .withDescription(
                            "Free space to leave on the file system of each local-recovery "
                                    + "directory, for RocksDB's working directory, spill files "
                                    + "and logs: a new local copy that would leave less is "
                                    + "handled as one over the size limit. Default: 5% of the "
                                    + "file system, at most 1 gb (nothing on a large disk, a "
                                    + "margin on a small one). 0 switches the reserve off.");

    @Documentation.Section(value = Documentation.Sections.COMMON_STATE_BACKENDS, position = 110)
    public static final ConfigOption<String> CLUSTER_ID =
            ConfigOptions.key("state.backend.local-recovery.cluster-id")
                    .stringType()
                    .defaultValue("default")
                    .withFallbackKeys("kubernetes.cluster-id", "high-availability.cluster-id")
                    .withDescription(
                            Description.builder()
                                    .text(
                                            "The Flink cluster the local copies of a TaskManager "
                                                    + "belong to. TaskManagers of a host that share a "
                                                    + "local-recovery directory (%s on a host path) "
                                                    + "take over the copies of a TaskManager of the "
                                                    + "same cluster that is gone, and borrow those of "
                                                    + "one that lives, so a restore on any of them "
                                                    + "is local; a directory of another cluster is "
                                                    + "never read or deleted. Defaults to %s or else "
                                                    + "%s when those are set. Give clusters that "
                                                    + "share a host path different ids.",
                                            code("state.backend.local-recovery.dirs"),
                                            code("kubernetes.cluster-id"),
                                            code("high-availability.cluster-id"))
                                    .build());

    private LocalRecoveryOptions() {}
}
