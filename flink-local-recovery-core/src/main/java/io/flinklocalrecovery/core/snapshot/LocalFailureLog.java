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
package io.flinklocalrecovery.core.snapshot;

import org.apache.flink.annotation.Internal;

import org.slf4j.Logger;

import javax.annotation.Nullable;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Logs a degraded situation at WARN the first time a cause is seen in this process and at DEBUG
 * after that, so a broken local disk does not flood the logs with one line per file.
 */
@Internal
public final class LocalFailureLog {

    private static final Set<String> SEEN = ConcurrentHashMap.newKeySet();

    private LocalFailureLog() {}

    /** Forgets the causes seen, as a new process would (LocalRecoveryProcess#reset). */
    public static void forgetCauses() {
        SEEN.clear();
    }

    public static void warnOnce(
            Logger log, String cause, String message, @Nullable Throwable error) {
        if (SEEN.add(cause)) {
            log.warn(
                    "{}{}. The checkpoint goes on without this local copy; further occurrences of"
                            + " this cause are logged at DEBUG.",
                    message,
                    error == null ? "" : " (" + describe(error) + ")");
        } else if (log.isDebugEnabled()) {
            log.debug(message, error);
        }
    }

    static String describe(Throwable error) {
        StringBuilder description = new StringBuilder();
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (description.length() > 0) {
                description.append(" <- ");
            }
            description.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage());
        }
        return description.toString();
    }
}
