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
package io.flinklocalrecovery.testutils.job;

/**
 * Where a {@link ValueCheckingFunction} counts what it finds: the keys it creates while the first
 * attempt builds the state, and after each restore one check per key, of the value the restore
 * brought back against the value computed from the key ({@link KeyedValueJob#valueFor}).
 */
public interface ValueChecks {

    /** What the first record of a key after a restore found in the restored state. */
    enum Found {
        /** The value written before the failure. */
        CORRECT,
        /** A value other than the one written. */
        WRONG,
        /** No value: the key came back without it. */
        MISSING
    }

    /** Attempt 0 wrote the first value of a key. */
    void keyCreated();

    /** Attempt {@code attempt} (after a restore) checked the restored value of one key. */
    void keyChecked(int attempt, Found found);
}
