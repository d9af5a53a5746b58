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

import java.io.Serializable;
import java.util.concurrent.CompletionStage;

/**
 * A source's pacing, independent of the Flink line's {@code RateLimiter} interface (generic with a
 * count of records in 2.x, one record per call in 1.20; see {@link FlinkLineRateLimiterStrategy}).
 */
@FunctionalInterface
public interface Permits extends Serializable {

    /** Completes when the source may emit the next {@code records} records. */
    CompletionStage<Void> acquire(int records);
}
