package io.flinklocalrecovery.fs.testjob;

import org.apache.flink.configuration.Configuration;

import io.flinklocalrecovery.fs.LocalRecoveryHashMapStateBackendFactory;

import java.nio.file.Path;

/** The job configuration the integration tests share: the documented setup, fast checkpoints. */
public final class TestJobConfig {

    private TestJobConfig() {}

    public static Configuration heapLocalRecovery(
            String mode, int retained, Path localDir, String checkpointDir) {
        Configuration config = new Configuration();
        config.setString(
                "state.backend.type", LocalRecoveryHashMapStateBackendFactory.class.getName());
        config.setString("state.backend.local-recovery", mode);
        config.setString("execution.state-recovery.from-local", "true");
        config.setString("execution.checkpointing.local-backup.enabled", "false");
        config.setString("state.backend.local-recovery.dirs", localDir.toString());
        config.setString(
                "state.backend.local-recovery.retained-checkpoints", String.valueOf(retained));
        config.setString("execution.checkpointing.dir", checkpointDir);
        config.setString("execution.checkpointing.interval", "100 ms");
        // every non-empty state stream becomes a file, so every handle can have a local copy
        config.setString("execution.checkpointing.data-inline-threshold", "0 b");
        config.setString("restart-strategy.type", "fixed-delay");
        config.setString("restart-strategy.fixed-delay.attempts", "3");
        config.setString("restart-strategy.fixed-delay.delay", "0 s");
        config.setString("parallelism.default", "2");
        return config;
    }
}
