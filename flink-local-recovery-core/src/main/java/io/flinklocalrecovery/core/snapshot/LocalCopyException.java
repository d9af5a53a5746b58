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

import io.flinklocalrecovery.core.metrics.LocalWriteFailure;

import javax.annotation.Nullable;

import java.io.IOException;

/** A local copy that was not made; {@link #getReason()} is null when nothing failed locally. */
@Internal
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
