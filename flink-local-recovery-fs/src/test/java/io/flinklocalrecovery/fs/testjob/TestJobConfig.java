package io.flinklocalrecovery.fs.testjob;

import org.apache.flink.configuration.Configuration;

import io.flinklocalrecovery.fs.LocalRecoveryHashMapStateBackendFactory;

import java.nio.file.Path;

/** The shared test job configuration with the heap backend of the plugin. */
public final class TestJobConfig {

    private TestJobConfig() {}

    public static Configuration heapLocalRecovery(
            String mode, int retained, Path localDir, String checkpointDir) {
        return io.flinklocalrecovery.core.testjob.TestJobConfig.localRecovery(
                LocalRecoveryHashMapStateBackendFactory.class.getName(),
                mode,
                retained,
                localDir,
                checkpointDir);
    }
}
