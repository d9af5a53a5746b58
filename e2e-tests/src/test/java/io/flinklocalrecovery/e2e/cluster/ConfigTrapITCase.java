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
package io.flinklocalrecovery.e2e.cluster;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.IllegalConfigurationException;

import io.flinklocalrecovery.e2e.cluster.ClusterLocalRecoveryITCase.Backend;
import io.flinklocalrecovery.fs.LocalRecoveryHashMapStateBackendFactory;
import io.flinklocalrecovery.rocksdb.LocalRecoveryRocksDBStateBackendFactory;
import io.flinklocalrecovery.testutils.cluster.StandaloneFlinkCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static io.flinklocalrecovery.testutils.cluster.StandaloneFlinkCluster.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The config trap on a real cluster: {@code state.backend.local-recovery: ENABLE_FILE_BASED} in
 * config.yaml without {@code execution.state-recovery.from-local}. Documents what the user sees
 * (the TaskManager exits at start with Flink's parse error), that the plugin's check on the same
 * config.yaml names the exact fix, and that the fix works.
 */
class ConfigTrapITCase {

    static final String FLINK_ERROR =
            "Could not parse value 'ENABLE_FILE_BASED' for key"
                    + " 'execution.state-recovery.from-local'";

    private StandaloneFlinkCluster cluster;

    @AfterEach
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void taskManagerRefusesTheTrapAndThePluginNamesTheFix(TestInfo test) throws Exception {
        Map<String, String> trap = ClusterLocalRecoveryITCase.pluginConfig(Backend.HEAP);
        trap.remove("execution.state-recovery.from-local");
        trap.remove("execution.checkpointing.local-backup.enabled");
        cluster = StandaloneFlinkCluster.create(ClusterLocalRecoveryITCase.workDir(test), trap);
        cluster.startJobManager();

        // what the user sees: the TaskManager exits during start-up with Flink's parse error
        cluster.startTaskManager("tm-1");
        Optional<Integer> exitCode = cluster.waitForExit("tm-1", Duration.ofSeconds(90));
        assertThat(exitCode).as("the TaskManager exits on its own").isPresent();
        assertThat(exitCode.get()).isNotZero();
        assertThat(read(cluster.output("tm-1")) + read(cluster.log("tm-1"))).contains(FLINK_ERROR);
        assertThat(cluster.rest().taskManagers()).isEmpty();

        // the plugin's check, on the same config.yaml, for both backends: the exact fix
        Configuration loaded = GlobalConfiguration.loadConfiguration(cluster.confDir().toString());
        ClassLoader classLoader = getClass().getClassLoader();
        for (Runnable factory :
                new Runnable[] {
                    () ->
                            new LocalRecoveryHashMapStateBackendFactory()
                                    .createFromConfig(loaded, classLoader),
                    () ->
                            new LocalRecoveryRocksDBStateBackendFactory()
                                    .createFromConfig(loaded, classLoader)
                }) {
            assertThatThrownBy(factory::run)
                    .isInstanceOf(IllegalConfigurationException.class)
                    .hasMessageContaining(FLINK_ERROR)
                    .hasMessageContaining(
                            "state.backend.local-recovery: ENABLE_FILE_BASED\n"
                                    + "execution.state-recovery.from-local: true\n"
                                    + "execution.checkpointing.local-backup.enabled: false");
        }

        // the fix from the message, applied to config.yaml: the TaskManager starts and registers
        Map<String, String> fixed = cluster.config();
        fixed.put("execution.state-recovery.from-local", "true");
        fixed.put("execution.checkpointing.local-backup.enabled", "false");
        cluster.writeConfig(fixed);
        cluster.startTaskManager("tm-1");
        cluster.waitForTaskManagers("tm-1");
        Configuration fixedConfig =
                GlobalConfiguration.loadConfiguration(cluster.confDir().toString());
        assertThat(
                        new LocalRecoveryHashMapStateBackendFactory()
                                .createFromConfig(fixedConfig, classLoader))
                .isNotNull();
    }
}
