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
package io.flinklocalrecovery.testutils.cluster;

import org.apache.flink.api.common.time.Deadline;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Bounded polling for a condition of the cluster that fails early when a process it depends on
 * exited; on timeout or exit the failure names the condition and the process's logs.
 */
final class ClusterWaits {

    private static final long POLL_MILLIS = 100;

    private ClusterWaits() {}

    static void waitUntil(
            ClusterProcesses processes,
            BooleanSupplier condition,
            Duration timeout,
            String what,
            String... names)
            throws Exception {
        Deadline deadline = Deadline.fromNow(timeout);
        while (!condition.getAsBoolean()) {
            for (String name : names) {
                if (processes.isStarted(name) && !processes.isAlive(name)) {
                    throw new AssertionError(
                            name
                                    + " exited while waiting for "
                                    + what
                                    + "; see "
                                    + processes.output(name)
                                    + " and "
                                    + processes.log(name)
                                    + ":\n"
                                    + StandaloneFlinkCluster.tail(processes.output(name)));
                }
            }
            if (deadline.isOverdue()) {
                throw new AssertionError("Timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(POLL_MILLIS);
        }
    }
}
