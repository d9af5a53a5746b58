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

import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.IllegalConfigurationException;
import org.apache.flink.configuration.ReadableConfig;

import io.flinklocalrecovery.core.flinkline.FlinkLineCheck;
import org.slf4j.Logger;

/**
 * What every state backend factory of the plugin does with its configuration before it builds the
 * backend: check that the running Flink is of the line the plugin is built for, read and validate
 * the options, refuse Flink's config trap with the exact fix, warn about wasteful setups, and
 * switch local copies off where the setup is not supported.
 */
@Internal
public final class FactorySettings {

    private FactorySettings() {}

    public static LocalRecoverySettings read(ReadableConfig config, Logger log)
            throws IllegalConfigurationException {
        FlinkLineCheck.checkRunningFlink();
        LocalRecoverySettings configured = LocalRecoverySettings.fromConfig(config);
        FlinkLocalRecoveryConfigCheck.checkNoFlinkParseTrap(config, configured.getMode());
        for (String warning :
                FlinkLocalRecoveryConfigCheck.warnings(config, configured.getMode())) {
            log.warn(warning);
        }
        return PassThroughConditions.apply(configured, config, log);
    }
}
