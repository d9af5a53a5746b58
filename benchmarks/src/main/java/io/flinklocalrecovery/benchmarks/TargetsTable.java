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

/** The targets: ratios of medians between setups, each met or missed as measured. */
final class TargetsTable {

    private final BenchmarkRun run;
    private final BenchmarkSettings s;
    private final MarkdownPage out;

    TargetsTable(BenchmarkRun run, MarkdownPage out) {
        this.run = run;
        this.s = run.settings;
        this.out = out;
    }

    private int largestSize() {
        int largest = 0;
        for (int size : s.sizesMb) {
            largest = Math.max(largest, size);
        }
        return largest;
    }

    private double medianRecovery(Setup setup, int size) {
        return run.throttled(setup, size)
                .filter(SetupResult::ok)
                .map(r -> Stats.of(r.recoveryMs()).median)
                .orElse(Double.NaN);
    }

    /** Median of Flink's initializationTime over the keyed subtasks of every restored attempt. */
    private double medianKeyedInit(Setup setup, int size) {
        return run.throttled(setup, size)
                .filter(SetupResult::ok)
                .map(
                        r -> {
                            List<Long> init = new ArrayList<>();
                            for (SetupResult.Recovery recovery : r.recoveries) {
                                init.addAll(recovery.keyedSubtaskInitializationMs);
                            }
                            return init.isEmpty() ? Double.NaN : Stats.of(init).median;
                        })
                .orElse(Double.NaN);
    }

    private double medianCheckpoint(Setup setup) {
        return run.unthrottled(setup)
                .filter(r -> r.problems.isEmpty())
                .map(r -> Stats.of(r.checkpointMs()).median)
                .orElse(Double.NaN);
    }

    void render() {
        out.line("## Targets");
        out.line();
        out.line(
                "Ratios of medians, same run, same machine. A missed target is reported as"
                        + " measured; the benchmark is not tuned to meet it. Recovery time"
                        + " includes the JobManager's failover (failure reported, job restarting,"
                        + " tasks redeployed), which varies by tens of milliseconds from one"
                        + " failure to the next whatever the setup; where recoveries take a few"
                        + " hundred milliseconds, the *keyed subtask init* rows compare the"
                        + " restores alone.");
        out.line();
        out.line("| target | measured | result |");
        out.line("|---|---|---|");
        for (int size : s.sizesMb) {
            for (Setup.Backend backend : s.backends) {
                double limit = backend == Setup.Backend.HEAP ? 1.0 : 1.05;
                double plugin = medianRecovery(new Setup(backend, Setup.Mode.PLUGIN), size);
                double builtIn = medianRecovery(new Setup(backend, Setup.Mode.BUILT_IN), size);
                targetRow(
                        String.format(
                                Locale.ROOT,
                                "%s, %d MB, %.0f MB/s: plugin recovery time ≤ %.2f × built-in",
                                backend.label,
                                size,
                                s.remoteMbPerSecond,
                                limit),
                        plugin,
                        builtIn,
                        limit,
                        false);
                double pluginInit = medianKeyedInit(new Setup(backend, Setup.Mode.PLUGIN), size);
                double builtInInit = medianKeyedInit(new Setup(backend, Setup.Mode.BUILT_IN), size);
                if (!Double.isNaN(pluginInit) && !Double.isNaN(builtInInit) && builtInInit > 0) {
                    out.line(
                            String.format(
                                    Locale.ROOT,
                                    "| (for comparison) %s, %d MB: plugin keyed subtask init ÷"
                                            + " built-in (the restore alone) | %.2f × (%.3f s ÷"
                                            + " %.3f s) | — |",
                                    backend.label,
                                    size,
                                    pluginInit / builtInInit,
                                    pluginInit / 1000,
                                    builtInInit / 1000));
                }
            }
        }
        int size = largestSize();
        String at = size == 1024 ? "1 GB" : size + " MB (target defined at 1 GB; 1 GB not run)";
        String bandwidth =
                s.remoteMbPerSecond == 100
                        ? "100 MB/s"
                        : String.format(
                                Locale.ROOT,
                                "%.0f MB/s (target defined at 100 MB/s)",
                                s.remoteMbPerSecond);
        for (Setup.Backend backend : s.backends) {
            double limit = backend == Setup.Backend.HEAP ? 10 : 40;
            double none = medianRecovery(new Setup(backend, Setup.Mode.NONE), size);
            double plugin = medianRecovery(new Setup(backend, Setup.Mode.PLUGIN), size);
            double builtIn = medianRecovery(new Setup(backend, Setup.Mode.BUILT_IN), size);
            targetRow(
                    String.format(
                            Locale.ROOT,
                            "%s, %s, %s: no-local recovery time ≥ %.0f × plugin",
                            backend.label,
                            at,
                            bandwidth,
                            limit),
                    none,
                    plugin,
                    limit,
                    true);
            if (!Double.isNaN(none) && !Double.isNaN(builtIn) && builtIn > 0) {
                out.line(
                        String.format(
                                Locale.ROOT,
                                "| (for comparison) %s, %s: no-local ÷ built-in | %.1f × | — |",
                                backend.label,
                                at,
                                none / builtIn));
            }
        }
        if (s.unthrottledSizeMb > 0) {
            for (Setup.Backend backend : s.backends) {
                double limit = backend == Setup.Backend.HEAP ? 1.10 : 1.02;
                double plugin = medianCheckpoint(new Setup(backend, Setup.Mode.PLUGIN));
                double none = medianCheckpoint(new Setup(backend, Setup.Mode.NONE));
                double builtIn = medianCheckpoint(new Setup(backend, Setup.Mode.BUILT_IN));
                targetRow(
                        String.format(
                                Locale.ROOT,
                                "%s, %d MB, unthrottled primary: plugin checkpoint duration ≤"
                                        + " %.2f × no-local",
                                backend.label,
                                s.unthrottledSizeMb,
                                limit),
                        plugin,
                        none,
                        limit,
                        false);
                if (!Double.isNaN(none) && !Double.isNaN(builtIn) && none > 0) {
                    out.line(
                            String.format(
                                    Locale.ROOT,
                                    "| (for comparison) %s: built-in checkpoint duration ÷"
                                            + " no-local | %.2f × | — |",
                                    backend.label,
                                    builtIn / none));
                }
            }
        } else {
            out.line(
                    "| checkpoint cost with an unthrottled primary | not run"
                            + " (`bench.unthrottledSizeMb=0`) | not evaluated |");
        }
        out.line();
    }

    /** A ratio target: {@code numerator / denominator ≤ limit}, or ≥ when {@code atLeast}. */
    private void targetRow(
            String target, double numerator, double denominator, double limit, boolean atLeast) {
        if (Double.isNaN(numerator) || Double.isNaN(denominator) || denominator <= 0) {
            out.line("| " + target + " | not measured (setup missing or failed) | not evaluated |");
            return;
        }
        double ratio = numerator / denominator;
        boolean met = atLeast ? ratio >= limit : ratio <= limit;
        String measured =
                String.format(
                        Locale.ROOT,
                        "%.2f × (%s s ÷ %s s)",
                        ratio,
                        fmt(numerator / 1000),
                        fmt(denominator / 1000));
        String result;
        if (met) {
            result = "**met**";
        } else if (atLeast) {
            result =
                    String.format(
                            Locale.ROOT,
                            "**missed** by %.1f × (%.0f %% short)",
                            limit / ratio,
                            (1 - ratio / limit) * 100);
        } else {
            result =
                    String.format(
                            Locale.ROOT,
                            "**missed** by %.0f %% (%.2f × instead of ≤ %.2f ×)",
                            (ratio / limit - 1) * 100,
                            ratio,
                            limit);
        }
        out.line("| " + target + " | " + measured + " | " + result + " |");
    }

    private static String fmt(double seconds) {
        return seconds < 10
                ? String.format(Locale.ROOT, "%.3f", seconds)
                : String.format(Locale.ROOT, "%.2f", seconds);
    }
}
