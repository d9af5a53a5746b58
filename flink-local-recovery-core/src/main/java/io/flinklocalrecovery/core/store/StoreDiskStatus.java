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

import org.apache.flink.annotation.Internal;

import io.flinklocalrecovery.core.metrics.EvictionReason;
import io.flinklocalrecovery.core.metrics.LocalDiskGauges;

import java.nio.file.Path;
import java.util.List;

/** The store's disk figures per root, read live (metrics, the log, tools). */
@Internal
public final class StoreDiskStatus implements LocalDiskGauges {

    private final DiskUsage usage;
    private final BudgetEnforcer budget;

    StoreDiskStatus(DiskUsage usage, BudgetEnforcer budget) {
        this.usage = usage;
        this.budget = budget;
    }

    public List<Path> roots() {
        return usage.roots();
    }

    @Override
    public int directories() {
        return usage.roots().size();
    }

    @Override
    public long bytesHeld(int directory) {
        return usage.bytesHeld(usage.roots().get(directory));
    }

    @Override
    public long freeSpace(int directory) {
        return budget.freeSpace(usage.roots().get(directory));
    }

    @Override
    public long reserve(int directory) {
        return budget.reserve(usage.roots().get(directory));
    }

    @Override
    public long sizeLimit() {
        return budget.sizeLimit() == DiskBudget.NO_LIMIT ? -1 : budget.sizeLimit();
    }

    @Override
    public long evictions(EvictionReason reason) {
        return budget.evictions(reason);
    }
}
