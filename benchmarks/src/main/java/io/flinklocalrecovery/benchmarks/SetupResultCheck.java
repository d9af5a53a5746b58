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

import java.util.Locale;

/**
 * What a completed setup must show, turned into its problems: every recovery measured, every key
 * checked and correct, no unexpected restart, and a restore from where the setup's mode restores
 * (nothing local without local recovery; local for Flink's built-in; every keyed subtask from the
 * plugin's copies).
 */
final class SetupResultCheck {

    private SetupResultCheck() {}

    /**
     * Adds a problem for every way the setup's result is not what it must be.
     *
     * @param replacedTaskManager whether the failures replaced the TaskManager: Flink's built-in
     *     then finds nothing local (its copies belong to the old TaskManager's identity), which is
     *     measured, not checked
     */
    static void check(
            SetupResult result, int failures, int parallelism, boolean replacedTaskManager) {
        if (!result.problems.isEmpty()) {
            return;
        }
        String setup = result.setup.label();
        if (result.recoveries.size() != failures) {
            result.problems.add(setup + ": " + result.recoveries.size() + " recoveries measured");
        }
        // every key is checked once per recovery (the next failure waits for the checks)
        if (result.keysChecked != result.keysHeld * failures
                || result.keysMissing > 0
                || result.valuesWrong > 0) {
            result.problems.add(
                    String.format(
                            Locale.ROOT,
                            "%s: wrong state after recovery: %,d keys checked in %d recoveries of"
                                    + " %,d keys, %,d values wrong, %,d keys missing",
                            setup,
                            result.keysChecked,
                            failures,
                            result.keysHeld,
                            result.valuesWrong,
                            result.keysMissing));
        }
        if (result.unexpectedRestarts > 0) {
            result.problems.add(
                    setup + ": " + result.unexpectedRestarts + " restarts besides the injected");
        }
        for (int i = 0; i < result.recoveries.size(); i++) {
            SetupResult.Recovery recovery = result.recoveries.get(i);
            String which = setup + ", recovery " + (i + 1) + ": ";
            if (recovery.recoveryMs <= 0) {
                result.problems.add(which + "no recovery time");
            }
            if (recovery.flinkBytesLocalDisk < 0) {
                result.problems.add(which + "no JobInitialization trace from Flink");
                continue;
            }
            switch (result.setup.mode) {
                case NONE:
                    if (recovery.flinkBytesLocalDisk > 0 || recovery.pluginBytesLocal > 0) {
                        result.problems.add(
                                which + "restored from local disk without local" + " recovery");
                    }
                    break;
                case BUILT_IN:
                    // Flink keeps no local copy of operator state (the source's splits)
                    if (!replacedTaskManager
                            && recovery.flinkBytesLocalDisk <= recovery.flinkBytesRemote) {
                        result.problems.add(
                                String.format(
                                        Locale.ROOT,
                                        "%sFlink's built-in did not restore locally: %d bytes"
                                                + " from local disk, %d remote",
                                        which,
                                        recovery.flinkBytesLocalDisk,
                                        recovery.flinkBytesRemote));
                    }
                    break;
                case PLUGIN:
                    if (recovery.keyedSubtasksRestoredLocally != parallelism
                            || recovery.pluginBytesLocal <= 0) {
                        result.problems.add(
                                String.format(
                                        Locale.ROOT,
                                        "%sthe plugin did not restore every keyed subtask"
                                                + " locally: %d of %d local, %d bytes local, %d"
                                                + " remote, fallbacks %d",
                                        which,
                                        recovery.keyedSubtasksRestoredLocally,
                                        parallelism,
                                        recovery.pluginBytesLocal,
                                        recovery.pluginBytesRemote,
                                        recovery.pluginFallbacks));
                    }
                    break;
                default:
                    break;
            }
        }
    }
}
