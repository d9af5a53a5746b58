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
import org.apache.flink.api.common.time.Deadline;
import org.apache.flink.runtime.testutils.CommonTestUtils;
import org.apache.flink.util.function.SupplierWithException;

/**
 * Bounded waits on conditions the cluster exposes (REST status, metrics, files), polled by Flink's
 * {@link CommonTestUtils#waitUntilCondition}; the whole demo shares one {@link Deadline}.
 */
@Internal
final class DemoWaits {

    private static final long POLL_MILLIS = 100;

    private final Deadline deadline;
    private final String hint;

    /** {@code hint} tells the user what to change when the deadline is hit. */
    DemoWaits(Deadline deadline, String hint) {
        this.deadline = deadline;
        this.hint = hint;
    }

    Deadline deadline() {
        return deadline;
    }

    /** Waits until {@code condition} holds; a {@link DemoTimeoutException} at the deadline. */
    void until(String what, SupplierWithException<Boolean, Exception> condition) throws Exception {
        CommonTestUtils.waitUntilCondition(
                () -> {
                    if (condition.get()) {
                        return true;
                    }
                    if (!deadline.hasTimeLeft()) {
                        throw new DemoTimeoutException(
                                "timed out waiting for " + what + " (" + hint + ")");
                    }
                    return false;
                },
                POLL_MILLIS);
    }

    /** The demo's time limit was hit. */
    static final class DemoTimeoutException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DemoTimeoutException(String message) {
            super(message);
        }
    }
}
