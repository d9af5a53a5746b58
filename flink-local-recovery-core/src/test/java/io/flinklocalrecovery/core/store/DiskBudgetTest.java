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

import io.flinklocalrecovery.core.store.DiskBudget.Plan;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The budget arithmetic: footprints in, victims (or a refusal) out. */
class DiskBudgetTest {

    private static final long NO_RESERVE = 0;
    private static final long PLENTY_FREE = 1L << 40;

    @Test
    void admitsWithoutEvictionWhenTheCopyFits() {
        DiskFootprint old = footprint("old", "a", 40);
        Plan plan = plan(100, NO_RESERVE, PLENTY_FREE, footprint("new", "b", 60), List.of(old));

        assertThat(plan.admitted).isTrue();
        assertThat(plan.victims).isEmpty();
        assertThat(plan.heldAfter).isEqualTo(100);
    }

    @Test
    void evictsAsFewCandidatesAsNeededInTheGivenOrder() {
        DiskFootprint first = footprint("first", "a", 30);
        DiskFootprint second = footprint("second", "b", 30);
        DiskFootprint third = footprint("third", "c", 30);
        Plan plan =
                plan(
                        100,
                        NO_RESERVE,
                        PLENTY_FREE,
                        footprint("new", "d", 40),
                        List.of(first, second, third));

        assertThat(plan.admitted).isTrue();
        assertThat(plan.victims).containsExactly(first);
        assertThat(plan.heldAfter).isEqualTo(100);
    }

    @Test
    void refusesAndEvictsNothingWhenEvenAllCandidatesAreNotEnough() {
        DiskFootprint old = footprint("old", "a", 30);
        Plan plan = plan(100, NO_RESERVE, PLENTY_FREE, footprint("new", "b", 101), List.of(old));

        assertThat(plan.admitted).isFalse();
        assertThat(plan.victims).isEmpty();
    }

    @Test
    void aHardLinkedFileCountsOnce() {
        // two RocksDB checkpoints sharing the SST file "sst" (one inode), the new one links it too
        DiskFootprint older = footprint("chk_1", Map.of("sst", 50L, "meta1", 5L));
        DiskFootprint newer = footprint("chk_2", Map.of("sst", 50L, "meta2", 5L));
        DiskFootprint incoming = footprint("chk_3", Map.of("sst", 50L, "meta3", 5L));
        List<DiskFootprint> held = List.of(older, newer);

        Plan plan = plan(65, NO_RESERVE, PLENTY_FREE, incoming, held);

        // held now: sst + meta1 + meta2 = 60; the new copy adds only its metadata file (65)
        assertThat(plan.admitted).isTrue();
        assertThat(plan.victims).isEmpty();
        assertThat(plan.heldAfter).isEqualTo(65);
    }

    @Test
    void evictingACopyFreesOnlyFilesNoOneElseLinks() {
        DiskFootprint older = footprint("chk_1", Map.of("sst", 50L, "meta1", 5L));
        DiskFootprint newer = footprint("chk_2", Map.of("sst", 50L, "meta2", 5L));
        DiskFootprint incoming = footprint("chk_3", Map.of("sst", 50L, "meta3", 5L));

        Plan plan = plan(60, NO_RESERVE, PLENTY_FREE, incoming, List.of(older, newer));

        // evicting chk_1 frees meta1 only: the SST file stays linked by chk_2 and the new copy
        assertThat(plan.admitted).isTrue();
        assertThat(plan.victims).containsExactly(older);
        assertThat(plan.heldAfter).isEqualTo(60);
        assertThat(plan.freeAfter).isEqualTo(PLENTY_FREE + 5);
    }

    @Test
    void theReserveEvictsUntilEnoughIsFree() {
        DiskFootprint first = footprint("first", "a", 30);
        DiskFootprint second = footprint("second", "b", 30);
        Plan plan =
                plan(
                        DiskBudget.NO_LIMIT,
                        50,
                        10,
                        footprint("new", "c", 20),
                        List.of(first, second));

        assertThat(plan.admitted).isTrue();
        assertThat(plan.victims).containsExactly(first, second);
        assertThat(plan.freeAfter).isEqualTo(70);
    }

    @Test
    void theReserveRefusesWhenTheDiskIsFullOfOthersFiles() {
        Plan plan =
                plan(
                        DiskBudget.NO_LIMIT,
                        50,
                        10,
                        footprint("new", "c", 20),
                        List.of(footprint("old", "a", 30)));

        assertThat(plan.admitted).isFalse();
    }

    @Test
    void theDefaultReserveIsFivePercentOfTheFileSystemAtMostOneGiB() {
        DiskBudget budget = DiskBudget.of(DiskBudget.NO_LIMIT, DiskBudget.DEFAULT_RESERVE);

        assertThat(budget.reserveFor(2L << 20)).isEqualTo((2L << 20) / 100 * 5);
        assertThat(budget.reserveFor(1L << 40)).isEqualTo(1L << 30);
        assertThat(DiskBudget.of(1000, 7).reserveFor(1L << 40)).isEqualTo(7);
        assertThat(DiskBudget.UNLIMITED.reserveFor(1L << 40)).isZero();
        assertThat(DiskBudget.UNLIMITED.sizeLimit()).isEqualTo(DiskBudget.NO_LIMIT);
    }

    @Test
    void rejectsANonPositiveLimit() {
        assertThatThrownBy(() -> DiskBudget.of(0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- while a copy is written: the bytes of pending copies count as they arrive

    @Test
    void writtenBytesThatFitEvictNothing() {
        DiskFootprint older = footprint("older", "a", 40);
        Plan plan = planWrite(100, PLENTY_FREE, 60, 60, List.of(older), List.of());

        assertThat(plan.admitted).isTrue();
        assertThat(plan.victims).isEmpty();
    }

    @Test
    void writtenBytesEvictAsFewOlderCopiesAsNeededAtOnce() {
        DiskFootprint released = footprint("released", "a", 30);
        DiskFootprint older = footprint("older", "b", 30);
        DiskFootprint newest = footprint("newest", "c", 30);
        // 90 held + 20 written: 10 over the limit; the released copy is enough
        Plan plan = planWrite(100, PLENTY_FREE, 20, 20, List.of(released, older), List.of(newest));

        assertThat(plan.admitted).isTrue();
        assertThat(plan.victims).containsExactly(released);
        assertThat(plan.heldAfter).isEqualTo(60);
    }

    @Test
    void aCopyThatFitsOnlyOnceItReplacesItsSubtasksNewestKeepsBeingWritten() {
        DiskFootprint older = footprint("older", "a", 30);
        DiskFootprint newest = footprint("newest", "b", 60);
        // 90 held + 50 written: over even with the older copy gone; fits without the newest
        Plan plan = planWrite(100, PLENTY_FREE, 50, 50, List.of(older), List.of(newest));

        assertThat(plan.admitted).isTrue();
        assertThat(plan.victims).containsExactly(older);
        assertThat(plan.heldAfter).isEqualTo(60);
    }

    @Test
    void aCopyThatCannotFitEvenAtItsCommitIsRefusedAndEvictsNothing() {
        DiskFootprint older = footprint("older", "a", 30);
        DiskFootprint newest = footprint("newest", "b", 30);
        Plan plan = planWrite(100, PLENTY_FREE, 101, 101, List.of(older), List.of(newest));

        assertThat(plan.admitted).isFalse();
        assertThat(plan.victims).isEmpty();
    }

    @Test
    void anotherPendingCopysBytesCountForTheRootButNotForTheRefusal() {
        DiskFootprint older = footprint("older", "a", 30);
        // 30 held; 80 written by two copies, 40 of them this one's: evict, then fits
        Plan tight = planWrite(100, PLENTY_FREE, 80, 40, List.of(older), List.of());
        assertThat(tight.admitted).isTrue();
        assertThat(tight.victims).containsExactly(older);

        // 130 written by two copies, 60 this one's: over with every copy gone, yet this copy
        // alone fits at its commit, so it is not the one to give up
        Plan crowded = planWrite(100, PLENTY_FREE, 130, 60, List.of(older), List.of());
        assertThat(crowded.admitted).isTrue();
    }

    @Test
    void theReserveEvictsWhileWritingAndAnUnknownFreeSpaceIgnoresIt() {
        DiskFootprint older = footprint("older", "a", 30);
        long noLimit = DiskBudget.NO_LIMIT;
        // free after the next bytes: 80 of a reserve of 100; evicting the older copy frees 30
        Plan plan = planWrite(noLimit, 100, 80, 10, 10, List.of(older), List.of());
        assertThat(plan.admitted).isTrue();
        assertThat(plan.victims).containsExactly(older);
        assertThat(plan.freeAfter).isEqualTo(110);

        assertThat(planWrite(noLimit, 100, 50, 10, 10, List.of(older), List.of()).admitted)
                .isFalse();

        Plan unknown = planWrite(noLimit, 100, noLimit, 10, 10, List.of(older), List.of());
        assertThat(unknown.admitted).isTrue();
        assertThat(unknown.victims).isEmpty();
    }

    // ------------------------------------------------------------------------

    private static Plan planWrite(
            long limit,
            long free,
            long inFlight,
            long own,
            List<DiskFootprint> evictableNow,
            List<DiskFootprint> evictableAtCommit) {
        return planWrite(limit, NO_RESERVE, free, inFlight, own, evictableNow, evictableAtCommit);
    }

    /** Plans a write against a store that holds exactly the candidates of both lists. */
    private static Plan planWrite(
            long limit,
            long reserve,
            long free,
            long inFlight,
            long own,
            List<DiskFootprint> evictableNow,
            List<DiskFootprint> evictableAtCommit) {
        Map<Object, Integer> references = new HashMap<>();
        long heldBytes = 0;
        for (List<DiskFootprint> held : List.of(evictableNow, evictableAtCommit)) {
            for (DiskFootprint footprint : held) {
                for (Map.Entry<Object, Long> file : footprint.files().entrySet()) {
                    if (references.merge(file.getKey(), 1, Integer::sum) == 1) {
                        heldBytes += file.getValue();
                    }
                }
            }
        }
        return DiskBudget.planWrite(
                limit,
                reserve,
                heldBytes,
                free,
                inFlight,
                own,
                key -> references.getOrDefault(key, 0),
                evictableNow,
                evictableAtCommit);
    }

    /** Plans against a store that holds exactly {@code held}. */
    private static Plan plan(
            long limit, long reserve, long free, DiskFootprint incoming, List<DiskFootprint> held) {
        Map<Object, Integer> references = new HashMap<>();
        Map<Object, Long> sizes = new HashMap<>();
        for (DiskFootprint footprint : held) {
            for (Map.Entry<Object, Long> file : footprint.files().entrySet()) {
                references.merge(file.getKey(), 1, Integer::sum);
                sizes.put(file.getKey(), file.getValue());
            }
        }
        long heldBytes = sizes.values().stream().mapToLong(Long::longValue).sum();
        return DiskBudget.plan(
                limit,
                reserve,
                heldBytes,
                free,
                incoming,
                key -> references.getOrDefault(key, 0),
                held);
    }

    static DiskFootprint footprint(String dir, String file, long size) {
        return footprint(dir, Map.of(file, size));
    }

    static DiskFootprint footprint(String dir, Map<String, Long> files) {
        return new DiskFootprint(Path.of("/root", dir), new HashMap<>(files));
    }
}
