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
package io.flinklocalrecovery.core.store;

import org.apache.flink.annotation.Internal;

import io.flinklocalrecovery.core.metrics.LocalWriteFailure;

import java.io.IOException;

/** A local copy refused by the disk budget; counted as {@link LocalWriteFailure#OVER_BUDGET}. */
@Internal
public final class OverBudgetException extends IOException implements LocalWriteFailure.Classified {

    private static final long serialVersionUID = 1L;

    OverBudgetException(String message) {
        super(message);
    }

    @Override
    public LocalWriteFailure reason() {
        return LocalWriteFailure.OVER_BUDGET;
    }
}
