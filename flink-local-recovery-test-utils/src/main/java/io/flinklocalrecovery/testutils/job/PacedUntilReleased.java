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
package io.flinklocalrecovery.testutils.job;

import org.apache.flink.api.connector.source.SourceSplit;

import io.flinklocalrecovery.testutils.flinkline.FlinkLineRateLimiterStrategy;
import io.flinklocalrecovery.testutils.flinkline.Permits;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Paces the source until a marker file exists, then lets it run at full speed. The test keeps the
 * job running (and its task metrics readable) for as long as it needs, then releases it to finish.
 * Waiting is asynchronous, so checkpoints are never held up by the pacing.
 */
public final class PacedUntilReleased extends FlinkLineRateLimiterStrategy<SourceSplit> {

    private static final long serialVersionUID = 1L;

    private final double recordsPerSecond;
    private final String releaseMarker;

    public PacedUntilReleased(double recordsPerSecond, String releaseMarker) {
        this.recordsPerSecond = recordsPerSecond;
        this.releaseMarker = releaseMarker;
    }

    @Override
    protected Permits createPermits(int parallelism) {
        return new Limiter(recordsPerSecond / parallelism, Paths.get(releaseMarker));
    }

    private static final class Limiter implements Permits {

        private static final long serialVersionUID = 1L;

        private static final ScheduledExecutorService TIMER =
                Executors.newSingleThreadScheduledExecutor(
                        runnable -> {
                            Thread thread = new Thread(runnable, "paced-source-timer");
                            thread.setDaemon(true);
                            return thread;
                        });

        private final long nanosPerRecord;
        private final Path releaseMarker;
        private boolean released;

        Limiter(double recordsPerSecond, Path releaseMarker) {
            this.nanosPerRecord = (long) (1_000_000_000L / recordsPerSecond);
            this.releaseMarker = releaseMarker;
        }

        @Override
        public CompletionStage<Void> acquire(int records) {
            if (released || (released = Files.exists(releaseMarker))) {
                return CompletableFuture.completedFuture(null);
            }
            CompletableFuture<Void> permit = new CompletableFuture<>();
            TIMER.schedule(
                    () -> permit.complete(null), nanosPerRecord * records, TimeUnit.NANOSECONDS);
            return permit;
        }
    }
}
