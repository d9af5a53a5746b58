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

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The demo's report, as text: what was run, for each failure kind how every subtask restored and
 * the total recovery time of each setup, then one summary table with the speed-ups, the notes on
 * what each number is, and the check of every restored key.
 */
@Internal
final class DemoReport {

    private static final String SUBTASK_ROW = "%-31s %7s %-12s %-13s %10s %10s %12s %11s%n";
    private static final String SETUP_ROW = "%-31s %15s %16s %20s%n";
    private static final String SUMMARY_ROW = "%-20s %-20s %9s %9s %9s   %9s %9s %9s%n";

    private final DemoSettings settings;
    private final List<Recovery> recoveries;
    private final StringBuilder out = new StringBuilder();

    private DemoReport(DemoSettings settings, List<Recovery> recoveries) {
        this.settings = settings;
        this.recoveries = recoveries;
    }

    /** What the demo runs, printed before it starts. */
    static String header(DemoSettings settings) {
        DemoReport report = new DemoReport(settings, List.of());
        report.describeRun();
        return report.out.toString();
    }

    /** The report of the given recoveries. */
    static String render(DemoSettings settings, List<Recovery> recoveries) {
        DemoReport report = new DemoReport(settings, recoveries);
        report.describeRun();
        for (FailureKind failure : FailureKind.values()) {
            report.failureTables(failure);
        }
        report.summary();
        report.notes();
        return report.out.toString();
    }

    private void describeRun() {
        line("Task-local recovery demo: the plugin against no local recovery, on a real cluster");
        line(
                "  cluster: 1 JobManager + %d TaskManagers x %d slots, separate JVMs on 127.0.0.1,"
                        + " a fresh cluster per setup",
                DemoSettings.TASK_MANAGERS, DemoSettings.SLOTS_PER_TASK_MANAGER);
        line(
                "  setups: %s, each with the plugin (state.backend.local-recovery:"
                        + " ENABLE_FILE_BASED) and without it (DISABLED); in both"
                        + " execution.state-recovery.from-local: true and"
                        + " execution.checkpointing.local-backup.enabled: false",
                String.join(" and ", settings.backends.stream().map(b -> b.label).toList()));
        line(
                "  job: %,d keys x %d B = %s of keyed state, parallelism %d",
                settings.numKeys,
                settings.valueBytes,
                bytes(settings.stateBytes()),
                settings.parallelism);
        line(
                "  remote checkpoint storage: emulated (throttled://, the local disk behind a limit)"
                        + " at %.0f MB/s per TaskManager process, %d ms per file opened",
                settings.remoteMbPerSecond, settings.remoteLatencyMs);
        line(
                "  failures, one after the other in each run of the job: a task failure (the"
                        + " TaskManagers live on), then a TaskManager killed with kill -9 and"
                        + " restarted with the same resource id and working directory");
    }

    private void failureTables(FailureKind failure) {
        List<Recovery> ofKind = ofKind(failure);
        if (ofKind.isEmpty()) {
            return;
        }
        line("");
        line("=== %s ===", failure.label);
        line("");
        row(
                SUBTASK_ROW,
                "setup",
                "subtask",
                "TaskManager",
                "restored from",
                "local",
                "remote",
                "restore time",
                "read rate");
        for (Recovery recovery : ofKind) {
            for (SubtaskRestore r : recovery.restores()) {
                boolean killed = r.taskManager().equals(recovery.killedTaskManager());
                row(
                        SUBTASK_ROW,
                        recovery.setup().label(),
                        r.subtask(),
                        r.taskManager() + (killed ? "*" : ""),
                        r.restoredFrom(),
                        r.bytesFromMetrics() ? bytes(r.localBytes()) : "-",
                        bytes(r.remoteBytes()),
                        seconds(r.restoreMillis()),
                        rate(r.readMbPerSecond()));
            }
        }
        line("");
        row(SETUP_ROW, "setup", "median restore", "slowest restore", "total recovery time");
        for (Recovery recovery : ofKind) {
            row(
                    SETUP_ROW,
                    recovery.setup().label(),
                    seconds(recovery.medianRestoreMillis()),
                    seconds(recovery.maxRestoreMillis()),
                    seconds(recovery.totalRecoveryMillis()));
        }
        line("total recovery time: %s.", failure.recoveryTimeIncludes);
        if (failure == FailureKind.TASK_MANAGER_KILL) {
            line(
                    "* the TaskManager killed with kill -9 and restarted with the same resource id"
                            + " and working directory.");
        }
    }

    private void summary() {
        line("");
        line("=== Summary: recovery with the plugin against recovery without it ===");
        line("");
        row("%-42s   %-29s   %s%n", "", "restore (median subtask)", "total recovery");
        row(
                SUMMARY_ROW,
                "backend",
                "failure",
                "without",
                "with",
                "speed-up",
                "without",
                "with",
                "speed-up");
        for (DemoSetup.Backend backend : settings.backends) {
            for (FailureKind failure : FailureKind.values()) {
                Optional<Recovery> without = Recovery.find(recoveries, backend, false, failure);
                Optional<Recovery> with = Recovery.find(recoveries, backend, true, failure);
                if (without.isEmpty() || with.isEmpty()) {
                    continue;
                }
                row(
                        SUMMARY_ROW,
                        backend.label,
                        failure.label,
                        seconds(without.get().medianRestoreMillis()),
                        seconds(with.get().medianRestoreMillis()),
                        speedUp(
                                without.get().medianRestoreMillis(),
                                with.get().medianRestoreMillis()),
                        seconds(without.get().totalRecoveryMillis()),
                        seconds(with.get().totalRecoveryMillis()),
                        speedUp(
                                without.get().totalRecoveryMillis(),
                                with.get().totalRecoveryMillis()));
            }
        }
    }

    private void notes() {
        line("");
        line(
                "remote storage: emulated, %.0f MB/s per TaskManager process (its subtasks share"
                        + " it) and %d ms per file opened; local copies are read from the local"
                        + " disk at its own speed.",
                settings.remoteMbPerSecond, settings.remoteLatencyMs);
        line(
                "restore time: how long the subtask was INITIALIZING (state restore and operator"
                        + " set-up), from the JobManager's state timestamps; read rate: the bytes"
                        + " it restored divided by it; median: the typical subtask (on a busy"
                        + " machine single subtasks stall in either setup), slowest: the one the"
                        + " job waits for.");
        line(
                "local / remote: the plugin's localRecovery.* task metrics; without the plugin"
                        + " there are none, and remote is the subtask's state size in the restored"
                        + " checkpoint, all of it read from the remote storage.");
        line(
                "total recovery time: from the failure until the last subtask of the job was"
                        + " RUNNING again; it includes the restart delay (%d ms), scheduling and"
                        + " deployment, and after a kill -9 noticing the loss and starting a new"
                        + " TaskManager JVM, the same in both setups.",
                DemoSetup.restartDelay().toMillis());
        line(
                "after a kill -9 the restarted TaskManager's subtasks restore in a new JVM, with"
                        + " or without the plugin (cold code; RocksDB loads its native library"
                        + " first); the subtasks of the TaskManager that lived on show what the"
                        + " local copies save.");
        line("restored state, checked key by key after every recovery:");
        for (Recovery recovery : recoveries) {
            line("  %s", recovery.stateCheck().describe(recovery.label()));
        }
    }

    /** Every problem of every recovery: the demo fails if there is one. */
    static List<String> problems(DemoSettings settings, List<Recovery> recoveries) {
        List<String> problems = new ArrayList<>();
        for (Recovery recovery : recoveries) {
            problems.addAll(recovery.problems(settings.parallelism));
        }
        return problems;
    }

    private List<Recovery> ofKind(FailureKind failure) {
        return recoveries.stream().filter(r -> r.failure() == failure).toList();
    }

    private void line(String format, Object... args) {
        out.append(String.format(Locale.ROOT, format, args)).append('\n');
    }

    private void row(String format, Object... args) {
        out.append(String.format(Locale.ROOT, format, args));
    }

    static String speedUp(long slowMillis, long fastMillis) {
        return fastMillis <= 0 || slowMillis < 0
                ? "?"
                : String.format(Locale.ROOT, "%.1fx", (double) slowMillis / fastMillis);
    }

    static String seconds(long millis) {
        return millis < 0 ? "?" : String.format(Locale.ROOT, "%.2f s", millis / 1e3);
    }

    static String rate(double mbPerSecond) {
        return mbPerSecond < 0 ? "-" : String.format(Locale.ROOT, "%.0f MB/s", mbPerSecond);
    }

    static String bytes(long bytes) {
        if (bytes < 0) {
            return "?";
        }
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < DemoSettings.MB) {
            return String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MB", bytes / (double) DemoSettings.MB);
    }
}
