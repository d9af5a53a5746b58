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
package io.flinklocalrecovery.fs;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;

import io.flinklocalrecovery.core.backend.LocalRecoveryStateBackend;
import io.flinklocalrecovery.core.config.LocalRecoverySettings;

/**
 * Flink's {@link HashMapStateBackend} with task-local recovery of keyed state (all state kinds and
 * heap timers) and operator state (list, union list, broadcast): checkpoint streams are duplicated
 * into task-local files, and restores read verified local files first.
 */
@PublicEvolving
public class LocalRecoveryHashMapStateBackend extends LocalRecoveryStateBackend {

    private static final long serialVersionUID = 1L;

    public LocalRecoveryHashMapStateBackend(
            HashMapStateBackend delegate, LocalRecoverySettings settings) {
        super(delegate, settings);
    }

    /** A backend with the given settings around a default {@link HashMapStateBackend}. */
    public static LocalRecoveryHashMapStateBackend withSettings(LocalRecoverySettings settings) {
        return new LocalRecoveryHashMapStateBackend(new HashMapStateBackend(), settings);
    }
}
