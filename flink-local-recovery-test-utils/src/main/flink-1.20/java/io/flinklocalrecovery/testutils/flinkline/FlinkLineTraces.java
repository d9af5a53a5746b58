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

/** The traces this Flink line reports. */
public final class FlinkLineTraces {

    /**
     * Whether a restore within a running job is traced. Flink 1.20 reports its {@code
     * JobInitialization} span for a job's first initialization only, not for a restore after a
     * failover or a rescale within the running job: the benchmarks, which measure restores with it,
     * run on Flink 2.x only.
     */
    public static final boolean RESTORES_TRACED = false;

    private FlinkLineTraces() {}
}
