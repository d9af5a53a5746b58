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
package io.flinklocalrecovery.core.metrics;

import org.apache.flink.annotation.Internal;

/**
 * Why the disk budget evicted a local copy to make room for a newer one, in the order the store
 * evicts: what is least likely to be restored first. Each value is counted in its own metric.
 */
@Internal
public enum EvictionReason {
    /**
     * The root a TaskManager that is gone left beside this one's on the same file system (no live
     * process holds it), collected at once, whatever its age, when the free space fell below the
     * reserve; counted per root.
     */
    ORPHANED_ROOT("orphanedRoot"),
    /**
     * A copy of a job that left this TaskManager (released, within its released-copies lifetime) or
     * that no task claimed since the TaskManager restarted (orphaned by a crash).
     */
    RELEASED_JOB("releasedJob"),
    /** A confirmed copy older than the newest one of its operator subtask, oldest first. */
    OLDER_CHECKPOINT("olderCheckpoint"),
    /** The newest copy of a subtask, evicted to make room for that subtask's newer copy. */
    REPLACED_BY_NEWER("replacedByNewer");

    private final String metricName;

    EvictionReason(String metricName) {
        this.metricName = metricName;
    }

    public String getMetricName() {
        return metricName;
    }
}
