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
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.configuration.StateChangelogOptions;

import java.util.Optional;

/**
 * Setups in which this plugin does not keep local copies and passes everything through to the
 * wrapped backend, because their state handles are not plain duplicated streams:
 *
 * <ul>
 *   <li>the changelog state backend ({@code state.changelog.enabled}): its handles combine a
 *       materialized part and a change log;
 *   <li>unified checkpoint file merging ({@code execution.checkpointing.file-merging.enabled}):
 *       many streams share one physical file, so offsets are not those of a stream of its own.
 * </ul>
 */
@Internal
public final class PassThroughConditions {

    private PassThroughConditions() {}

    /** Why local copies are switched off for this configuration, or empty if they are not. */
    public static Optional<String> reason(ReadableConfig config) {
        if (config.get(StateChangelogOptions.ENABLE_STATE_CHANGE_LOG)) {
            return Optional.of(
                    String.format(
                            "'%s' is true: the changelog state backend is not supported by this "
                                    + "plugin yet",
                            StateChangelogOptions.ENABLE_STATE_CHANGE_LOG.key()));
        }
        if (config.get(CheckpointingOptions.FILE_MERGING_ENABLED)) {
            return Optional.of(
                    String.format(
                            "'%s' is true: merged checkpoint files are not supported by this "
                                    + "plugin yet",
                            CheckpointingOptions.FILE_MERGING_ENABLED.key()));
        }
        return Optional.empty();
    }

    /** The settings to use: the configured ones, or DISABLED when a condition applies. */
    public static LocalRecoverySettings apply(
            LocalRecoverySettings settings, ReadableConfig config, org.slf4j.Logger log) {
        if (!settings.isEnabled()) {
            return settings;
        }
        Optional<String> reason = reason(config);
        if (!reason.isPresent()) {
            return settings;
        }
        log.warn(
                "Task-local recovery is switched off for this job and the state backend passes "
                        + "everything through to the wrapped backend: {}. Restores read the "
                        + "checkpoint storage.",
                reason.get());
        return new LocalRecoverySettings(
                LocalRecoveryMode.DISABLED,
                settings.getDirectories(),
                settings.getRetainedCheckpoints(),
                settings.isVerifyChecksums(),
                settings.getWriteBufferBytes());
    }
}
