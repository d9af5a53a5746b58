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
import org.apache.flink.configuration.MemorySize;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalRecoverySettingsTest {

    private static final String KEY = "state.backend.local-recovery";

    private static LocalRecoverySettings settings(Map<String, String> config) {
        return LocalRecoverySettings.fromConfig(Configuration.fromMap(config));
    }

    @Test
    void defaults() {
        LocalRecoverySettings settings = LocalRecoverySettings.fromConfig(new Configuration());

        assertThat(settings.getMode()).isEqualTo(LocalRecoveryMode.DISABLED);
        assertThat(settings.isEnabled()).isFalse();
        assertThat(settings.getDirectories()).isEmpty();
        assertThat(settings.getRetainedCheckpoints()).isEqualTo(1);
        assertThat(settings.isVerifyChecksums()).isTrue();
        assertThat(settings.isTrustUnchangedSstFiles()).isTrue();
        assertThat(settings.getWriteBufferBytes()).isEqualTo(MemorySize.parse("64mb").getBytes());
    }

    @Test
    void theClusterIdFallsBackToTheKubernetesAndHighAvailabilityClusterIds() {
        String own = "state.backend.local-recovery.cluster-id";
        assertThat(LocalRecoverySettings.fromConfig(new Configuration()).getClusterId())
                .isEqualTo("default");
        assertThat(settings(Map.of("high-availability.cluster-id", "ha-1")).getClusterId())
                .isEqualTo("ha-1");
        assertThat(
                        settings(
                                        Map.of(
                                                "kubernetes.cluster-id",
                                                "k8s-1",
                                                "high-availability.cluster-id",
                                                "ha-1"))
                                .getClusterId())
                .isEqualTo("k8s-1");
        assertThat(settings(Map.of(own, "mine", "kubernetes.cluster-id", "k8s-1")).getClusterId())
                .isEqualTo("mine");
        // kept by the copies the settings make
        assertThat(settings(Map.of(own, "mine")).withDiskBudget(1, 2).getClusterId())
                .isEqualTo("mine");
        assertThatThrownBy(() -> settings(Map.of(own, " ")))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessageContaining(own);
    }

    @Test
    void unchangedSstFilesAreOnlyTrustedWhileChecksumsAreVerified() {
        String trust = "state.backend.local-recovery.rocksdb.trust-unchanged-sst-files";
        String verify = "state.backend.local-recovery.verify-checksums";
        assertThat(settings(Map.of(trust, "false")).isTrustUnchangedSstFiles()).isFalse();
        // without checksums there is nothing to remember: every restore checks only sizes
        assertThat(settings(Map.of(verify, "false")).isTrustUnchangedSstFiles()).isFalse();
        assertThat(settings(Map.of(verify, "true", trust, "true")).isTrustUnchangedSstFiles())
                .isTrue();
    }

    @Test
    void diskBudgetDefaultsToNoLimitAndTheRelativeReserve() {
        LocalRecoverySettings defaults = LocalRecoverySettings.fromConfig(new Configuration());
        assertThat(defaults.getDiskSizeLimitBytes()).isEqualTo(LocalRecoverySettings.NO_DISK_LIMIT);
        assertThat(defaults.getDiskReserveBytes())
                .isEqualTo(LocalRecoverySettings.DEFAULT_DISK_RESERVE);

        LocalRecoverySettings set =
                settings(
                        Map.of(
                                "state.backend.local-recovery.disk.size-limit", "64 mb",
                                "state.backend.local-recovery.disk.reserve-size", "0"));
        assertThat(set.getDiskSizeLimitBytes()).isEqualTo(64L << 20);
        assertThat(set.getDiskReserveBytes()).isZero();
    }

    @Test
    void aZeroSizeLimitNamesTheKeyAndTheWayToSwitchCopiesOff() {
        assertThatThrownBy(
                        () -> settings(Map.of("state.backend.local-recovery.disk.size-limit", "0")))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessageContaining("'state.backend.local-recovery.disk.size-limit'")
                .hasMessageContaining("'0 bytes'")
                .hasMessageContaining("state.backend.local-recovery: DISABLED");
        assertThatThrownBy(
                        () ->
                                settings(
                                        Map.of(
                                                "state.backend.local-recovery.disk.size-limit",
                                                "lots")))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessageContaining(
                        "Invalid value for key 'state.backend.local-recovery.disk.size-limit'");
    }

    @Test
    void modeSynonymsAndCase() {
        assertThat(settings(Map.of(KEY, "true")).getMode())
                .isEqualTo(LocalRecoveryMode.ENABLE_FILE_BASED);
        assertThat(settings(Map.of(KEY, "false")).getMode()).isEqualTo(LocalRecoveryMode.DISABLED);
        assertThat(settings(Map.of(KEY, "enable_file_based")).isEnabled()).isTrue();
        assertThat(settings(Map.of(KEY, "ENABLE_FILE_BASED")).isEnabled()).isTrue();
        assertThat(settings(Map.of(KEY, "Disabled")).isEnabled()).isFalse();
    }

    @Test
    void invalidModeNamesKeyValueAndAcceptedValues() {
        assertThatThrownBy(() -> settings(Map.of(KEY, "FILE")))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessageContaining("'" + KEY + "'")
                .hasMessageContaining("'FILE'")
                .hasMessageContaining("DISABLED")
                .hasMessageContaining("ENABLE_FILE_BASED")
                .hasMessageContaining("true")
                .hasMessageContaining("false");
    }

    @Test
    void otherOptionsAreRead() {
        LocalRecoverySettings settings =
                settings(
                        Map.of(
                                KEY,
                                "ENABLE_FILE_BASED",
                                "state.backend.local-recovery.dirs",
                                "/a; /b,/c ,",
                                "state.backend.local-recovery.retained-checkpoints",
                                "3",
                                "state.backend.local-recovery.verify-checksums",
                                "false",
                                "state.backend.local-recovery.write-buffer-size",
                                "2mb"));

        assertThat(settings.getDirectories()).containsExactly("/a", "/b", "/c");
        assertThat(settings.getRetainedCheckpoints()).isEqualTo(3);
        assertThat(settings.isVerifyChecksums()).isFalse();
        assertThat(settings.getWriteBufferBytes()).isEqualTo(2 * 1024 * 1024);
    }

    @Test
    void zeroRetainedCheckpointsNamesTheKey() {
        assertThatThrownBy(
                        () ->
                                settings(
                                        Map.of(
                                                "state.backend.local-recovery.retained-checkpoints",
                                                "0")))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessageContaining("'state.backend.local-recovery.retained-checkpoints'")
                .hasMessageContaining("'0'");
    }

    @Test
    void unparsableRetainedCheckpointsNamesTheKey() {
        assertThatThrownBy(
                        () ->
                                settings(
                                        Map.of(
                                                "state.backend.local-recovery.retained-checkpoints",
                                                "many")))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessageContaining("state.backend.local-recovery.retained-checkpoints");
    }

    @Test
    void tooSmallWriteBufferNamesTheKey() {
        assertThatThrownBy(
                        () ->
                                settings(
                                        Map.of(
                                                "state.backend.local-recovery.write-buffer-size",
                                                "512kb")))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessageContaining("state.backend.local-recovery.write-buffer-size");
    }
}
