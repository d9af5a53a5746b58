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
package io.flinklocalrecovery.testutils.fs;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.FileSystemFactory;

import java.net.URI;

/**
 * Registers {@link ThrottledFileSystem} for the scheme {@code throttled://} (through {@code
 * META-INF/services/org.apache.flink.core.fs.FileSystemFactory}).
 *
 * <p>Limits come from, highest priority first: the Flink configuration passed to {@link
 * FileSystem#initialize}, the system properties {@value #BANDWIDTH_PROPERTY} and {@value
 * #LATENCY_PROPERTY}, and the defaults (100 MB/s each way, 20 ms per open or create).
 */
public class ThrottledFileSystemFactory implements FileSystemFactory {

    public static final String BANDWIDTH_PROPERTY = "throttledfs.mbPerSecond";
    public static final String LATENCY_PROPERTY = "throttledfs.latencyMs";

    public static final ConfigOption<Double> BANDWIDTH_MB_PER_SECOND =
            ConfigOptions.key("fs.throttled.mb-per-second")
                    .doubleType()
                    .defaultValue(100.0)
                    .withDescription(
                            "Read and write bandwidth of the emulated remote file system"
                                    + " 'throttled://', in MB/s, each direction.");

    public static final ConfigOption<Long> LATENCY_MS =
            ConfigOptions.key("fs.throttled.latency-ms")
                    .longType()
                    .defaultValue(20L)
                    .withDescription(
                            "Latency added to every open and create of 'throttled://', in ms.");

    private double mbPerSecond = systemProperty(BANDWIDTH_PROPERTY, BANDWIDTH_MB_PER_SECOND);
    private long latencyMs =
            (long) systemProperty(LATENCY_PROPERTY, LATENCY_MS.defaultValue().doubleValue());

    @Override
    public String getScheme() {
        return ThrottledFileSystem.SCHEME;
    }

    @Override
    public void configure(Configuration config) {
        config.getOptional(BANDWIDTH_MB_PER_SECOND).ifPresent(v -> mbPerSecond = v);
        config.getOptional(LATENCY_MS).ifPresent(v -> latencyMs = v);
    }

    @Override
    public FileSystem create(URI fsUri) {
        // FileSystem caches the instance per scheme and authority, so all streams of all tasks
        // of this JVM share one pair of token buckets: one emulated network link
        return new ThrottledFileSystem((long) (mbPerSecond * 1024 * 1024), latencyMs);
    }

    private static double systemProperty(String name, ConfigOption<Double> option) {
        return systemProperty(name, option.defaultValue());
    }

    private static double systemProperty(String name, double defaultValue) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            return Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "System property " + name + " must be a number, not '" + value + "'", e);
        }
    }
}
