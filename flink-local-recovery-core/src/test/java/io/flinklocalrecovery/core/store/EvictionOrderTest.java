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
package io.flinklocalrecovery.core.store;

import io.flinklocalrecovery.core.metrics.EvictionReason;
import io.flinklocalrecovery.core.store.EvictionOrder.Candidate;
import io.flinklocalrecovery.core.store.EvictionOrder.Eviction;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** What the disk budget evicts first: what is least likely to be restored. */
class EvictionOrderTest {

    private static final LocalSnapshotScope A =
            new LocalSnapshotScope("job1", "opA", 0, LocalSnapshotScope.Kind.KEYED);
    private static final LocalSnapshotScope B =
            new LocalSnapshotScope("job1", "opB", 0, LocalSnapshotScope.Kind.OPERATOR);
    private static final LocalSnapshotScope GONE =
            new LocalSnapshotScope("job0", "opA", 0, LocalSnapshotScope.Kind.KEYED);

    @Test
    void releasedJobsFirstThenOlderCheckpointsOldestFirstThenTheOwnNewest() {
        Candidate a3 = candidate(A, 3, 1, false);
        Candidate b3 = candidate(B, 3, 2, false);
        Candidate a4 = candidate(A, 4, 3, false);
        Candidate b4 = candidate(B, 4, 4, false);
        Candidate a5 = candidate(A, 5, 5, false);
        Candidate gone7 = candidate(GONE, 7, 6, true);
        Candidate gone6 = candidate(GONE, 6, 0, true);

        List<Eviction> order = EvictionOrder.order(List.of(a3, b3, a4, b4, a5, gone7, gone6), A, 6);

        assertThat(order.stream().map(e -> e.candidate).collect(Collectors.toList()))
                .containsExactly(gone6, gone7, a3, b3, a4, a5);
        assertThat(order.stream().map(e -> e.reason).collect(Collectors.toList()))
                .containsExactly(
                        EvictionReason.RELEASED_JOB,
                        EvictionReason.RELEASED_JOB,
                        EvictionReason.OLDER_CHECKPOINT,
                        EvictionReason.OLDER_CHECKPOINT,
                        EvictionReason.OLDER_CHECKPOINT,
                        EvictionReason.REPLACED_BY_NEWER);
    }

    @Test
    void theNewestCopyOfAnotherRunningSubtaskIsNeverEvicted() {
        Candidate b4 = candidate(B, 4, 1, false);

        assertThat(EvictionOrder.order(List.of(b4), A, 6)).isEmpty();
    }

    @Test
    void theOwnNewestCopyIsNotEvictedForAnOlderOne() {
        // a late commit of an older checkpoint never displaces the subtask's newest copy
        Candidate a5 = candidate(A, 5, 1, false);

        assertThat(EvictionOrder.order(List.of(a5), A, 4)).isEmpty();
    }

    private static Candidate candidate(
            LocalSnapshotScope scope, long checkpointId, long sequence, boolean released) {
        return new Candidate(
                scope,
                checkpointId,
                sequence,
                released,
                DiskBudgetTest.footprint(scope + "-" + checkpointId, "f", 1));
    }
}
