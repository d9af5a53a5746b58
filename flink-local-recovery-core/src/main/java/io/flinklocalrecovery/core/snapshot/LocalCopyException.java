package io.flinklocalrecovery.core.snapshot;

import io.flinklocalrecovery.core.metrics.LocalWriteFailure;

import javax.annotation.Nullable;

import java.io.IOException;

/** A local copy that was not made; {@link #getReason()} is null when nothing failed locally. */
final class LocalCopyException extends IOException {

    private static final long serialVersionUID = 1L;

    @Nullable private final LocalWriteFailure reason;

    LocalCopyException(
            @Nullable LocalWriteFailure reason, String message, @Nullable Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    @Nullable
    LocalWriteFailure getReason() {
        return reason;
    }
}
