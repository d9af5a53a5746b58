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

import org.apache.flink.annotation.Internal;

import io.flinklocalrecovery.core.metrics.FallbackReason;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/** How many handles of one restore fell back to the checkpoint storage, by reason. */
@Internal
public final class FallbackCounts {

    private final EnumMap<FallbackReason, Integer> counts = new EnumMap<>(FallbackReason.class);

    /** One more handle fell back for this reason. */
    public void add(FallbackReason reason) {
        add(reason, 1);
    }

    public void add(FallbackReason reason, int handles) {
        counts.merge(reason, handles, Integer::sum);
    }

    public void addAll(FallbackCounts other) {
        other.counts.forEach(this::add);
    }

    public boolean isEmpty() {
        return counts.isEmpty();
    }

    /** The reasons that occurred, in their declared order. */
    public Set<FallbackReason> reasons() {
        return Collections.unmodifiableSet(counts.keySet());
    }

    public int count(FallbackReason reason) {
        return counts.getOrDefault(reason, 0);
    }

    /** The counts by reason (a copy). */
    public Map<FallbackReason, Integer> asMap() {
        return new EnumMap<>(counts);
    }

    @Override
    public String toString() {
        return counts.toString();
    }
}
