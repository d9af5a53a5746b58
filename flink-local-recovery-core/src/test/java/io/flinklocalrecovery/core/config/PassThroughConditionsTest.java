package io.flinklocalrecovery.core.config;

import org.apache.flink.configuration.Configuration;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PassThroughConditionsTest {

    private static final LocalRecoverySettings ENABLED =
            new LocalRecoverySettings(
                    LocalRecoveryMode.ENABLE_FILE_BASED, List.of("/tmp/x"), 2, true, 1 << 20);

    @Test
    void plainSetupKeepsLocalRecovery() {
        assertThat(PassThroughConditions.reason(new Configuration())).isEmpty();
        assertThat(apply(new Configuration())).isSameAs(ENABLED);
    }

    @Test
    void changelogBackendPassesThrough() {
        Configuration config = new Configuration();
        config.setString("state.changelog.enabled", "true");
        assertThat(PassThroughConditions.reason(config))
                .hasValueSatisfying(
                        reason -> assertThat(reason).contains("state.changelog.enabled"));
        LocalRecoverySettings applied = apply(config);
        assertThat(applied.isEnabled()).isFalse();
        assertThat(applied.getRetainedCheckpoints()).isEqualTo(2);
    }

    @Test
    void fileMergingPassesThrough() {
        Configuration config = new Configuration();
        config.setString("execution.checkpointing.file-merging.enabled", "true");
        assertThat(PassThroughConditions.reason(config))
                .hasValueSatisfying(
                        reason ->
                                assertThat(reason)
                                        .contains("execution.checkpointing.file-merging.enabled"));
        assertThat(apply(config).isEnabled()).isFalse();
    }

    private static LocalRecoverySettings apply(Configuration config) {
        return PassThroughConditions.apply(
                ENABLED, config, LoggerFactory.getLogger(PassThroughConditionsTest.class));
    }
}
