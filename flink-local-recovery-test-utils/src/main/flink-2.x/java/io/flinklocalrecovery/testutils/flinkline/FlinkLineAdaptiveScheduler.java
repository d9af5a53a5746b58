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
package io.flinklocalrecovery.testutils.flinkline;

import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.runtime.jobgraph.JobResourceRequirements;
import org.apache.flink.runtime.minicluster.MiniCluster;

import java.time.Duration;

/** The adaptive scheduler's options and in-place rescaling on a MiniCluster, in Flink 2.x. */
public final class FlinkLineAdaptiveScheduler {

    /** Whether a MiniCluster can change a running job's resource requirements. */
    public static final boolean IN_PLACE_RESCALE = true;

    private FlinkLineAdaptiveScheduler() {}

    /** The adaptive scheduler, rescaling as soon as the resource requirements change. */
    public static Configuration rescalingAtOnce(Configuration cluster) {
        cluster.set(JobManagerOptions.SCHEDULER, JobManagerOptions.SchedulerType.Adaptive);
        cluster.set(JobManagerOptions.SCHEDULER_EXECUTING_COOLDOWN_AFTER_RESCALING, Duration.ZERO);
        cluster.set(
                JobManagerOptions.SCHEDULER_EXECUTING_RESOURCE_STABILIZATION_TIMEOUT,
                Duration.ZERO);
        return cluster;
    }

    /**
     * As {@link #rescalingAtOnce}, and without waiting for the next checkpoint after a change
     * (FLIP-461's rescale trigger), so that a measured rescale time is the rescale's own.
     */
    public static Configuration rescalingAtOnceWithoutCheckpointWait(Configuration cluster) {
        rescalingAtOnce(cluster);
        cluster.set(JobManagerOptions.SCHEDULER_RESCALE_TRIGGER_MAX_DELAY, Duration.ZERO);
        return cluster;
    }

    public static void updateJobResourceRequirements(
            MiniCluster cluster, JobID jobId, JobResourceRequirements requirements)
            throws Exception {
        cluster.updateJobResourceRequirements(jobId, requirements).get();
    }
}
