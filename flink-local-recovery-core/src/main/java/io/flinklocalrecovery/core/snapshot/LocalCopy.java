package io.flinklocalrecovery.core.snapshot;

import org.apache.flink.runtime.state.StreamStateHandle;

/** A finished local file and the primary handle whose bytes it holds. */
final class LocalCopy {
    final StreamStateHandle primary;
    final String fileName;
    final long size;
    final int crc32c;

    LocalCopy(StreamStateHandle primary, String fileName, long size, int crc32c) {
        this.primary = primary;
        this.fileName = fileName;
        this.size = size;
        this.crc32c = crc32c;
    }
}
