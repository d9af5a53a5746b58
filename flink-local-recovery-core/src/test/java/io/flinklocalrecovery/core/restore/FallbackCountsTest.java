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
package io.flinklocalrecovery.core.restore;

import io.flinklocalrecovery.core.metrics.FallbackReason;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FallbackCountsTest {

    @Test
    void countsByReasonAndAddsUp() {
        FallbackCounts one = new FallbackCounts();
        one.add(FallbackReason.CHECKSUM_MISMATCH);
        one.add(FallbackReason.NO_LOCAL_COPY, 2);
        FallbackCounts other = new FallbackCounts();
        other.add(FallbackReason.NO_LOCAL_COPY);

        one.addAll(other);

        assertThat(one.count(FallbackReason.NO_LOCAL_COPY)).isEqualTo(3);
        assertThat(one.count(FallbackReason.CHECKSUM_MISMATCH)).isOne();
        assertThat(one.count(FallbackReason.RESTORE_FAILED)).isZero();
        assertThat(one.reasons())
                .containsExactly(FallbackReason.NO_LOCAL_COPY, FallbackReason.CHECKSUM_MISMATCH);
        assertThat(new FallbackCounts().isEmpty()).isTrue();
        // a copy: changing it changes nothing
        one.asMap().clear();
        assertThat(one.isEmpty()).isFalse();
    }
}
