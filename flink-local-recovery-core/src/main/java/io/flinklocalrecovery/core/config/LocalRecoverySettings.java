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
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.IllegalConfigurationException;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.util.Preconditions;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The validated values of {@link LocalRecoveryOptions}, read once when the state backend is
 * configured and shipped with it to every task.
 */
@Internal
public final class LocalRecoverySettings implements Serializable {

    private static final long serialVersionUID = 1L;

    private final LocalRecoveryMode mode;
    private final List<String> directories;
    private final int retainedCheckpoints;
    private final boolean verifyChecksums;
    private final boolean trustUnchangedSstFiles;
    private final long writeBufferBytes;
    private final Duration releasedCopiesLifetime;
    private long diskSizeLimitBytes = NO_DISK_LIMIT;
    private long diskReserveBytes = DEFAULT_DISK_RESERVE;
    private String clusterId = LocalRecoveryOptions.CLUSTER_ID.defaultValue();

    /** No size limit per directory. */
    public static final long NO_DISK_LIMIT = Long.MAX_VALUE;

    /** The default reserve (a share of the file system); see the option. */
    public static final long DEFAULT_DISK_RESERVE = -1;

    /** Settings with the default for unchanged SST files (trusted once). */
    public LocalRecoverySettings(
            LocalRecoveryMode mode,
            List<String> directories,
            int retainedCheckpoints,
            boolean verifyChecksums,
            long writeBufferBytes) {
        this(
                mode,
                directories,
                retainedCheckpoints,
                verifyChecksums,
                LocalRecoveryOptions.TRUST_UNCHANGED_SST_FILES.defaultValue(),
                writeBufferBytes);
    }

    public LocalRecoverySettings(
            LocalRecoveryMode mode,
            List<String> directories,
            int retainedCheckpoints,
            boolean verifyChecksums,
            boolean trustUnchangedSstFiles,
            long writeBufferBytes) {
        this(
                mode,
                directories,
                retainedCheckpoints,
                verifyChecksums,
                trustUnchangedSstFiles,
                writeBufferBytes,
                LocalRecoveryOptions.RELEASED_COPIES_LIFETIME.defaultValue());
    }

    public LocalRecoverySettings(
            LocalRecoveryMode mode,
            List<String> directories,
            int retainedCheckpoints,
            boolean verifyChecksums,
            boolean trustUnchangedSstFiles,
            long writeBufferBytes,
            Duration releasedCopiesLifetime) {
        this.releasedCopiesLifetime = releasedCopiesLifetime;
        this.mode = mode;
        this.directories = Collections.unmodifiableList(new ArrayList<>(directories));
        this.retainedCheckpoints = retainedCheckpoints;
        this.verifyChecksums = verifyChecksums;
        this.trustUnchangedSstFiles = trustUnchangedSstFiles;
        this.writeBufferBytes = writeBufferBytes;
    }

    /** Reads and validates the options; every error names the key, the value and the fix. */
    public static LocalRecoverySettings fromConfig(ReadableConfig config) {
        LocalRecoveryMode mode =
                parse(
                        LocalRecoveryOptions.LOCAL_RECOVERY,
                        config,
                        raw ->
                                LocalRecoveryMode.parse(
                                        LocalRecoveryOptions.LOCAL_RECOVERY.key(), raw));
        List<String> cleaned = parseDirectories(config);
        Integer retained = parse(LocalRecoveryOptions.RETAINED_CHECKPOINTS, config, v -> v);
        if (retained < 1) {
            throw new IllegalConfigurationException(
                    String.format(
                            "Invalid value '%s' for key '%s': it must be at least 1 (the newest "
                                    + "confirmed checkpoint is always kept locally). To stop "
                                    + "writing local copies, set '%s: DISABLED' instead.",
                            retained,
                            LocalRecoveryOptions.RETAINED_CHECKPOINTS.key(),
                            LocalRecoveryOptions.LOCAL_RECOVERY.key()));
        }
        Boolean verify = parse(LocalRecoveryOptions.VERIFY_CHECKSUMS, config, v -> v);
        Boolean trustUnchangedSst =
                parse(LocalRecoveryOptions.TRUST_UNCHANGED_SST_FILES, config, v -> v);
        MemorySize buffer = parse(LocalRecoveryOptions.WRITE_BUFFER_SIZE, config, v -> v);
        if (buffer.getBytes() < MIN_WRITE_BUFFER_BYTES) {
            throw new IllegalConfigurationException(
                    String.format(
                            "Invalid value '%s' for key '%s': it must be at least %s.",
                            buffer,
                            LocalRecoveryOptions.WRITE_BUFFER_SIZE.key(),
                            MemorySize.ofMebiBytes(1).toHumanReadableString()));
        }
        Duration releasedLifetime =
                parse(LocalRecoveryOptions.RELEASED_COPIES_LIFETIME, config, v -> v);
        if (releasedLifetime.isNegative()) {
            throw new IllegalConfigurationException(
                    String.format(
                            "Invalid value '%s' for key '%s': it must not be negative (0 collects"
                                    + " the copies of a job as soon as it leaves the TaskManager).",
                            releasedLifetime, LocalRecoveryOptions.RELEASED_COPIES_LIFETIME.key()));
        }
        return new LocalRecoverySettings(
                        mode,
                        cleaned,
                        retained,
                        verify,
                        trustUnchangedSst,
                        buffer.getBytes(),
                        releasedLifetime)
                .withDiskBudget(parseDiskSizeLimit(config), parseDiskReserve(config))
                .withClusterId(parseClusterId(config));
    }

    /**
     * The cluster id of a configuration: {@link LocalRecoveryOptions#CLUSTER_ID}, or its fallback
     * keys, or the default.
     */
    public static String parseClusterId(ReadableConfig config) {
        String clusterId = parse(LocalRecoveryOptions.CLUSTER_ID, config, v -> v);
        if (clusterId == null || clusterId.isBlank() || clusterId.contains("\n")) {
            throw new IllegalConfigurationException(
                    String.format(
                            "Invalid value '%s' for key '%s': it must be a non-empty name on one "
                                    + "line (the id of the Flink cluster, e.g. the value of '%s').",
                            clusterId,
                            LocalRecoveryOptions.CLUSTER_ID.key(),
                            "kubernetes.cluster-id"));
        }
        return clusterId.trim();
    }

    /** These settings with another cluster id. */
    public LocalRecoverySettings withClusterId(String clusterId) {
        LocalRecoverySettings copy = withDiskBudget(diskSizeLimitBytes, diskReserveBytes);
        copy.clusterId = Preconditions.checkNotNull(clusterId);
        return copy;
    }

    /**
     * The Flink cluster the local copies belong to (see {@link LocalRecoveryOptions#CLUSTER_ID}).
     */
    public String getClusterId() {
        return clusterId;
    }

    private static long parseDiskSizeLimit(ReadableConfig config) {
        MemorySize limit = parse(LocalRecoveryOptions.DISK_SIZE_LIMIT, config, v -> v);
        if (limit == null) {
            return NO_DISK_LIMIT;
        }
        if (limit.getBytes() <= 0) {
            throw new IllegalConfigurationException(
                    String.format(
                            "Invalid value '%s' for key '%s': it must be positive (leave it unset "
                                    + "for no limit). To stop writing local copies, set '%s: "
                                    + "DISABLED' instead.",
                            limit,
                            LocalRecoveryOptions.DISK_SIZE_LIMIT.key(),
                            LocalRecoveryOptions.LOCAL_RECOVERY.key()));
        }
        return limit.getBytes();
    }

    private static long parseDiskReserve(ReadableConfig config) {
        MemorySize reserve = parse(LocalRecoveryOptions.DISK_RESERVE_SIZE, config, v -> v);
        return reserve == null ? DEFAULT_DISK_RESERVE : reserve.getBytes();
    }

    /**
     * These settings with a disk budget: at most {@code sizeLimitBytes} per directory ({@link
     * #NO_DISK_LIMIT} for none), {@code reserveBytes} left free ({@link #DEFAULT_DISK_RESERVE} for
     * the default).
     */
    public LocalRecoverySettings withDiskBudget(long sizeLimitBytes, long reserveBytes) {
        LocalRecoverySettings copy =
                new LocalRecoverySettings(
                        mode,
                        directories,
                        retainedCheckpoints,
                        verifyChecksums,
                        trustUnchangedSstFiles,
                        writeBufferBytes,
                        releasedCopiesLifetime);
        copy.diskSizeLimitBytes = sizeLimitBytes;
        copy.diskReserveBytes = reserveBytes;
        copy.clusterId = clusterId;
        return copy;
    }

    /** The most bytes per directory, {@link #NO_DISK_LIMIT} for none. */
    public long getDiskSizeLimitBytes() {
        return diskSizeLimitBytes;
    }

    /** The bytes to leave free per file system, {@link #DEFAULT_DISK_RESERVE} for the default. */
    public long getDiskReserveBytes() {
        return diskReserveBytes;
    }

    static final long MIN_WRITE_BUFFER_BYTES = 1024 * 1024;

    /**
     * The directories of {@link LocalRecoveryOptions#LOCAL_DIRECTORIES} in a configuration (empty
     * if unset), separated by ';' or ','.
     */
    public static List<String> parseDirectories(ReadableConfig config) {
        List<String> dirs = parse(LocalRecoveryOptions.LOCAL_DIRECTORIES, config, v -> v);
        List<String> cleaned = new ArrayList<>();
        if (dirs != null) {
            for (String dir : dirs) {
                for (String part : dir.split("[;,]")) {
                    if (!part.isBlank()) {
                        cleaned.add(part.trim());
                    }
                }
            }
        }
        return cleaned;
    }

    private interface Converter<T, R> {
        R convert(T value);
    }

    private static <T, R> R parse(
            ConfigOption<T> option, ReadableConfig config, Converter<T, R> converter) {
        final T value;
        try {
            value = config.get(option);
        } catch (IllegalArgumentException e) {
            throw new IllegalConfigurationException(
                    String.format("Invalid value for key '%s': %s", option.key(), rootMessage(e)),
                    e);
        }
        try {
            return converter.convert(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalConfigurationException(e.getMessage(), e);
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable cause = t;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getMessage();
    }

    public LocalRecoveryMode getMode() {
        return mode;
    }

    public boolean isEnabled() {
        return mode == LocalRecoveryMode.ENABLE_FILE_BASED;
    }

    /** The configured directories; empty means "inside the TaskManager working directory". */
    public List<String> getDirectories() {
        return directories;
    }

    public int getRetainedCheckpoints() {
        return retainedCheckpoints;
    }

    public boolean isVerifyChecksums() {
        return verifyChecksums;
    }

    /** Whether an unchanged SST file checksummed by this process is used once without reading. */
    public boolean isTrustUnchangedSstFiles() {
        return verifyChecksums && trustUnchangedSstFiles;
    }

    public long getWriteBufferBytes() {
        return writeBufferBytes;
    }

    /** How long the copies of a job that left the TaskManager are kept. */
    public Duration getReleasedCopiesLifetime() {
        return releasedCopiesLifetime;
    }

    @Override
    public String toString() {
        return "LocalRecoverySettings{mode="
                + mode
                + ", directories="
                + directories
                + ", retainedCheckpoints="
                + retainedCheckpoints
                + ", verifyChecksums="
                + verifyChecksums
                + ", trustUnchangedSstFiles="
                + trustUnchangedSstFiles
                + ", writeBufferBytes="
                + writeBufferBytes
                + ", releasedCopiesLifetime="
                + releasedCopiesLifetime
                + ", diskSizeLimitBytes="
                + diskSizeLimitBytes
                + ", diskReserveBytes="
                + diskReserveBytes
                + ", clusterId="
                + clusterId
                + '}';
    }
}
