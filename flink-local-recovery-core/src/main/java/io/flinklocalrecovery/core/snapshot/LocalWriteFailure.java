package io.flinklocalrecovery.core.snapshot;

/** Why a local copy was not kept. Each value is counted in its own metric. */
public enum LocalWriteFailure {
    /** The local checkpoint directory could not be created. */
    DIRECTORY_NOT_CREATABLE("directoryNotCreatable"),
    /** Writing or closing a local file failed (I/O error, disk full). */
    WRITE_ERROR("writeError"),
    /** The TaskManager's local write buffer was full; the copy was dropped, not waited for. */
    BUFFER_FULL("bufferFull"),
    /** The manifest of a local checkpoint could not be written. */
    MANIFEST_WRITE_ERROR("manifestWriteError"),
    /** The local copy does not have the size of the primary copy. */
    SIZE_MISMATCH("sizeMismatch");

    private final String metricName;

    LocalWriteFailure(String metricName) {
        this.metricName = metricName;
    }

    public String getMetricName() {
        return metricName;
    }
}
