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

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

import static io.flinklocalrecovery.benchmarks.BenchmarkSmokeITCase.smokeSettings;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CI smoke test of the replaced-TaskManager benchmark: 4 MB of state, heap and RocksDB
 * incremental under Flink's built-in and the plugin, one loss of the TaskManager each, replaced by
 * a new one with a new identity. It checks that each setup recovered with correct values, that
 * Flink's built-in found none of its copies (they belong to the old identity) and that the plugin
 * restored every keyed subtask from the copies it adopted, and that the page's section is written
 * and replaced, not duplicated. Timings here mean nothing.
 */
class ReplacedTaskManagerBenchmarkSmokeITCase {

    @Test
    void theNewTaskManagerRestoresFromTheAdoptedCopiesAndBuiltInFindsNone(@TempDir Path dir)
            throws Exception {
        BenchmarkSettings settings = smokeSettings(dir);
        settings.backends = List.of(Setup.Backend.HEAP, Setup.Backend.ROCKSDB_INCREMENTAL);
        settings.modes = List.of(Setup.Mode.BUILT_IN, Setup.Mode.PLUGIN);

        List<SetupResult> results =
                new ReplacedTaskManagerBenchmark(settings, 4, System.out::println).run();

        assertThat(results).hasSize(4);
        for (SetupResult result : results) {
            String setup = result.setup.label();
            assertThat(result.problems).as(setup).isEmpty();
            assertThat(result.recoveries).as(setup).hasSize(1);
            SetupResult.Recovery recovery = result.recoveries.get(0);
            assertThat(recovery.recoveryMs).as(setup).isPositive();
            if (result.setup.mode == Setup.Mode.BUILT_IN) {
                assertThat(recovery.flinkBytesLocalDisk).as(setup).isZero();
                assertThat(recovery.flinkBytesRemote).as(setup).isPositive();
            } else {
                assertThat(recovery.keyedSubtasksRestoredLocally)
                        .as(setup)
                        .isEqualTo(settings.parallelism);
                assertThat(recovery.pluginBytesRemote).as(setup).isZero();
                assertThat(recovery.pluginHandlesFromOtherTaskManagers).as(setup).isPositive();
            }
        }

        Path page =
                Files.createDirectories(Paths.get("target", "benchmark-smoke"))
                        .resolve("replaced-taskmanager.md");
        Files.writeString(page, "# page\n\nkept\n");
        String section = ReplacedTaskManagerSection.render(settings, 4, results, "now", 1);
        ReplacedTaskManagerSection.writeInto(page, section);
        ReplacedTaskManagerSection.writeInto(page, section);
        String text = Files.readString(page);
        assertThat(text).startsWith("# page\n\nkept\n");
        assertThat(text.split(ReplacedTaskManagerSection.MARKERS.begin, -1)).hasSize(2);
        assertThat(ReplacedTaskManagerSection.MARKERS.keptFrom(page).trim())
                .isEqualTo(section.trim());
    }
}
