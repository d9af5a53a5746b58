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
package io.flinklocalrecovery.core.config;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.IllegalConfigurationException;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FlinkLocalRecoveryConfigCheckTest {

    private static final String KEY = "state.backend.local-recovery";
    private static final String FROM_LOCAL = "execution.state-recovery.from-local";
    private static final String LOCAL_BACKUP = "execution.checkpointing.local-backup.enabled";

    /** What the error tells users to put into their config file, verbatim. */
    private static final String RECOMMENDED_LINES =
            "state.backend.local-recovery: ENABLE_FILE_BASED\n"
                    + "execution.state-recovery.from-local: true\n"
                    + "execution.checkpointing.local-backup.enabled: false";

    private static void check(Map<String, String> config) {
        Configuration configuration = Configuration.fromMap(config);
        FlinkLocalRecoveryConfigCheck.checkNoFlinkParseTrap(
                configuration, LocalRecoverySettings.fromConfig(configuration).getMode());
    }

    @Test
    void enableFileBasedWithoutFlinkKeysFailsWithTheRecommendedLines() {
        assertThatThrownBy(() -> check(Map.of(KEY, "ENABLE_FILE_BASED")))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessageContaining(RECOMMENDED_LINES)
                .hasMessageContaining(FROM_LOCAL)
                .hasMessageContaining(LOCAL_BACKUP)
                .hasMessageContaining("ENABLE_FILE_BASED");
        assertThat(FlinkLocalRecoveryConfigCheck.RECOMMENDED_SETUP).isEqualTo(RECOMMENDED_LINES);
    }

    @Test
    void onlyOneFlinkKeySetStillFailsNamingTheMissingOne() {
        assertThatThrownBy(() -> check(Map.of(KEY, "enable_file_based", FROM_LOCAL, "true")))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessageContaining(LOCAL_BACKUP)
                .hasMessageContaining(RECOMMENDED_LINES);
        assertThatThrownBy(() -> check(Map.of(KEY, "ENABLE_FILE_BASED", LOCAL_BACKUP, "false")))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessageContaining(FROM_LOCAL + " set explicitly");
    }

    @Test
    void bothFlinkKeysSetIsAccepted() {
        Map<String, String> config =
                Map.of(KEY, "ENABLE_FILE_BASED", FROM_LOCAL, "true", LOCAL_BACKUP, "false");

        assertThatCode(() -> check(config)).doesNotThrowAnyException();
        assertThat(
                        FlinkLocalRecoveryConfigCheck.warnings(
                                Configuration.fromMap(config), LocalRecoveryMode.ENABLE_FILE_BASED))
                .isEmpty();
    }

    @Test
    void booleanValuesAndDisabledAreNoTrap() {
        assertThatCode(() -> check(Map.of(KEY, "true"))).doesNotThrowAnyException();
        assertThatCode(() -> check(Map.of(KEY, "DISABLED"))).doesNotThrowAnyException();
        assertThatCode(() -> check(Map.of())).doesNotThrowAnyException();
    }

    @Test
    void wastefulSetupsAreWarnedAbout() {
        Configuration config =
                Configuration.fromMap(
                        Map.of(
                                KEY, "ENABLE_FILE_BASED",
                                FROM_LOCAL, "false",
                                LOCAL_BACKUP, "true"));

        assertThat(
                        FlinkLocalRecoveryConfigCheck.warnings(
                                config, LocalRecoveryMode.ENABLE_FILE_BASED))
                .hasSize(2)
                .anySatisfy(w -> assertThat(w).contains(FROM_LOCAL + ": true"))
                .anySatisfy(w -> assertThat(w).contains(LOCAL_BACKUP + ": false"));
        assertThat(FlinkLocalRecoveryConfigCheck.warnings(config, LocalRecoveryMode.DISABLED))
                .isEmpty();
    }
}
