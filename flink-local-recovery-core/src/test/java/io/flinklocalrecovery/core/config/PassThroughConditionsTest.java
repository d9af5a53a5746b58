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

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateChangelogOptions;

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
        config.set(StateChangelogOptions.ENABLE_STATE_CHANGE_LOG, true);
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
        config.set(CheckpointingOptions.FILE_MERGING_ENABLED, true);
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
