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

import io.flinklocalrecovery.core.metrics.LocalRecoveryMetrics;

import java.util.Locale;
import java.util.Map;

/** How the demos (MiniCluster and real cluster) print a setup, a duration and a size. */
public final class DemoReport {

    private static final String ENABLED = "ENABLE_FILE_BASED";
    private static final long MB = 1024L * 1024L;

    private DemoReport() {}

    /** The setup run with local recovery mode {@code mode}. */
    public static String label(String mode) {
        return ENABLED.equals(mode)
                ? "local recovery (ENABLE_FILE_BASED)"
                : "no local recovery (DISABLED)";
    }

    public static String seconds(long millis) {
        return millis < 0 ? "?" : String.format(Locale.ROOT, "%.2f s", millis / 1e3);
    }

    public static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < MB) {
            return String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MB", bytes / (double) MB);
    }

    /**
     * Where a subtask restored its state from, by the plugin's {@code localRecovery.*} task metrics
     * of its attempt: none (the plugin is off) means remote; {@code nothingRestored} if they count
     * no restore at all.
     */
    public static String restoredFrom(Map<String, Long> pluginMetrics, String nothingRestored) {
        if (pluginMetrics.isEmpty()) {
            return "remote";
        }
        long local = pluginMetrics.getOrDefault(LocalRecoveryMetrics.RESTORES_LOCAL, 0L);
        long mixed = pluginMetrics.getOrDefault(LocalRecoveryMetrics.RESTORES_MIXED, 0L);
        long remote = pluginMetrics.getOrDefault(LocalRecoveryMetrics.RESTORES_REMOTE, 0L);
        if (mixed > 0 || (local > 0 && remote > 0)) {
            return "mixed";
        }
        return local > 0 ? "local" : remote > 0 ? "remote" : nothingRestored;
    }
}
