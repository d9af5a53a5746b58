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
package io.flinklocalrecovery.testutils.backend;

import org.apache.flink.runtime.execution.Environment;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.util.IOUtils;

import java.util.ArrayList;
import java.util.List;

/**
 * The suites build all backends of a rescaling test in one environment, i.e. as one subtask, which
 * would write the same local checkpoint several times; a real job gives each key-group range its
 * own subtask, and so do these environments. Closed after each test.
 */
public final class SubtaskEnvironments implements AutoCloseable {

    private final List<MockEnvironment> created = new ArrayList<>();

    /**
     * The environment of the subtask of {@code keyGroupRange}: a new one for a partial range, the
     * suite's own when the range is the whole job's.
     */
    public Environment subtaskFor(
            Environment env, int numberOfKeyGroups, KeyGroupRange keyGroupRange) {
        if (keyGroupRange.getStartKeyGroup() == 0
                && keyGroupRange.getEndKeyGroup() == numberOfKeyGroups - 1) {
            return env;
        }
        MockEnvironment subtask =
                MockEnvironment.builder()
                        .setJobID(env.getJobID())
                        .setTaskStateManager(env.getTaskStateManager())
                        .setTaskManagerRuntimeInfo(env.getTaskManagerInfo())
                        .setExecutionConfig(env.getExecutionConfig())
                        .setMetricGroup(env.getMetricGroup())
                        .setMaxParallelism(numberOfKeyGroups)
                        .setParallelism(numberOfKeyGroups)
                        .setSubtaskIndex(keyGroupRange.getStartKeyGroup())
                        .build();
        created.add(subtask);
        return subtask;
    }

    @Override
    public void close() {
        created.forEach(IOUtils::closeQuietly);
        created.clear();
    }
}
