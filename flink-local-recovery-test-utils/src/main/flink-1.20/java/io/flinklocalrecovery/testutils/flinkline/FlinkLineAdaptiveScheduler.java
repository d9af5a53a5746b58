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
import org.apache.flink.runtime.rest.RestClient;
import org.apache.flink.runtime.rest.messages.JobMessageParameters;
import org.apache.flink.runtime.rest.messages.job.JobResourceRequirementsBody;
import org.apache.flink.runtime.rest.messages.job.JobResourcesRequirementsUpdateHeaders;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The adaptive scheduler's options and in-place rescaling on a MiniCluster, in Flink 1.20: its
 * MiniCluster has no method to change a running job's resource requirements, so the change goes
 * through the cluster's REST endpoint ({@code PUT /jobs/:jobid/resource-requirements}), as {@code
 * flink}'s users do it.
 */
public final class FlinkLineAdaptiveScheduler {

    /** Whether a MiniCluster can change a running job's resource requirements. */
    public static final boolean IN_PLACE_RESCALE = true;

    private FlinkLineAdaptiveScheduler() {}

    /**
     * The adaptive scheduler, rescaling as soon as the resource requirements change.
     *
     * <p>{@link JobManagerOptions#RESOURCE_STABILIZATION_TIMEOUT} keeps Flink's default: in 1.20 it
     * is the wait of {@code WaitingForResources}, which a submitted job and a rescaled or restarted
     * one all pass through, and which ends at once when the desired slots are there. Set to zero, a
     * job goes on with the first slot offered: a job of parallelism 2 started on one slot and was
     * rescaled (restarted) as soon as the second came, on a busy machine. It is the timeout 2.x
     * calls the submission's ({@code
     * jobmanager.adaptive-scheduler.submission.resource-stabilization-timeout}), which the 2.x
     * adapter leaves at its default too.
     */
    public static Configuration rescalingAtOnce(Configuration cluster) {
        cluster.set(JobManagerOptions.SCHEDULER, JobManagerOptions.SchedulerType.Adaptive);
        cluster.set(JobManagerOptions.SCHEDULER_SCALING_INTERVAL_MIN, Duration.ZERO);
        return cluster;
    }

    /** As {@link #rescalingAtOnce}: Flink 1.20 does not wait for a checkpoint to rescale. */
    public static Configuration rescalingAtOnceWithoutCheckpointWait(Configuration cluster) {
        return rescalingAtOnce(cluster);
    }

    public static void updateJobResourceRequirements(
            MiniCluster cluster, JobID jobId, JobResourceRequirements requirements)
            throws Exception {
        URI rest = cluster.getRestAddress().get();
        JobResourcesRequirementsUpdateHeaders headers =
                JobResourcesRequirementsUpdateHeaders.INSTANCE;
        JobMessageParameters parameters = headers.getUnresolvedMessageParameters();
        parameters.jobPathParameter.resolve(jobId);
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try (RestClient client = new RestClient(new Configuration(), executor)) {
            client.sendRequest(
                            rest.getHost(),
                            rest.getPort(),
                            headers,
                            parameters,
                            new JobResourceRequirementsBody(requirements))
                    .get();
        } finally {
            executor.shutdownNow();
        }
    }
}
