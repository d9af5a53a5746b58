package io.flinklocalrecovery.core.metrics;

/** Why state was read from the primary copy instead of the local one. One metric each. */
public enum FallbackReason {
    /** This TaskManager has no local copy of the handle (first run, lost, pruned, disabled). */
    NO_LOCAL_COPY("noLocalCopy"),
    /** The local file is gone, or its size is not what was written (truncated, overwritten). */
    FILE_MISSING_OR_TRUNCATED("missingOrTruncated"),
    /** The local file has the right size but not the right CRC32C (bit rot, tampering). */
    CHECKSUM_MISMATCH("checksumMismatch"),
    /** Restoring from the local copies threw; the whole restore was repeated from the primary. */
    RESTORE_FAILED("restoreFailed");

    private final String metricName;

    FallbackReason(String metricName) {
        this.metricName = metricName;
    }

    public String getMetricName() {
        return metricName;
    }
}
