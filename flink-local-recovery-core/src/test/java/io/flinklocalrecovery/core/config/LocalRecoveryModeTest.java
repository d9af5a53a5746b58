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
