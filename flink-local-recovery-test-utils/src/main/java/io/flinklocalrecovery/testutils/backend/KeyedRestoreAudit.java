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

import org.apache.flink.runtime.state.KeyGroupsStateHandle;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.runtime.state.StreamStateHandle;

import io.flinklocalrecovery.core.metrics.LocalRecoveryMetrics;
import io.flinklocalrecovery.core.store.TaskLocalSnapshotStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Watches the keyed restores of one of Flink's heap backend suites run through our wrapper: a
 * restore of file handles whose local copies were written must find them committed (within {@link
 * ConformanceSupport#COMMIT_DEADLINE}) and be counted as a local restore, so the suite's restores
 * really go through the local-first path. Counts how all of them went, for the suite's log.
 */
public final class KeyedRestoreAudit {

    private static final Logger LOG = LoggerFactory.getLogger(KeyedRestoreAudit.class);

    private final AtomicInteger local = new AtomicInteger();
    private final AtomicInteger mixed = new AtomicInteger();
    private final AtomicInteger remote = new AtomicInteger();

    /** One restore: the task's counts before it. */
    public final class Restore {
        private final LocalRecoveryMetrics metrics;
        private final boolean mustBeLocal;
        private final long localBefore;
        private final long mixedBefore;
        private final long remoteBefore;

        private Restore(LocalRecoveryMetrics metrics, boolean mustBeLocal) {
            this.metrics = metrics;
            this.mustBeLocal = mustBeLocal;
            this.localBefore = metrics.getRestoresLocal();
            this.mixedBefore = metrics.getRestoresMixed();
            this.remoteBefore = metrics.getRestoresRemote();
        }

        /** After the restore: it read its local copies if it had to, and is counted. */
        public void ended() {
            if (mustBeLocal) {
                assertThat(metrics.getRestoresLocal())
                        .as("a restore whose local copies are all committed reads them")
                        .isEqualTo(localBefore + 1);
            }
            local.addAndGet((int) (metrics.getRestoresLocal() - localBefore));
            mixed.addAndGet((int) (metrics.getRestoresMixed() - mixedBefore));
            remote.addAndGet((int) (metrics.getRestoresRemote() - remoteBefore));
        }
    }

    /**
     * Before a restore of {@code state}: when local restores are expected and the state has file
     * handles (every one of which was duplicated when written), waits for their local copies to be
     * committed in {@code store}.
     */
    public Restore begin(
            List<KeyedStateHandle> state,
            TaskLocalSnapshotStore store,
            LocalRecoveryMetrics metrics,
            boolean expectLocal)
            throws InterruptedException {
        List<String> copied = copiedStreamIds(state);
        boolean mustBeLocal = expectLocal && !copied.isEmpty();
        if (mustBeLocal) {
            assertThat(
                            ConformanceSupport.await(
                                    () ->
                                            copied.stream()
                                                    .allMatch(id -> store.lookup(id).isPresent())))
                    .as(
                            "local copies of %s committed within %s",
                            copied, ConformanceSupport.COMMIT_DEADLINE)
                    .isTrue();
        }
        return new Restore(metrics, mustBeLocal);
    }

    /** Logs how the suite's restores with file handles went. */
    public void logSummary() {
        LOG.info(
                "Restores of the suite with file handles: {} local, {} mixed, {} remote.",
                local.get(),
                mixed.get(),
                remote.get());
    }

    /** Ids of the primary streams of these handles that are duplicated into local copies. */
    private static List<String> copiedStreamIds(List<KeyedStateHandle> handles) {
        List<String> ids = new ArrayList<>();
        for (KeyedStateHandle handle : handles) {
            if (handle != null && handle.getClass() == KeyGroupsStateHandle.class) {
                StreamStateHandle stream = ((KeyGroupsStateHandle) handle).getDelegateStateHandle();
                if (!stream.asBytesIfInMemory().isPresent()) {
                    ids.add(stream.getStreamStateHandleID().getKeyString());
                }
            }
        }
        return ids;
    }
}
