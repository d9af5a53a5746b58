package io.flinklocalrecovery.fs;

import org.apache.flink.configuration.IllegalConfigurationException;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.runtime.state.StateBackendFactory;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackendFactory;

import io.flinklocalrecovery.core.config.FactorySettings;
import io.flinklocalrecovery.core.config.LocalRecoverySettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the heap (HashMap) state backend with this plugin's task-local recovery. Configure it
 * with {@code state.backend.type:
 * io.flinklocalrecovery.fs.LocalRecoveryHashMapStateBackendFactory}.
 *
 * <p>Cheap and free of side effects: it runs on the JobManager and in every task; directories are
 * only touched by the tasks, when local copies are written.
 */
public class LocalRecoveryHashMapStateBackendFactory
        implements StateBackendFactory<LocalRecoveryHashMapStateBackend> {

    private static final Logger LOG =
            LoggerFactory.getLogger(LocalRecoveryHashMapStateBackendFactory.class);

    @Override
    public LocalRecoveryHashMapStateBackend createFromConfig(
            ReadableConfig config, ClassLoader classLoader) throws IllegalConfigurationException {
        LocalRecoverySettings settings = FactorySettings.read(config, LOG);
        HashMapStateBackend delegate =
                new HashMapStateBackendFactory().createFromConfig(config, classLoader);
        LOG.debug("Created the HashMap state backend with {}", settings);
        return new LocalRecoveryHashMapStateBackend(delegate, settings);
    }
}
