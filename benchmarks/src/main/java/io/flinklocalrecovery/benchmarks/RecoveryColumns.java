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

/** The figures of a setup's recoveries, column by column, as the recovery tables show them. */
final class RecoveryColumns {

    final List<Long> maxInitializeStateMs = new ArrayList<>();
    final List<Long> keyedSubtaskInitializationMs = new ArrayList<>();
    private final List<Long> flinkLocal = new ArrayList<>();
    private final List<Long> flinkRemote = new ArrayList<>();
    private final List<Long> pluginLocal = new ArrayList<>();
    private final List<Long> pluginRemote = new ArrayList<>();
    private final boolean plugin;

    RecoveryColumns(SetupResult result) {
        this.plugin = result.setup.mode == Setup.Mode.PLUGIN;
        for (SetupResult.Recovery recovery : result.recoveries) {
            maxInitializeStateMs.add(recovery.maxInitializeStateMs);
            keyedSubtaskInitializationMs.addAll(recovery.keyedSubtaskInitializationMs);
            flinkLocal.add(recovery.flinkBytesLocalDisk);
            flinkRemote.add(recovery.flinkBytesRemote);
            pluginLocal.add(recovery.pluginBytesLocal);
            pluginRemote.add(recovery.pluginBytesRemote);
        }
    }

    /** "slowest state init (Flink)". */
    String slowestStateInit() {
        return Stats.of(maxInitializeStateMs).seconds();
    }

    /** "keyed subtask init (Flink)". */
    String keyedSubtaskInit() {
        return Stats.of(keyedSubtaskInitializationMs).seconds();
    }

    /** "restored local / remote (Flink)". */
    String flinkBytes() {
        return Stats.of(flinkLocal).bytes() + " / " + Stats.of(flinkRemote).bytes();
    }

    /** "restored local / remote (plugin)": a dash for setups without the plugin. */
    String pluginBytes() {
        return plugin
                ? Stats.of(pluginLocal).bytes() + " / " + Stats.of(pluginRemote).bytes()
                : "—";
    }
}
