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

import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.KeyGroupRangeOffsets;
import org.apache.flink.runtime.state.KeyGroupsStateHandle;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.runtime.state.memory.ByteStreamStateHandle;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Which keyed restores count as rescale restores in the metrics. */
class KeyedRescaleTest {

    private static final KeyGroupRange SUBTASK = KeyGroupRange.of(0, 63);

    @Test
    void theOneHandleOfTheSubtasksOwnRangeIsNoRescale() {
        assertThat(KeyedRescale.isRescale(SUBTASK, List.of(handle(0, 63)))).isFalse();
        assertThat(KeyedRescale.isRescale(SUBTASK, Collections.emptyList())).isFalse();
        assertThat(KeyedRescale.isRescale(SUBTASK, Arrays.asList(handle(0, 63), null))).isFalse();
    }

    @Test
    void severalHandlesToMergeAreAScaleIn() {
        assertThat(KeyedRescale.isRescale(SUBTASK, List.of(handle(0, 31), handle(32, 63))))
                .isTrue();
    }

    @Test
    void aWiderOrShiftedHandleIsAScaleOut() {
        assertThat(KeyedRescale.isRescale(SUBTASK, List.of(handle(0, 127)))).isTrue();
        assertThat(KeyedRescale.isRescale(SUBTASK, List.of(handle(32, 95)))).isTrue();
    }

    private static KeyedStateHandle handle(int from, int to) {
        return new KeyGroupsStateHandle(
                new KeyGroupRangeOffsets(KeyGroupRange.of(from, to)),
                new ByteStreamStateHandle("h-" + from + "-" + to, new byte[1]));
    }
}
