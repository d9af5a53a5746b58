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
package io.flinklocalrecovery.core.store;

import org.apache.flink.annotation.Internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@value TaskLocalSnapshotStore#RELEASED_MARKER} file in a job directory: the job left this
 * TaskManager at the time it holds (milliseconds), so that a restarted process keeps its copies for
 * what is left of their lifetime only. Written and deleted on the housekeeping thread.
 */
@Internal
final class ReleasedMarkers {

    private static final Logger LOG = LoggerFactory.getLogger(ReleasedMarkers.class);

    /** A marker is a number; anything longer is not one. */
    private static final long MAX_MARKER_BYTES = 32;

    private ReleasedMarkers() {}

    static void write(List<Path> roots, String jobId, long releasedAt) {
        for (Path root : roots) {
            Path jobDir = root.resolve(LocalSnapshotScope.jobDirName(jobId));
            if (Files.isDirectory(jobDir, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    AtomicFiles.write(
                            jobDir.resolve(TaskLocalSnapshotStore.RELEASED_MARKER),
                            Long.toString(releasedAt).getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    LOG.debug("Could not mark the local copies in {} as released", jobDir, e);
                }
            }
        }
    }

    static void delete(List<Path> roots, String jobId) {
        for (Path root : roots) {
            try {
                Files.deleteIfExists(
                        root.resolve(LocalSnapshotScope.jobDirName(jobId))
                                .resolve(TaskLocalSnapshotStore.RELEASED_MARKER));
            } catch (IOException e) {
                LOG.debug("Could not delete the released marker of job {} in {}", jobId, root, e);
            }
        }
    }

    /**
     * The time in a job directory's marker; 0 if there is none, {@code now} if it cannot be read
     * (released at an unknown time: the lifetime starts now).
     */
    static long read(Path jobDir, long now) {
        Path marker = jobDir.resolve(TaskLocalSnapshotStore.RELEASED_MARKER);
        try {
            if (!Files.exists(marker, LinkOption.NOFOLLOW_LINKS)) {
                return 0;
            }
            if (!Files.isRegularFile(marker, LinkOption.NOFOLLOW_LINKS)
                    || Files.size(marker) > MAX_MARKER_BYTES) {
                throw new IOException("not a released marker: " + marker);
            }
            return Long.parseLong(
                    new String(Files.readAllBytes(marker), StandardCharsets.US_ASCII).trim());
        } catch (IOException | NumberFormatException e) {
            return now;
        }
    }
}
