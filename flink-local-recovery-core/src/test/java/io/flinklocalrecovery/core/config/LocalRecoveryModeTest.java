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

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalRecoveryModeTest {

    private static final String KEY = "state.backend.local-recovery";

    @Test
    void enumNamesAreAcceptedCaseInsensitively() {
        assertThat(LocalRecoveryMode.parse(KEY, "ENABLE_FILE_BASED"))
                .isEqualTo(LocalRecoveryMode.ENABLE_FILE_BASED);
        assertThat(LocalRecoveryMode.parse(KEY, "enable_file_based"))
                .isEqualTo(LocalRecoveryMode.ENABLE_FILE_BASED);
        assertThat(LocalRecoveryMode.parse(KEY, " Enable_File_Based "))
                .isEqualTo(LocalRecoveryMode.ENABLE_FILE_BASED);
        assertThat(LocalRecoveryMode.parse(KEY, "DISABLED")).isEqualTo(LocalRecoveryMode.DISABLED);
        assertThat(LocalRecoveryMode.parse(KEY, "disabled")).isEqualTo(LocalRecoveryMode.DISABLED);
    }

    @Test
    void booleansAreSynonyms() {
        assertThat(LocalRecoveryMode.parse(KEY, "true"))
                .isEqualTo(LocalRecoveryMode.ENABLE_FILE_BASED);
        assertThat(LocalRecoveryMode.parse(KEY, "TRUE"))
                .isEqualTo(LocalRecoveryMode.ENABLE_FILE_BASED);
        assertThat(LocalRecoveryMode.parse(KEY, "false")).isEqualTo(LocalRecoveryMode.DISABLED);
        assertThat(LocalRecoveryMode.parse(KEY, "False")).isEqualTo(LocalRecoveryMode.DISABLED);
    }

    @Test
    void invalidValueNamesKeyValueAndAcceptedValues() {
        assertThatThrownBy(() -> LocalRecoveryMode.parse(KEY, "ENABLED"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + KEY + "'")
                .hasMessageContaining("'ENABLED'")
                .hasMessageContaining("DISABLED, ENABLE_FILE_BASED, true, false");
    }

    @Test
    void emptyAndNullAreInvalid() {
        assertThatThrownBy(() -> LocalRecoveryMode.parse(KEY, ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(KEY);
        assertThatThrownBy(() -> LocalRecoveryMode.parse(KEY, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(KEY);
    }
}
