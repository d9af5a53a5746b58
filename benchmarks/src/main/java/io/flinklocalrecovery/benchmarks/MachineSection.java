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

import java.lang.management.ManagementFactory;
import java.util.Locale;

/** The section on the machine: cores, memory, OS and Java, its measured read limits. */
final class MachineSection {

    private final MachineLimits limits;
    private final MarkdownPage out;

    MachineSection(MachineLimits limits, MarkdownPage out) {
        this.limits = limits;
        this.out = out;
    }

    void render() {
        out.line("## Machine");
        out.line();
        out.line("| | |");
        out.line("|---|---|");
        out.line("| CPU cores | " + Runtime.getRuntime().availableProcessors() + " |");
        long memory = totalMemory();
        out.line("| memory | " + (memory > 0 ? ByteSize.format(memory) : "?") + " |");
        out.line(
                "| OS / Java | "
                        + System.getProperty("os.name")
                        + " "
                        + System.getProperty("os.version")
                        + " / "
                        + System.getProperty("java.vm.name")
                        + " "
                        + System.getProperty("java.version")
                        + ", max heap "
                        + ByteSize.format(Runtime.getRuntime().maxMemory())
                        + " |");
        out.line(
                "| file system of the local copies and the emulated primary | "
                        + limits.fileSystem
                        + " |");
        out.line(
                String.format(
                        Locale.ROOT,
                        "| sequential disk read (O_DIRECT, %d MB file, 4 MB reads) | %s |",
                        limits.probeMb,
                        limits.diskReadMbPerSecond > 0
                                ? String.format(
                                        Locale.ROOT, "%.0f MB/s", limits.diskReadMbPerSecond)
                                : "not measured: " + limits.diskReadNote));
        out.line(
                String.format(
                        Locale.ROOT,
                        "| page cache read (same file, second read, 1 MB reads) | %s |",
                        limits.pageCacheReadMbPerSecond > 0
                                ? String.format(
                                        Locale.ROOT, "%.0f MB/s", limits.pageCacheReadMbPerSecond)
                                : "not measured"));
        out.line();
        out.line(
                "Both limits are measured by the benchmark itself at its start, on the directory the"
                        + " setups use. Local restores read files that were written seconds"
                        + " earlier and usually sit in the page cache, so the page cache figure is"
                        + " the relevant ceiling for them.");
        out.line();
    }

    private static long totalMemory() {
        try {
            java.lang.management.OperatingSystemMXBean os =
                    ManagementFactory.getOperatingSystemMXBean();
            if (os instanceof com.sun.management.OperatingSystemMXBean) {
                return ((com.sun.management.OperatingSystemMXBean) os).getTotalMemorySize();
            }
        } catch (RuntimeException | LinkageError e) {
            // unknown
        }
        return -1;
    }
}
