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
 * The CI smoke test of the rescale benchmark: 4 MB of state, every setup (heap and RocksDB
 * incremental × no local recovery, Flink's built-in, the plugin) rescaled in place 2 → 1 → 2 under
 * the adaptive scheduler. It checks that each setup completed both rescales with correct values,
 * that without local recovery every byte came from the primary, that the plugin read every byte of
 * both rescales from its local copies, and that the page's section is written and replaced, not
 * duplicated. Timings here mean nothing.
 */
class RescaleBenchmarkSmokeITCase {

    @Test
    void everySetupRescalesInAndOut(@TempDir Path dir) throws Exception {
        BenchmarkSettings settings = smokeSettings(dir);
        settings.backends = List.of(Setup.Backend.HEAP, Setup.Backend.ROCKSDB_INCREMENTAL);

        List<RescaleRunner.Result> results =
                new RescaleBenchmark(settings, 4, System.out::println).run();

        assertThat(results).hasSize(6);
        for (RescaleRunner.Result result : results) {
            String setup = result.setup.label();
            assertThat(result.problems).as(setup).isEmpty();
            assertThat(result.rescales).as(setup).hasSize(2);
            assertThat(result.keysChecked).as(setup).isPositive();
            for (RescaleRunner.Rescale rescale : result.rescales) {
                String step = setup + " " + rescale.from + " -> " + rescale.to;
                assertThat(rescale.rescaleMs).as(step).isPositive();
                switch (result.setup.mode) {
                    case NONE:
                        assertThat(rescale.flinkBytesLocal).as(step).isZero();
                        assertThat(rescale.flinkBytesRemote).as(step).isPositive();
                        break;
                    case BUILT_IN:
                        break; // as Flink does it; measured, not asserted
                    case PLUGIN:
                        assertThat(rescale.pluginBytesLocal).as(step).isPositive();
                        assertThat(rescale.pluginBytesRemote).as(step).isZero();
                        break;
                    default:
                        throw new AssertionError(result.setup.mode);
                }
            }
        }
        RescaleRunner.Rescale scaleIn = results.get(2).rescales.get(0);
        assertThat(scaleIn.to).isEqualTo(1);
        assertThat(results.get(5).rescales.get(0).pluginRescaleRestores)
                .as("RocksDB's merging scale-in counted as a rescale restore")
                .isOne();

        Path page =
                Files.createDirectories(Paths.get("target", "benchmark-smoke"))
                        .resolve("rescale.md");
        Files.writeString(page, "# page\n\nkept\n");
        String section = RescaleSection.render(settings, results, "now", 1);
        RescaleSection.writeInto(page, section);
        RescaleSection.writeInto(page, section);
        String text = Files.readString(page);
        assertThat(text).startsWith("# page\n\nkept\n");
        assertThat(text.split(RescaleSection.MARKERS.begin, -1)).hasSize(2);
        assertThat(RescaleSection.keptFrom(page).trim()).isEqualTo(section.trim());
    }
}
