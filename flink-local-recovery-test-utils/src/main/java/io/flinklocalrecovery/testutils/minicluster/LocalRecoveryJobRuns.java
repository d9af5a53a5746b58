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
package io.flinklocalrecovery.testutils.minicluster;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.CommonTestUtils;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

import io.flinklocalrecovery.core.backend.LocalRecoveryRuntime;
import io.flinklocalrecovery.core.metrics.FallbackReason;
import io.flinklocalrecovery.testutils.flinkline.FlinkLineJobEnvironment;

import javax.annotation.Nullable;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.flinklocalrecovery.testutils.minicluster.Waits.status;
import static io.flinklocalrecovery.testutils.minicluster.Waits.waitUntil;

/**
 * Runs {@link StatefulTestJob} on the MiniCluster of a test and damages its local copies: what the
 * MiniCluster ITCases of every backend do the same way.
 */
public final class LocalRecoveryJobRuns {

    /** The last element of the primary checkpoint's path: {@code chk-<id>}. */
    private static final Pattern CHECKPOINT_DIRECTORY = Pattern.compile("chk-(\\d+)/*$");

    private LocalRecoveryJobRuns() {}

    /** Something to do while the job runs, on the test thread. */
    @FunctionalInterface
    public interface WhileRunning {
        void run(JobClient client, JobID jobId) throws Exception;
    }

    /** Damage done to the local copies of a job's checkpoint. */
    @FunctionalInterface
    public interface Damaging {
        void damage(JobID jobId, long checkpointId) throws Exception;
    }

    /** A finished job: its id and its sorted output. */
    public static final class JobRun {
        public final JobID jobId;
        public final List<String> output;

        JobRun(JobID jobId, List<String> output) {
            this.jobId = jobId;
            this.output = output;
        }
    }

    /** How a test damages a local file. */
    public enum Damage {
        DELETED(FallbackReason.FILE_MISSING_OR_TRUNCATED),
        TRUNCATED(FallbackReason.FILE_MISSING_OR_TRUNCATED),
        BIT_FLIPPED(FallbackReason.CHECKSUM_MISMATCH);

        /** The plugin's fallback reason it causes. */
        public final FallbackReason reason;

        Damage(FallbackReason reason) {
            this.reason = reason;
        }

        public void applyTo(Path file) throws IOException {
            switch (this) {
                case DELETED:
                    Files.delete(file);
                    break;
                case TRUNCATED:
                    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                        raf.setLength(Math.max(0, raf.length() - 1));
                    }
                    break;
                case BIT_FLIPPED:
                    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                        long at = raf.length() / 2;
                        raf.seek(at);
                        int b = raf.read();
                        raf.seek(at);
                        raf.write(b ^ 0x01);
                    }
                    break;
                default:
                    throw new IllegalArgumentException(toString());
            }
        }
    }

    /** Runs the job to its end and collects its output. */
    public static JobRun run(
            Configuration config,
            long records,
            double rate,
            String name,
            @Nullable WhileRunning whileRunning)
            throws Exception {
        return run(config, records, RateLimiterStrategy.perSecond(rate), name, whileRunning);
    }

    /** Runs the job, its source paced by {@code pace}, to its end and collects its output. */
    public static JobRun run(
            Configuration config,
            long records,
            RateLimiterStrategy pace,
            String name,
            @Nullable WhileRunning whileRunning)
            throws Exception {
        StreamExecutionEnvironment env = FlinkLineJobEnvironment.of(config);
        DataStream<String> summaries = StatefulTestJob.build(env, records, pace);
        List<String> output = new ArrayList<>();
        try (CloseableIterator<String> results = summaries.collectAsync()) {
            JobClient client = env.executeAsync(name);
            if (whileRunning != null) {
                whileRunning.run(client, client.getJobID());
            }
            results.forEachRemaining(output::add);
            client.getJobExecutionResult().get();
            output.sort(null);
            return new JobRun(client.getJobID(), output);
        }
    }

    /**
     * Damages the local copies of the checkpoint the restore will use (the JobManager's newest
     * completed one) while the job waits to restart after the injected failure (the configuration
     * needs a restart delay), once no local copy is in flight: before any restore. No checkpoint
     * completes while the job is restarting, so the newest completed one is the one restored, and
     * the store keeps it (it prunes only below a newer confirmed checkpoint) while it is damaged.
     */
    public static DamageWhileRestarting damageWhileRestarting(
            MiniCluster cluster, Damaging damaging) {
        return new DamageWhileRestarting(cluster, damaging);
    }

    /** {@link #damageWhileRestarting}: remembers which checkpoint it damaged. */
    public static final class DamageWhileRestarting implements WhileRunning {

        private final MiniCluster cluster;
        private final Damaging damaging;
        private volatile long damagedCheckpoint = -1;

        private DamageWhileRestarting(MiniCluster cluster, Damaging damaging) {
            this.cluster = cluster;
            this.damaging = damaging;
        }

        @Override
        public void run(JobClient client, JobID jobId) throws Exception {
            waitUntil(FailureTrigger::hasFailed, "the injected failure");
            waitUntil(() -> status(client) == JobStatus.RESTARTING, "the job to be restarting");
            waitUntil(() -> noPendingLocalCheckpoints(jobId), "local copies in flight to settle");
            long checkpointId = latestCompletedCheckpointId(cluster, jobId);
            damaging.damage(jobId, checkpointId);
            damagedCheckpoint = checkpointId;
        }

        /** The id of the checkpoint whose local copies were damaged; -1 before. */
        public long damagedCheckpoint() {
            return damagedCheckpoint;
        }
    }

    /** The id of the JobManager's newest completed checkpoint of the job. */
    public static long latestCompletedCheckpointId(MiniCluster cluster, JobID jobId)
            throws Exception {
        String path =
                CommonTestUtils.getLatestCompletedCheckpointPath(jobId, cluster)
                        .orElseThrow(
                                () -> new AssertionError("no completed checkpoint of " + jobId));
        Matcher id = CHECKPOINT_DIRECTORY.matcher(path);
        if (!id.find()) {
            throw new AssertionError("no checkpoint id in the checkpoint path " + path);
        }
        return Long.parseLong(id.group(1));
    }

    /** The local files of a job's checkpoint: those under its {@code chk_<id>} directories. */
    public static boolean inLocalCheckpoint(Path file, long checkpointId) {
        for (Path dir = file.getParent(); dir != null; dir = dir.getParent()) {
            if (dir.getFileName() != null
                    && dir.getFileName().toString().equals("chk_" + checkpointId)) {
                return true;
            }
        }
        return false;
    }

    /** Whether every local checkpoint of the job that was begun has been committed or dropped. */
    public static boolean noPendingLocalCheckpoints(JobID jobId) {
        return LocalRecoveryRuntime.existing().stream()
                .allMatch(r -> r.store().pendingCheckpoints(jobId.toHexString()) == 0);
    }

    /** The per-job directories under the local root directories of a test. */
    public static List<Path> localJobDirectories(Path localDir) {
        if (!Files.exists(localDir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(localDir, 2)) {
            return files.filter(p -> p.getFileName().toString().startsWith("job_"))
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
