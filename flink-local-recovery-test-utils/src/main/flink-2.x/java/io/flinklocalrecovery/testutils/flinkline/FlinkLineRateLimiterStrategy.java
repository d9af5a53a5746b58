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

import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.util.ratelimit.GuavaRateLimiter;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiter;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;

/** A rate limiter strategy written against {@link Permits}, for Flink 2.x's generic limiter. */
public abstract class FlinkLineRateLimiterStrategy<S extends SourceSplit>
        implements RateLimiterStrategy<S> {

    private static final long serialVersionUID = 1L;

    /** The pacing of one source subtask. */
    protected abstract Permits createPermits(int parallelism);

    @Override
    public final RateLimiter<S> createRateLimiter(int parallelism) {
        Permits permits = createPermits(parallelism);
        return permits::acquire;
    }

    /** A steady rate, as Flink's {@code RateLimiterStrategy.perSecond} of one subtask. */
    public static Permits steady(double recordsPerSecond) {
        GuavaRateLimiter<SourceSplit> limiter = new GuavaRateLimiter<>(recordsPerSecond);
        return limiter::acquire;
    }
}
