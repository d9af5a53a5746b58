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
package io.flinklocalrecovery.demo;

import org.apache.flink.annotation.Internal;

import javax.annotation.Nullable;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One recovery of one setup: the failure, how every subtask of the stateful operator restored, the
 * total recovery time and the check of every restored key.
 *
 * @param killedTaskManager the TaskManager killed, for {@link FailureKind#TASK_MANAGER_KILL}
 * @param totalRecoveryMillis from the failure until the last subtask of the job ran again
 */
@Internal
record Recovery(
        DemoSetup setup,
        FailureKind failure,
        @Nullable String killedTaskManager,
        List<SubtaskRestore> restores,
        long totalRecoveryMillis,
        RestoredStateCheck stateCheck) {

    /** The recovery of the given setup and failure kind among {@code recoveries}. */
    static Optional<Recovery> find(
            List<Recovery> recoveries,
            DemoSetup.Backend backend,
            boolean plugin,
            FailureKind kind) {
        return recoveries.stream()
                .filter(r -> r.setup().equals(new DemoSetup(backend, plugin)))
                .filter(r -> r.failure() == kind)
                .findFirst();
    }

    /**
     * The typical subtask's restore: the median over the subtasks (the mean of the middle two for
     * an even count). On a busy machine a single subtask can stall (CPU, a full GC) in either
     * setup; the median is robust to that, the slowest is in the per-failure tables.
     */
    long medianRestoreMillis() {
        long[] sorted =
                restores.stream().mapToLong(SubtaskRestore::restoreMillis).sorted().toArray();
        if (sorted.length == 0) {
            return -1;
        }
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /** The slowest subtask's restore: the job runs again only when it is done. */
    long maxRestoreMillis() {
        return restores.stream().mapToLong(SubtaskRestore::restoreMillis).max().orElse(-1);
    }

    long localBytes() {
        return restores.stream().mapToLong(SubtaskRestore::localBytes).sum();
    }

    long remoteBytes() {
        return restores.stream().mapToLong(SubtaskRestore::remoteBytes).sum();
    }

    String label() {
        return setup.label() + ", " + failure.label;
    }

    /** What is wrong with this recovery, if anything: the demo then fails. */
    List<String> problems(int parallelism) {
        List<String> problems = new ArrayList<>();
        if (restores.size() != parallelism) {
            problems.add(
                    label()
                            + ": "
                            + restores.size()
                            + " restored subtasks, expected "
                            + parallelism);
        }
        stateCheck.problem(label()).ifPresent(problems::add);
        if (setup.plugin()) {
            for (SubtaskRestore restore : restores) {
                if (!restore.restoredFrom().equals("local")) {
                    problems.add(
                            String.format(
                                    Locale.ROOT,
                                    "%s: subtask %d restored from %s, not from its local copy"
                                            + " (%d fallbacks)",
                                    label(),
                                    restore.subtask(),
                                    restore.restoredFrom(),
                                    restore.fallbacks()));
                }
            }
        }
        return problems;
    }
}
