package io.flinklocalrecovery.rocksdb.testjob;

import org.apache.flink.configuration.Configuration;

import io.flinklocalrecovery.rocksdb.LocalRecoveryRocksDBStateBackendFactory;

import java.nio.file.Path;

/** The shared test job configuration with the RocksDB backend of the plugin. */
public final class TestJobConfig {

    private TestJobConfig() {}

    public static Configuration rocksDBLocalRecovery(
            String mode,
            int retained,
            boolean incremental,
            String timerService,
            Path localDir,
            String checkpointDir) {
        Configuration config =
                io.flinklocalrecovery.core.testjob.TestJobConfig.localRecovery(
                        LocalRecoveryRocksDBStateBackendFactory.class.getName(),
                        mode,
                        retained,
                        localDir,
                        checkpointDir);
        config.setString("execution.checkpointing.incremental", String.valueOf(incremental));
        config.setString("state.backend.rocksdb.timer-service.factory", timerService);
        return config;
    }
}
