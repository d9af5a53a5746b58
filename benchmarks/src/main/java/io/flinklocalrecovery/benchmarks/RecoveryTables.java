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

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The recovery time tables, one per state size, and the plot above them. */
final class RecoveryTables {

    private static final long MB = 1024L * 1024L;

    private final BenchmarkRun run;
    private final BenchmarkSettings s;
    private final MarkdownPage out;

    RecoveryTables(BenchmarkRun run, MarkdownPage out) {
        this.run = run;
        this.s = run.settings;
        this.out = out;
    }

    void render(Path plot) {
        out.line(
                String.format(
                        Locale.ROOT,
                        "## Recovery time (primary at %.0f MB/s + %d ms)",
                        s.remoteMbPerSecond,
                        s.remoteLatencyMs));
        out.line();
        out.line(
                "![Recovery time versus state size, per setup]("
                        + plot.toString().replace('\\', '/')
                        + ")");
        out.line();
        out.line(
                "Medians over the failures of each setup, [min–max] where there was more than one."
                        + " Bytes are per recovery (median). Columns are defined under"
                        + " [Definitions](#definitions).");
        out.line();
        for (int size : s.sizesMb) {
            out.line("### " + size + " MB of keyed state");
            out.line();
            out.line(
                    "| setup | recovery time | slowest state init (Flink) | keyed subtask init"
                            + " (Flink) | restored local / remote (Flink) | restored local /"
                            + " remote (plugin) | local restore rate | failures | check |");
            out.line("|---|---|---|---|---|---|---|---|---|");
            for (Setup setup : s.setups()) {
                Optional<SetupResult> found = run.throttled(setup, size);
                if (!found.isPresent()) {
                    continue;
                }
                SetupResult r = found.get();
                RecoveryColumns columns = new RecoveryColumns(r);
                List<Double> rates = new ArrayList<>();
                for (SetupResult.Recovery recovery : r.recoveries) {
                    long localBytes =
                            setup.mode == Setup.Mode.PLUGIN
                                    ? recovery.pluginBytesLocal
                                    : recovery.flinkBytesLocalDisk;
                    if (localBytes > 0 && recovery.maxInitializeStateMs > 0) {
                        rates.add(
                                localBytes
                                        / (double) MB
                                        / (recovery.maxInitializeStateMs / 1000.0));
                    }
                }
                Stats rate = Stats.of(rates);
                String rateText =
                        rate.empty()
                                ? "—"
                                : String.format(
                                        Locale.ROOT,
                                        "%.0f MB/s = %s of page cache, %s of disk",
                                        rate.median,
                                        percent(rate.median, run.limits.pageCacheReadMbPerSecond),
                                        percent(rate.median, run.limits.diskReadMbPerSecond));
                out.line(
                        String.format(
                                Locale.ROOT,
                                "| %s | %s | %s | %s | %s | %s | %s | %d | %s |",
                                setup.label(),
                                Stats.of(r.recoveryMs()).seconds(),
                                columns.slowestStateInit(),
                                columns.keyedSubtaskInit(),
                                columns.flinkBytes(),
                                columns.pluginBytes(),
                                rateText,
                                r.recoveries.size(),
                                check(r)));
            }
            out.line();
        }
    }

    private static String percent(double value, double limit) {
        return limit > 0 ? String.format(Locale.ROOT, "%.0f %%", value / limit * 100) : "n/a";
    }

    private static String check(SetupResult r) {
        if (!r.ok()) {
            return "**FAILED** (see Problems)";
        }
        return String.format(
                Locale.ROOT,
                "ok (%,d keys held, %,d of %,d verified over %d recoveries, %d wrong)",
                r.keysHeld,
                r.keysChecked,
                r.keysHeld * r.recoveries.size(),
                r.recoveries.size(),
                r.valuesWrong + r.keysMissing);
    }
}
