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

/** Why state was read from the primary copy instead of the local one. One metric each. */
@Internal
public enum FallbackReason {
    /** This TaskManager has no local copy of the handle (first run, lost, pruned, disabled). */
    NO_LOCAL_COPY("noLocalCopy"),
    /** The local file is gone, or its size is not what was written (truncated, overwritten). */
    FILE_MISSING_OR_TRUNCATED("missingOrTruncated"),
    /** The local file has the right size but not the right CRC32C (bit rot, tampering). */
    CHECKSUM_MISMATCH("checksumMismatch"),
    /** Restoring from the local copies threw; the whole restore was repeated from the primary. */
    RESTORE_FAILED("restoreFailed");

    private final String metricName;

    FallbackReason(String metricName) {
        this.metricName = metricName;
    }

    public String getMetricName() {
        return metricName;
    }
}
