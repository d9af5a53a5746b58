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
package io.flinklocalrecovery.core.config;

import org.apache.flink.annotation.PublicEvolving;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Values of {@code state.backend.local-recovery}, the switch of this plugin. */
@PublicEvolving
public enum LocalRecoveryMode {
    /** No secondary copy is written; the backend behaves exactly like the wrapped one. */
    DISABLED,
    /** A secondary copy of every checkpoint is kept in task-local files and restored first. */
    ENABLE_FILE_BASED;

    /**
     * Parses a configured value. Besides the enum names (case-insensitive), {@code true} and {@code
     * false} are accepted, because Flink itself historically documented the key as a boolean.
     */
    public static LocalRecoveryMode parse(String key, String value) {
        String trimmed = value == null ? "" : value.trim();
        String upper = trimmed.toUpperCase(Locale.ROOT);
        switch (upper) {
            case "TRUE":
                return ENABLE_FILE_BASED;
            case "FALSE":
                return DISABLED;
            default:
                for (LocalRecoveryMode mode : values()) {
                    if (mode.name().equals(upper)) {
                        return mode;
                    }
                }
                throw new IllegalArgumentException(
                        String.format(
                                "Invalid value '%s' for key '%s'. Accepted values: %s, true, false.",
                                trimmed, key, acceptedValues()));
        }
    }

    static String acceptedValues() {
        return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
    }
}
