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

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Where {@link StartupRecovery} hands what it finds in a live store: the store's bookkeeping, under
 * the store's lock. At open, every job found is one that no task of this process runs yet
 * ("unclaimed", or released at the time its marker holds). A root adopted later may hold copies of
 * jobs that run here already: those copies simply join the job (its retention decides), a job that
 * does not run here is handled as at open.
 */
@Internal
final class RecoveredCopies implements StartupRecovery.Sink {

    private final Object lock;
    private final CheckpointRegistry registry;
    private final ReleasedCopiesCollector released;
    private final StoreHousekeeping housekeeping;
    private final LockedRoots roots;

    /** Per job: whether it ran here before these copies were found. */
    private final Map<String, Boolean> runningHere = new HashMap<>();

    private final Set<String> jobs = new HashSet<>();
    private int checkpoints;
    private long bytes;

    RecoveredCopies(
            Object lock,
            CheckpointRegistry registry,
            ReleasedCopiesCollector released,
            StoreHousekeeping housekeeping,
            LockedRoots roots) {
        this.lock = lock;
        this.registry = registry;
        this.released = released;
        this.housekeeping = housekeeping;
        this.roots = roots;
    }

    @Override
    public void recovered(Path checkpointDir, LocalCheckpointManifest manifest) {
        CopyOrigin origin = roots.originOf(checkpointDir);
        DiskFootprint footprint = DiskFootprint.measure(checkpointDir, manifest); // not locked
        String jobId = manifest.getScope().getJobId();
        synchronized (lock) {
            runningHere.computeIfAbsent(jobId, this::runsHere);
            if (registry.addRecovered(checkpointDir, manifest, origin, footprint)) {
                jobs.add(jobId);
                checkpoints++;
                bytes += manifest.totalBytes();
            } else {
                // the store holds this scope's copy of the checkpoint already: one is enough
                housekeeping.delete(checkpointDir);
            }
        }
    }

    @Override
    public void recoveredReleased(String jobId, long releasedAt) {
        synchronized (lock) {
            if (!runningHere.getOrDefault(jobId, false)) {
                released.recoveredReleased(jobId, releasedAt);
            }
        }
    }

    @Override
    public void recoveredUnclaimed(String jobId) {
        synchronized (lock) {
            if (!runningHere.getOrDefault(jobId, false)) {
                released.recoveredUnclaimed(jobId);
            }
        }
    }

    /** The jobs that got copies. */
    Set<String> jobs() {
        return jobs;
    }

    /** Local checkpoints that joined the store. */
    int checkpoints() {
        return checkpoints;
    }

    /** Their recorded bytes (a file hard-linked into several checkpoints counts in each). */
    long bytes() {
        return bytes;
    }

    private boolean runsHere(String jobId) {
        JobCheckpoints job = registry.existingJob(jobId);
        return job != null && job.releasedAtMillis == 0;
    }
}
