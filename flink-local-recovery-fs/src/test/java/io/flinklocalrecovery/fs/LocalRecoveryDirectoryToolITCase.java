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
package io.flinklocalrecovery.fs;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

import io.flinklocalrecovery.core.backend.LocalRecoveryRuntime;
import io.flinklocalrecovery.core.config.LocalRecoveryOptions;
import io.flinklocalrecovery.core.store.StoreInspection;
import io.flinklocalrecovery.core.store.StoreInspection.StoredCheckpoint;
import io.flinklocalrecovery.core.store.StoreInspection.StoredJob;
import io.flinklocalrecovery.core.tool.LocalRecoveryDirectoryTool;
import io.flinklocalrecovery.fs.testjob.TestJobConfig;
import io.flinklocalrecovery.testutils.minicluster.FailureTrigger;
import io.flinklocalrecovery.testutils.minicluster.LocalRecoveryJobRuns;
import io.flinklocalrecovery.testutils.minicluster.LocalRecoveryJobRuns.Damage;
import io.flinklocalrecovery.testutils.minicluster.LocalRecoveryJobRuns.JobRun;
import io.flinklocalrecovery.testutils.minicluster.StatefulTestJob;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.flinklocalrecovery.testutils.minicluster.Waits.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The directory tool on a store written by a real job: {@code list} shows it, {@code verify} finds
 * a flipped byte, {@code clean} reports (dry run) and then removes what the store would collect,
 * never while the TaskManager holds the root, and paths outside a local-recovery directory are
 * refused.
 */
class LocalRecoveryDirectoryToolITCase {

    private static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setConfiguration(REPORTER.addToConfiguration(new Configuration()))
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(4)
                            .build());

    private static final long RECORDS = 3_000;

    @TempDir Path tmp;

    @AfterEach
    void tearDown() {
        LocalRecoveryRuntime.shutDownAll();
    }

    @Test
    void listsVerifiesAndCleansTheCopiesOfARealJob() throws Exception {
        Path localDir = tmp.resolve("local");
        Configuration config =
                TestJobConfig.heapLocalRecovery(
                        "ENABLE_FILE_BASED",
                        1,
                        localDir,
                        tmp.resolve("checkpoints").toUri().toString());
        // the copies stay after the job, for the tool to look at
        config.set(LocalRecoveryOptions.RELEASED_COPIES_LIFETIME, Duration.ofHours(1));
        FailureTrigger.reset(Integer.MAX_VALUE);
        JobRun run = LocalRecoveryJobRuns.run(config, RECORDS, 1_500, "tool-it", null);
        assertThat(run.output).isEqualTo(StatefulTestJob.expectedOutput(RECORDS));
        String jobId = run.jobId.toHexString();
        waitUntil(
                () -> LocalRecoveryJobRuns.noPendingLocalCheckpoints(run.jobId),
                "local copies in flight to settle");

        // the TaskManager (this process) still holds the root: clean touches nothing
        Tool inUse = Tool.run("clean", "--apply", "--released-lifetime", "0s", localDir.toString());
        assertThat(inUse.exit).isEqualTo(LocalRecoveryDirectoryTool.SKIPPED_IN_USE);
        assertThat(inUse.out).contains("in use by a running TaskManager");
        assertThat(LocalRecoveryJobRuns.localJobDirectories(localDir)).isNotEmpty();

        LocalRecoveryRuntime.shutDownAll(); // the TaskManager stops; its copies stay
        List<Path> roots = StoreInspection.rootsIn(localDir);
        assertThat(roots).hasSize(1);
        Path root = roots.get(0);
        List<StoredCheckpoint> stored = checkpoints(root);
        assertThat(stored).isNotEmpty().allMatch(c -> c.manifest != null);

        Tool list = Tool.run("list", localDir.toString());
        assertThat(list.exit).isEqualTo(LocalRecoveryDirectoryTool.OK);
        assertThat(list.out)
                .contains("root " + root + " (owner not running)")
                .contains("job " + jobId)
                .contains("subtask 0 keyed checkpoint " + stored.get(0).checkpointId)
                .contains("operator checkpoint")
                .contains("complete,");

        Tool intact = Tool.run("verify", root.toString());
        assertThat(intact.exit).as(intact.out).isEqualTo(LocalRecoveryDirectoryTool.OK);
        assertThat(intact.out).contains("nothing damaged");

        StoredCheckpoint withFile =
                stored.stream().filter(c -> !c.manifest.getEntries().isEmpty()).findFirst().get();
        Path flipped =
                withFile.directory.resolve(withFile.manifest.getEntries().get(0).getFileName());
        Damage.BIT_FLIPPED.applyTo(flipped);
        Tool damaged = Tool.run("verify", localDir.toString());
        assertThat(damaged.exit).isEqualTo(LocalRecoveryDirectoryTool.DAMAGED);
        assertThat(damaged.out)
                .contains("DAMAGED " + flipped + ": CRC32C")
                .contains("1 damaged files");

        // what a crash leaves: a checkpoint without a manifest, a file no manifest lists
        Path incomplete = withFile.directory.resolveSibling("chk_999999");
        Files.createDirectories(incomplete);
        Files.write(incomplete.resolve("half-written.data"), new byte[100]);
        Path stray = withFile.directory.resolve("stray.tmp");
        Files.write(stray, new byte[10]);

        Tool dryRun = Tool.run("clean", localDir.toString());
        assertThat(dryRun.exit).isEqualTo(LocalRecoveryDirectoryTool.OK);
        assertThat(dryRun.out)
                .contains("Would remove " + incomplete + " (an incomplete checkpoint")
                .contains("Would remove " + stray + " (a file no manifest lists)")
                .contains("Dry run: would remove 2 entries");
        assertThat(incomplete).exists();
        assertThat(stray).exists();

        Tool clean = Tool.run("clean", "--apply", localDir.toString());
        assertThat(clean.exit).isEqualTo(LocalRecoveryDirectoryTool.OK);
        assertThat(clean.out).contains("Removed 2 entries.");
        assertThat(incomplete).doesNotExist();
        assertThat(stray).doesNotExist();
        assertThat(checkpoints(root)).hasSameSizeAs(stored); // complete copies stay

        Tool released =
                Tool.run("clean", "--apply", "--released-lifetime", "0s", localDir.toString());
        assertThat(released.exit).isEqualTo(LocalRecoveryDirectoryTool.OK);
        assertThat(released.out).contains("job_" + jobId);
        assertThat(LocalRecoveryJobRuns.localJobDirectories(localDir)).isEmpty();
        assertThat(root.resolve(".lock")).exists();
    }

    @Test
    void refusesPathsOutsideALocalRecoveryDirectory() throws Exception {
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        Files.write(elsewhere.resolve("precious"), new byte[] {1});

        Tool refused = Tool.run("clean", "--apply", elsewhere.toString());

        assertThat(refused.exit).isEqualTo(LocalRecoveryDirectoryTool.USAGE);
        assertThat(refused.err).contains("Refusing " + elsewhere);
        assertThat(elsewhere.resolve("precious")).exists();
        assertThat(Tool.run("scrub", elsewhere.toString()).exit)
                .isEqualTo(LocalRecoveryDirectoryTool.USAGE);
        assertThat(Tool.run("list").err).contains("Usage:");
    }

    private static List<StoredCheckpoint> checkpoints(Path root) throws Exception {
        List<StoredCheckpoint> all = new ArrayList<>();
        for (StoredJob job : StoreInspection.list(root)) {
            all.addAll(job.checkpoints);
        }
        return all;
    }

    /** One run of the tool, its exit code and what it printed. */
    private static final class Tool {
        final int exit;
        final String out;
        final String err;

        private Tool(int exit, String out, String err) {
            this.exit = exit;
            this.out = out;
            this.err = err;
        }

        static Tool run(String... args) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int exit =
                    LocalRecoveryDirectoryTool.run(
                            args,
                            new PrintStream(out, true, StandardCharsets.UTF_8),
                            new PrintStream(err, true, StandardCharsets.UTF_8));
            return new Tool(
                    exit,
                    out.toString(StandardCharsets.UTF_8),
                    err.toString(StandardCharsets.UTF_8));
        }
    }
}
