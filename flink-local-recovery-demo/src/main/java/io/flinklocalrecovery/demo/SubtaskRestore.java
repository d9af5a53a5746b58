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

/**
 * How one subtask of the stateful operator restored after a failure: where it ran, how long it was
 * {@code INITIALIZING} (state restore and operator set-up, from the JobManager's state timestamps)
 * and the bytes it read from local copies and from the remote checkpoint storage.
 *
 * @param restoredFrom {@code local}, {@code mixed} or {@code remote}
 * @param bytesFromMetrics whether the bytes are the plugin's {@code localRecovery.*} metrics
 *     (otherwise: without the plugin, the subtask's state size in the restored checkpoint, all of
 *     it read from the remote storage)
 */
@Internal
record SubtaskRestore(
        int subtask,
        String taskManager,
        long restoreMillis,
        String restoredFrom,
        long localBytes,
        long remoteBytes,
        long fallbacks,
        boolean bytesFromMetrics) {

    /**
     * Where a task restored from, by the plugin's counts of its local, mixed and remote restores.
     */
    static String sourceOf(long local, long mixed, long remote) {
        if (mixed > 0 || (local > 0 && remote > 0)) {
            return "mixed";
        }
        return local > 0 ? "local" : "remote";
    }

    long restoredBytes() {
        return localBytes + remoteBytes;
    }

    /** MB per second over the restore time, or -1 if it took no measurable time. */
    double readMbPerSecond() {
        return restoreMillis <= 0
                ? -1
                : restoredBytes() / (double) DemoSettings.MB / (restoreMillis / 1e3);
    }
}
