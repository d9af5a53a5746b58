package io.flinklocalrecovery.core.backend;

import io.flinklocalrecovery.core.config.LocalRecoveryMode;
import io.flinklocalrecovery.core.config.LocalRecoverySettings;
import io.flinklocalrecovery.core.snapshot.LocalFileOutputFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class LocalRecoveryRuntimeTest {

    @TempDir Path tmp;

    private final AtomicLong now = new AtomicLong(1_000_000);

    @AfterEach
    void tearDown() {
        LocalRecoveryRuntime.shutDownAll();
        LocalRecoveryRuntime.clock = System::currentTimeMillis;
    }

    @Test
    void unusableDirectoriesAreTriedAgainOnceTheRetryIntervalPassed() throws Exception {
        LocalRecoveryRuntime.clock = now::get;
        Path blocker = tmp.resolve("not-yet-mounted");
        Files.writeString(blocker, "a regular file where the directory should be");
        List<Path> roots = List.of(blocker.resolve("local"));

        assertThat(open(roots)).isEmpty();

        // fixed, but not tried again at once
        Files.delete(blocker);
        now.addAndGet(LocalRecoveryRuntime.RETRY_FAILED_AFTER.toMillis() - 1);
        assertThat(open(roots)).isEmpty();

        now.addAndGet(1);
        assertThat(open(roots)).isPresent();
    }

    private static java.util.Optional<LocalRecoveryRuntime> open(List<Path> roots) {
        return LocalRecoveryRuntime.forRoots(
                roots,
                new LocalRecoverySettings(
                        LocalRecoveryMode.ENABLE_FILE_BASED, List.of(), 1, true, 1 << 20),
                LocalFileOutputFactory.DEFAULT);
    }
}
