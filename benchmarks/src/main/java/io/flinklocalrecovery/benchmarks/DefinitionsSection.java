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

/** The definitions of the setups and columns, and how to run the benchmark. */
final class DefinitionsSection {

    private final BenchmarkSettings s;
    private final MarkdownPage out;

    DefinitionsSection(BenchmarkSettings settings, MarkdownPage out) {
        this.s = settings;
        this.out = out;
    }

    void render() {
        out.line("## Definitions");
        out.line();
        out.line(
                "- **Setup.** One MiniCluster with one TaskManager, "
                        + s.parallelism
                        + " slots and a fresh directory per setup; job parallelism "
                        + s.parallelism
                        + ". The job: a generator source emits every key once as fast as it can"
                        + " (building the state), then cycles over the keys at "
                        + (int) s.recordsPerSecondAfterBuild
                        + " records/s per source subtask; a keyed function holds one "
                        + s.valueBytes
                        + "-byte incompressible value per key (ValueState<byte[]>) and rewrites it"
                        + " on every record. Checkpoints every 1 s (min pause 500 ms), every state"
                        + " stream a file (`execution.checkpointing.data-inline-threshold: 0 b`).");
        out.line(
                "- **Backends.** heap: `HashMapStateBackend`, every checkpoint a full copy."
                        + " RocksDB incremental: `execution.checkpointing.incremental: true`."
                        + " RocksDB full: `execution.checkpointing.incremental: false`, which in"
                        + " Flink 2.x is the *native full* checkpoint (every checkpoint uploads all"
                        + " SST files; the local copy, Flink's or the plugin's, is a hard-linked"
                        + " native RocksDB checkpoint, no stream is duplicated).");
        out.line(
                "- **Plugin verification.** The plugin runs with its defaults: every local file"
                        + " is checked for presence and size, and for its CRC32C by reading it,"
                        + " before it is used. Exception (RocksDB,"
                        + " `state.backend.local-recovery.rocksdb.trust-unchanged-sst-files`): an"
                        + " SST file whose CRC32C the same TaskManager process computed by reading"
                        + " it and that has the same inode, size and modification time since is"
                        + " used once without reading it again; a later restore reads it unless it"
                        + " was read again in between (as when a later local checkpoint"
                        + " checksums it). Some restores here therefore read SST files and some"
                        + " do not; the min–max ranges include both. Flink's built-in checks"
                        + " nothing.");
        out.line(
                "- **Failures.** Injected by the keyed function itself, deterministically: after "
                        + s.failAfterCheckpoints
                        + " completed checkpoints holding the whole state in the current attempt"
                        + " (counted with `CheckpointListener`), the next record throws. The"
                        + " restart strategy restarts at once (fixed delay 0 s); the whole job is"
                        + " one pipelined region, so every task restarts.");
        out.line(
                "- **Recovery time.** From the injected exception until every keyed subtask"
                        + " of the new attempt processed its first record (timestamps taken in the"
                        + " job). Includes cancelling, rescheduling, deploying and the state"
                        + " restore.");
        out.line(
                "- **Slowest state init (Flink).** Flink's JobInitialization trace,"
                        + " `maxInitializeStateDurationMs` over all subtasks of the restored"
                        + " attempt. **Keyed subtask init** is Flink's task metric"
                        + " `initializationTime` of each keyed subtask (task initialisation"
                        + " including the restore), median over subtasks and failures.");
        out.line(
                "- **Restored local / remote (Flink).** Flink's restore metrics"
                        + " (`sumRestoredStateSizeBytes.LOCAL_DISK` and `.REMOTE` of the"
                        + " JobInitialization trace), summed over subtasks. **(plugin)**: the"
                        + " plugin's `localRecovery.restoredBytesLocal` / `restoredBytesRemote`,"
                        + " summed over subtasks (keyed and operator state). Flink's metrics"
                        + " are computed from the handles Flink hands to the backend, before the"
                        + " plugin substitutes its local copies, so for the plugin they show its"
                        + " local restores as REMOTE; the plugin's own metrics are the ones that"
                        + " tell where its bytes came from.");
        out.line(
                "- **Local restore rate.** Bytes restored from local disk (Flink's metric; the"
                        + " plugin's own for the plugin) ÷ slowest state init: the"
                        + " aggregate rate of the parallel restores, as a fraction of the"
                        + " machine's limits above. For RocksDB incremental the local restore"
                        + " hard-links SST files instead of reading them, so the rate is"
                        + " nominal and can exceed the limits.");
        out.line(
                "- **Correctness.** After each restore the keyed function compares every value it"
                        + " reads with the value it wrote, and counts missing keys; a setup with a"
                        + " wrong or missing value, an unexpected restart, or (built-in, plugin) a"
                        + " restore that was not local is listed under Problems.");
        out.line();
        out.line("## How to run");
        out.line();
        out.line("From the repository root, on an idle machine:");
        out.line();
        out.line("```");
        out.line(s.commandLine);
        out.line("```");
        out.line();
        out.line(
                "It writes this page and the plot. Options (`-D...`): `bench.sizesMb` (256,1024;"
                        + " add 2048 for 2 GB, and raise `-Dbench.jvmArgs=-Xmx...`),"
                        + " `bench.failures` (5), `bench.failAfterCheckpoints` (2),"
                        + " `bench.remoteMbPerSecond` (100), `bench.remoteLatencyMs` (20),"
                        + " `bench.unthrottledSizeMb` (1024, 0 skips the pass),"
                        + " `bench.unthrottledCheckpoints` (6), `bench.backends`"
                        + " (heap,rocksdb-incremental,rocksdb-full), `bench.modes`"
                        + " (none,built-in,plugin), `bench.parallelism` (2), `bench.note` (text"
                        + " for this page), `bench.pluginLogLevel` (ERROR; INFO logs every"
                        + " restore of the plugin with its verification and restore times). The"
                        + " smoke test"
                        + " `BenchmarkSmokeITCase` (`mvn -pl benchmarks verify`) runs every setup"
                        + " with 4 MB of state and one failure, and never the full matrix.");
        out.line();
        out.line(
                "The sections below have benchmarks of their own, each rewriting only its"
                        + " section: `mvn -q -DskipTests -Prescale-benchmark verify` (rescaling in"
                        + " place) and `mvn -q -DskipTests -Preplaced-taskmanager-benchmark verify`"
                        + " (a TaskManager replaced by one with a new identity;"
                        + " `bench.replacedSizeMb`, 1024, and `bench.failures`, 3). Their smoke"
                        + " tests, `RescaleBenchmarkSmokeITCase` and"
                        + " `ReplacedTaskManagerBenchmarkSmokeITCase`, run in CI.");
    }
}
