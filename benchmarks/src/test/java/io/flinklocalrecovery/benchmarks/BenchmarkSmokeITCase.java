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

import io.flinklocalrecovery.testutils.flinkline.FlinkLineTraces;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CI smoke test of the benchmark harness: quick mode (4 MB of state, one failure) for every
 * setup (heap, RocksDB incremental, RocksDB full × no local recovery, Flink's built-in, the
 * plugin). It checks that each setup completed and recovered correct state, that Flink's built-in
 * and the plugin restored locally, and that the report and plot are written. It never runs the full
 * matrix; timings here mean nothing.
 */
class BenchmarkSmokeITCase {

    /**
     * Quick mode in the given directory, where the Flink line traces restores; skips the test
     * elsewhere.
     */
    static BenchmarkSettings smokeSettings(Path dir) {
        Assumptions.assumeTrue(
                FlinkLineTraces.RESTORES_TRACED,
                "the benchmarks measure restores by Flink's JobInitialization span, which Flink"
                        + " 1.20 reports for a job's first initialization only");
        BenchmarkSettings settings = BenchmarkSettings.quick();
        settings.workDir = dir;
        return settings;
    }

    @Test
    void everySetupRunsAndRecovers(@TempDir Path dir) throws Exception {
        BenchmarkSettings settings = smokeSettings(dir);
        // kept for inspection (a CI artifact); the numbers of quick mode mean nothing
        Path reportDir = Files.createDirectories(Paths.get("target", "benchmark-smoke"));
        settings.output = reportDir.resolve("benchmarks.md");
        settings.plot = reportDir.resolve("benchmarks-recovery.png");

        BenchmarkRun run = new RecoveryBenchmark(settings, System.out::println).run();
        Report.write(run);

        assertThat(run.throttled).hasSize(9);
        assertThat(run.problems).isEmpty();
        for (SetupResult result : run.throttled) {
            String setup = result.setup.label();
            assertThat(result.problems).as(setup).isEmpty();
            assertThat(result.recoveries).as(setup).hasSize(1);
            SetupResult.Recovery recovery = result.recoveries.get(0);
            assertThat(recovery.recoveryMs).as(setup).isPositive();
            // every key of the state checked after the recovery, none wrong or missing
            assertThat(result.keysHeld).as(setup).isPositive();
            assertThat(result.keysChecked).as(setup).isEqualTo(result.keysHeld);
            assertThat(result.valuesWrong).as(setup).isZero();
            assertThat(result.keysMissing).as(setup).isZero();
            switch (result.setup.mode) {
                case NONE:
                    assertThat(recovery.flinkBytesLocalDisk).as(setup).isZero();
                    assertThat(recovery.flinkBytesRemote).as(setup).isPositive();
                    break;
                case BUILT_IN:
                    // Flink's own restore metrics: keyed state from local disk
                    assertThat(recovery.flinkBytesLocalDisk)
                            .as(setup)
                            .isGreaterThan(recovery.flinkBytesRemote);
                    break;
                case PLUGIN:
                    // the plugin's metrics: every keyed subtask restored from local copies
                    assertThat(recovery.keyedSubtasksRestoredLocally)
                            .as(setup)
                            .isEqualTo(settings.parallelism);
                    assertThat(recovery.pluginBytesLocal).as(setup).isPositive();
                    break;
                default:
                    throw new AssertionError(result.setup.mode);
            }
        }
        String report = Files.readString(settings.output);
        assertThat(report).contains("emulation").contains("## Targets");
        assertThat(Files.size(settings.plot)).isPositive();
    }
}
