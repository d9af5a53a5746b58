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

/** The two failures the demo recovers from, in this order, in each run of the job. */
@Internal
enum FailureKind {
    /** A subtask throws; every TaskManager lives on, the restore is most of the recovery. */
    TASK_FAILURE("task failure", "from the injected exception until every subtask runs again"),

    /** A TaskManager process is killed and restarted with the same identity and directory. */
    TASK_MANAGER_KILL(
            "TaskManager kill -9",
            "from the kill until every subtask runs again: noticing the loss, starting a new"
                    + " TaskManager JVM, scheduling, restoring");

    final String label;
    final String recoveryTimeIncludes;

    FailureKind(String label, String recoveryTimeIncludes) {
        this.label = label;
        this.recoveryTimeIncludes = recoveryTimeIncludes;
    }
}
