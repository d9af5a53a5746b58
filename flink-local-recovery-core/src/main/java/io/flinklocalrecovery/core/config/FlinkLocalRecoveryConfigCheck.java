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

import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.IllegalConfigurationException;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.configuration.StateRecoveryOptions;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks how this plugin's switch interacts with Flink's own local-recovery keys.
 *
 * <p>Flink 2.x still reads {@code state.backend.local-recovery} as a deprecated boolean alias of
 * {@code execution.state-recovery.from-local} (and, through it, of {@code
 * execution.checkpointing.local-backup.enabled}). With our value {@code ENABLE_FILE_BASED} and the
 * Flink keys unset, the TaskManager refuses to start and job submission fails. Setting both Flink
 * keys explicitly stops Flink from reading the alias.
 */
@Internal
public final class FlinkLocalRecoveryConfigCheck {

    public static final String FROM_LOCAL_KEY = StateRecoveryOptions.LOCAL_RECOVERY.key();
    public static final String LOCAL_BACKUP_KEY = "execution.checkpointing.local-backup.enabled";

    /** The exact lines users should have in their config file. */
    public static final String RECOMMENDED_SETUP =
            LocalRecoveryOptions.LOCAL_RECOVERY.key()
                    + ": ENABLE_FILE_BASED\n"
                    + FROM_LOCAL_KEY
                    + ": true\n"
                    + LOCAL_BACKUP_KEY
                    + ": false";

    private FlinkLocalRecoveryConfigCheck() {}

    /** Problems that make Flink itself fail; an exception naming the fix. */
    public static void checkNoFlinkParseTrap(ReadableConfig config, LocalRecoveryMode mode) {
        if (mode != LocalRecoveryMode.ENABLE_FILE_BASED) {
            return;
        }
        String raw = config.toMap().get(LocalRecoveryOptions.LOCAL_RECOVERY.key());
        boolean rawIsBoolean =
                raw != null
                        && ("true".equalsIgnoreCase(raw.trim())
                                || "false".equalsIgnoreCase(raw.trim()));
        if (raw == null || rawIsBoolean) {
            return;
        }
        List<String> missing = new ArrayList<>();
        if (!config.toMap().containsKey(FROM_LOCAL_KEY)) {
            missing.add(FROM_LOCAL_KEY);
        }
        if (!config.toMap().containsKey(LOCAL_BACKUP_KEY)) {
            missing.add(LOCAL_BACKUP_KEY);
        }
        if (!missing.isEmpty()) {
            throw new IllegalConfigurationException(trapMessage(raw.trim(), missing));
        }
    }

    /** Warnings for setups that work but waste resources; empty when all is well. */
    public static List<String> warnings(ReadableConfig config, LocalRecoveryMode mode) {
        List<String> warnings = new ArrayList<>();
        if (mode != LocalRecoveryMode.ENABLE_FILE_BASED) {
            return warnings;
        }
        String fromLocal = config.toMap().get(FROM_LOCAL_KEY);
        if (fromLocal != null && !"true".equalsIgnoreCase(fromLocal.trim())) {
            warnings.add(
                    String.format(
                            "'%s' is '%s': Flink will not schedule restarted tasks back to their "
                                    + "previous TaskManager, so most local copies will be missed. "
                                    + "Set '%s: true'.",
                            FROM_LOCAL_KEY, fromLocal.trim(), FROM_LOCAL_KEY));
        }
        String backup = config.toMap().get(LOCAL_BACKUP_KEY);
        if (backup != null && "true".equalsIgnoreCase(backup.trim())) {
            warnings.add(
                    String.format(
                            "'%s' is 'true': Flink's built-in local backup is switched on as well. "
                                    + "This plugin keeps its own copies and ignores Flink's for its "
                                    + "backends; set '%s: false' to avoid Flink's local directories.",
                            LOCAL_BACKUP_KEY, LOCAL_BACKUP_KEY));
        }
        return warnings;
    }

    static String trapMessage(String value, List<String> missing) {
        return String.format(
                "'%s: %s' needs %s set explicitly: Flink also reads '%s' as a deprecated boolean "
                        + "alias of its own local-recovery keys and fails on '%s' (\"Could not parse "
                        + "value '%s' for key '%s'\"). Put these lines in your config file:%n%s",
                LocalRecoveryOptions.LOCAL_RECOVERY.key(),
                value,
                String.join(" and ", missing),
                LocalRecoveryOptions.LOCAL_RECOVERY.key(),
                value,
                value,
                FROM_LOCAL_KEY,
                RECOMMENDED_SETUP);
    }
}
