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
package io.flinklocalrecovery.benchmarks;

import java.util.ArrayList;
import java.util.List;

/** What one setup measured in one pass (one state size, one primary store). */
public final class SetupResult {

    /** One injected failure and the recovery from it. */
    public static final class Recovery {
        /** From the injected failure until every keyed subtask processed a record again. */
        public long recoveryMs = -1;

        /**
         * Flink's JobInitialization trace: max / sum over subtasks of InitializeStateDurationMs.
         */
        public long maxInitializeStateMs = -1;

        public long sumInitializeStateMs = -1;

        /** Flink's initializationTime of each keyed subtask of the restored attempt, in ms. */
        public final List<Long> keyedSubtaskInitializationMs = new ArrayList<>();

        /** Flink's restore metrics (JobInitialization trace, sumRestoredStateSizeBytes.*). */
        public long flinkBytesLocalDisk = -1;

        public long flinkBytesRemote = -1;
        public long flinkBytesOther = -1;

        /** The plugin's task metrics summed over all subtasks of the restored attempt. */
        public long pluginBytesLocal = -1;

        public long pluginBytesRemote = -1;
        public long pluginRestoresLocal;
        public long pluginRestoresMixed;
        public long pluginRestoresRemote;
        public long pluginFallbacks;

        /** Handles the plugin restored from copies of another TaskManager (adopted, borrowed). */
        public long pluginHandlesFromOtherTaskManagers;

        /** The restored attempt's keyed subtasks restored entirely from the plugin's copies. */
        public int keyedSubtasksRestoredLocally;

        public long restoredCheckpointId = -1;
    }

    /** A completed checkpoint of the steady state. */
    public static final class Checkpoint {
        public final long id;
        public final long durationMs;
        public final long checkpointedBytes;
        public final long fullBytes;

        public Checkpoint(long id, long durationMs, long checkpointedBytes, long fullBytes) {
            this.id = id;
            this.durationMs = durationMs;
            this.checkpointedBytes = checkpointedBytes;
            this.fullBytes = fullBytes;
        }
    }

    public final Setup setup;
    public final int stateMb;
    public final boolean throttled;

    public final List<Recovery> recoveries = new ArrayList<>();
    public final List<Checkpoint> steadyCheckpoints = new ArrayList<>();

    /** Bytes of state Flink reports for the newest checkpoint holding the whole state. */
    public long checkpointFullBytes = -1;

    /** Local disk held by the local copies: samples after completed checkpoints. */
    public final List<Long> localHeldSamples = new ArrayList<>();

    /** Of the newest sample, bytes in files hard-linked elsewhere (RocksDB's live files). */
    public long localHeldHardLinkedBytes;

    /** New local bytes during the steady state, and how many checkpoints completed in it. */
    public long localNewBytesSteady;

    public long localNewBytesSteadyHardLinked;
    public int localSteadyCheckpoints;

    public double buildSeconds;
    public double totalSeconds;

    /** The keys the state holds; after each recovery, every one of them is checked. */
    public long keysHeld;

    /** Over all recoveries: the keys checked, and those that came back wrong or missing. */
    public long keysChecked;

    public long valuesWrong;
    public long keysMissing;
    public int unexpectedRestarts;
    public final List<String> problems = new ArrayList<>();

    public SetupResult(Setup setup, int stateMb, boolean throttled) {
        this.setup = setup;
        this.stateMb = stateMb;
        this.throttled = throttled;
    }

    public boolean ok() {
        return problems.isEmpty();
    }

    public List<Long> recoveryMs() {
        List<Long> values = new ArrayList<>();
        for (Recovery recovery : recoveries) {
            values.add(recovery.recoveryMs);
        }
        return values;
    }

    public List<Long> checkpointMs() {
        List<Long> values = new ArrayList<>();
        for (Checkpoint checkpoint : steadyCheckpoints) {
            values.add(checkpoint.durationMs);
        }
        return values;
    }

    public long localNewBytesPerCheckpoint() {
        return localSteadyCheckpoints == 0 ? -1 : localNewBytesSteady / localSteadyCheckpoints;
    }

    public long localNewHardLinkedBytesPerCheckpoint() {
        return localSteadyCheckpoints == 0
                ? -1
                : localNewBytesSteadyHardLinked / localSteadyCheckpoints;
    }

    public long maxLocalHeld() {
        long max = 0;
        for (long sample : localHeldSamples) {
            max = Math.max(max, sample);
        }
        return max;
    }
}
