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

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The tables of checkpoint cost in steady state, one per primary store and size. */
final class CheckpointTables {

    private final BenchmarkRun run;
    private final BenchmarkSettings s;
    private final MarkdownPage out;

    CheckpointTables(BenchmarkRun run, MarkdownPage out) {
        this.run = run;
        this.s = run.settings;
        this.out = out;
    }

    void render() {
        out.line("## Checkpoint cost in steady state");
        out.line();
        out.line(
                "Completed checkpoints that hold the whole state, without the first one of the job"
                        + " (for RocksDB incremental it uploads everything). Duration is Flink's"
                        + " (trigger to last acknowledgement). Primary bytes are Flink's"
                        + " `checkpointedSize` (incremental: what this checkpoint uploaded). Local"
                        + " bytes are new bytes in the local-copy directory per checkpoint (of"
                        + " which in files hard-linked from RocksDB's live database, which are not"
                        + " written twice); local disk held is the largest sample after a"
                        + " completed checkpoint, each file counted once.");
        out.line();
        out.line(
                "RocksDB incremental checkpoints are small and their duration depends on whether a"
                        + " flush or compaction produced new SST files just before them: compare"
                        + " the primary bytes column, and read a ratio against no-local whose"
                        + " primary bytes differ a lot as noise of few samples rather than as the"
                        + " cost of the local copy.");
        out.line();
        if (s.unthrottledSizeMb > 0) {
            out.line("### Unthrottled primary, " + s.unthrottledSizeMb + " MB");
            out.line();
            checkpointTable(run.unthrottled);
        }
        for (int size : s.sizesMb) {
            out.line(
                    String.format(
                            Locale.ROOT,
                            "### Primary at %.0f MB/s, %d MB",
                            s.remoteMbPerSecond,
                            size));
            out.line();
            List<SetupResult> results = new ArrayList<>();
            for (SetupResult r : run.throttled) {
                if (r.stateMb == size) {
                    results.add(r);
                }
            }
            checkpointTable(results);
        }
    }

    private void checkpointTable(List<SetupResult> results) {
        out.line(
                "| setup | checkpoints | duration | ÷ no-local | primary bytes / checkpoint |"
                        + " local new bytes / checkpoint (hard links) | local disk held (max) |");
        out.line("|---|---|---|---|---|---|---|");
        for (SetupResult r : results) {
            Stats duration = Stats.of(r.checkpointMs());
            double none =
                    results.stream()
                            .filter(
                                    x ->
                                            x.setup.backend == r.setup.backend
                                                    && x.setup.mode == Setup.Mode.NONE)
                            .findFirst()
                            .map(x -> Stats.of(x.checkpointMs()).median)
                            .orElse(Double.NaN);
            List<Long> primary = new ArrayList<>();
            for (SetupResult.Checkpoint c : r.steadyCheckpoints) {
                primary.add(c.checkpointedBytes);
            }
            String local =
                    r.setup.mode == Setup.Mode.NONE
                            ? "—"
                            : r.localNewBytesPerCheckpoint() < 0
                                    ? "n/a"
                                    : ByteSize.format(r.localNewBytesPerCheckpoint())
                                            + " ("
                                            + ByteSize.format(
                                                    r.localNewHardLinkedBytesPerCheckpoint())
                                            + ")";
            String held =
                    r.setup.mode == Setup.Mode.NONE
                            ? "—"
                            : ByteSize.format(r.maxLocalHeld())
                                    + (r.localHeldHardLinkedBytes > 0
                                            ? " ("
                                                    + ByteSize.format(r.localHeldHardLinkedBytes)
                                                    + " hard links, last sample)"
                                            : "");
            out.line(
                    String.format(
                            Locale.ROOT,
                            "| %s | %d | %s | %s | %s | %s | %s |",
                            r.setup.label(),
                            duration.count,
                            duration.seconds(),
                            Double.isNaN(none) || duration.empty() || none <= 0
                                    ? "—"
                                    : String.format(Locale.ROOT, "%.2f", duration.median / none),
                            Stats.of(primary).bytes(),
                            local,
                            held));
        }
        out.line();
    }
}
