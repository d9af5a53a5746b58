package io.flinklocalrecovery.core.snapshot;

import org.slf4j.Logger;

import javax.annotation.Nullable;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Logs a degraded situation at WARN the first time a cause is seen in this process and at DEBUG
 * after that, so a broken local disk does not flood the logs with one line per file.
 */
public final class LocalFailureLog {

    private static final Set<String> SEEN = ConcurrentHashMap.newKeySet();

    private LocalFailureLog() {}

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
