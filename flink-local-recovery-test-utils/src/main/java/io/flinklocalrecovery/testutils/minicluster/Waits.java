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

import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.time.Deadline;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.CommonTestUtils;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Bounded polling for conditions of a running job; never a fixed sleep as synchronization. */
public final class Waits {

    public static final Duration TIMEOUT = Duration.ofMinutes(2);

    private static final long POLL_MILLIS = 20;

    private Waits() {}

    public static void waitUntil(BooleanSupplier condition, String what) throws Exception {
        Deadline deadline = Deadline.fromNow(TIMEOUT);
        CommonTestUtils.waitUntilCondition(
                () -> {
                    if (condition.getAsBoolean()) {
                        return true;
                    }
                    if (deadline.isOverdue()) {
                        throw new AssertionError("Timed out waiting for " + what);
                    }
                    return false;
                },
                POLL_MILLIS);
    }

    public static JobStatus status(JobClient client) {
        try {
            return client.getJobStatus().get();
        } catch (Exception e) {
            return JobStatus.FAILED;
        }
    }
}
