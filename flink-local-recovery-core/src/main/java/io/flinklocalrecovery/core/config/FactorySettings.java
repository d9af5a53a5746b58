package io.flinklocalrecovery.core.config;

import org.apache.flink.configuration.IllegalConfigurationException;
import org.apache.flink.configuration.ReadableConfig;

import org.slf4j.Logger;

/**
 * What every state backend factory of the plugin does with its configuration before it builds the
 * backend: read and validate the options, refuse Flink's config trap with the exact fix, warn about
 * wasteful setups, and switch local copies off where the setup is not supported.
 */
public final class FactorySettings {

    private FactorySettings() {}

    public static LocalRecoverySettings read(ReadableConfig config, Logger log)
            throws IllegalConfigurationException {
        LocalRecoverySettings configured = LocalRecoverySettings.fromConfig(config);
        FlinkLocalRecoveryConfigCheck.checkNoFlinkParseTrap(config, configured.getMode());
        for (String warning :
                FlinkLocalRecoveryConfigCheck.warnings(config, configured.getMode())) {
            log.warn(warning);
        }
        return PassThroughConditions.apply(configured, config, log);
    }
}
