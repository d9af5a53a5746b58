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
package io.flinklocalrecovery.core.flinkline;

import org.apache.flink.runtime.util.EnvironmentInformation;

import io.flinklocalrecovery.core.flinkline.FlinkLineCheck.BuildLine;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/** Tests for {@link FlinkLineCheck}. */
class FlinkLineCheckTest {

    private static final BuildLine BUILT_FOR_2X = new BuildLine("2.x", "2.3.0", "0.1.0-SNAPSHOT");

    private static final BuildLine BUILT_FOR_1_20 =
            new BuildLine("1.20", "1.20.5", "0.1.0-1.20-SNAPSHOT");

    @Test
    void buildRecordsTheFlinkLineItIsCompiledAgainst() {
        String compiledAgainst = EnvironmentInformation.getVersion();
        assertThat(FlinkLineCheck.buildLine()).isEqualTo(FlinkLineCheck.lineOf(compiledAgainst));
        assertThatCode(FlinkLineCheck::checkRunningFlink).doesNotThrowAnyException();
    }

    @Test
    void acceptsEveryReleaseOfItsLine() {
        assertThat(FlinkLineCheck.mismatch(BUILT_FOR_2X, "2.3.0")).isEmpty();
        assertThat(FlinkLineCheck.mismatch(BUILT_FOR_2X, "2.1.1")).isEmpty();
        assertThat(FlinkLineCheck.mismatch(BUILT_FOR_1_20, "1.20.5")).isEmpty();
        assertThat(FlinkLineCheck.mismatch(BUILT_FOR_1_20, "1.20.0")).isEmpty();
    }

    @Test
    void jarFor2xOn120NamesBothVersionsAndTheJarToUse() {
        assertThat(FlinkLineCheck.mismatch(BUILT_FOR_2X, "1.20.5"))
                .hasValueSatisfying(
                        message ->
                                assertThat(message)
                                        .contains("built for Flink 2.x")
                                        .contains("2.3.0")
                                        .contains("Flink 1.20.5 is running")
                                        .contains("-Pflink-1.20")
                                        .contains("0.1.0-1.20-SNAPSHOT"));
    }

    @Test
    void jarFor120On2xNamesBothVersionsAndTheJarToUse() {
        assertThat(FlinkLineCheck.mismatch(BUILT_FOR_1_20, "2.3.0"))
                .hasValueSatisfying(
                        message ->
                                assertThat(message)
                                        .contains("built for Flink 1.20")
                                        .contains("1.20.5")
                                        .contains("Flink 2.3.0 is running")
                                        .contains("default build")
                                        .contains("version 0.1.0-SNAPSHOT"));
    }

    @Test
    void otherLinesAreRefused() {
        assertThat(FlinkLineCheck.mismatch(BUILT_FOR_1_20, "1.19.3"))
                .hasValueSatisfying(
                        message -> assertThat(message).contains("Flink 1.20 or Flink 2.x"));
    }

    @Test
    void unknownRunningVersionIsNotChecked() {
        assertThat(FlinkLineCheck.mismatch(BUILT_FOR_2X, "<unknown>")).isEmpty();
    }

    @Test
    void versionOfTheOtherLine() {
        assertThat(FlinkLineCheck.versionForLine("0.1.0-SNAPSHOT", "1.20"))
                .isEqualTo("0.1.0-1.20-SNAPSHOT");
        assertThat(FlinkLineCheck.versionForLine("0.1.0-1.20-SNAPSHOT", "2.x"))
                .isEqualTo("0.1.0-SNAPSHOT");
        assertThat(FlinkLineCheck.versionForLine("0.2.0", "1.20")).isEqualTo("0.2.0-1.20");
    }
}
