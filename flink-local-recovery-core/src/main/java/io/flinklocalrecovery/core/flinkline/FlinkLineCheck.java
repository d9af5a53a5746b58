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
package io.flinklocalrecovery.core.flinkline;

import org.apache.flink.annotation.Internal;
import org.apache.flink.annotation.VisibleForTesting;
import org.apache.flink.configuration.IllegalConfigurationException;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.apache.flink.util.Preconditions;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.Properties;

/**
 * Refuses to run the plugin on a Flink line other than the one its jars were compiled against. The
 * plugin is built once per Flink line (the default build for Flink 2.x, {@code -Pflink-1.20} for
 * Flink 1.20), against APIs that differ between them; loaded by the other line it would fail much
 * later with a {@code NoSuchMethodError} or {@code AbstractMethodError}. The factories call {@link
 * #checkRunningFlink()} first, so the mismatch shows at start, with the jar to use.
 */
@Internal
public final class FlinkLineCheck {

    private static final Logger LOG = LoggerFactory.getLogger(FlinkLineCheck.class);

    static final String RESOURCE = "flink-line.properties";

    /** The line of the default build: every Flink 2 release. */
    static final String LINE_2X = "2.x";

    static final String LINE_1_20 = "1.20";

    private static final BuildLine BUILD = BuildLine.load();

    private FlinkLineCheck() {}

    /**
     * Throws when the running Flink is not of the line the plugin was built for; does nothing when
     * Flink does not know its own version (a build from sources run from an IDE).
     */
    public static void checkRunningFlink() throws IllegalConfigurationException {
        Optional<String> mismatch = mismatch(BUILD, EnvironmentInformation.getVersion());
        if (mismatch.isPresent()) {
            throw new IllegalConfigurationException(mismatch.get());
        }
    }

    /** The Flink line the jars on the class path were built for: {@code 1.20} or {@code 2.x}. */
    public static String buildLine() {
        return BUILD.line;
    }

    @VisibleForTesting
    static Optional<String> mismatch(BuildLine build, String runningFlinkVersion) {
        Preconditions.checkNotNull(build);
        if (runningFlinkVersion == null
                || runningFlinkVersion.isEmpty()
                || !Character.isDigit(runningFlinkVersion.charAt(0))) {
            LOG.debug(
                    "Flink does not know its version ({}); the Flink line is not checked.",
                    runningFlinkVersion);
            return Optional.empty();
        }
        String runningLine = lineOf(runningFlinkVersion);
        if (build.line.equals(runningLine)) {
            return Optional.empty();
        }
        String fix;
        if (LINE_2X.equals(runningLine)) {
            fix =
                    "use the jars of the default build (mvn package), version "
                            + versionForLine(build.pluginVersion, LINE_2X);
        } else if (LINE_1_20.equals(runningLine)) {
            fix =
                    "use the jars built with mvn package -Pflink-1.20, version "
                            + versionForLine(build.pluginVersion, LINE_1_20);
        } else {
            fix = "run it on Flink 1.20 or Flink 2.x, the lines it is built for";
        }
        return Optional.of(
                String.format(
                        "The flink-local-recovery jars in this Flink (version %s) are built for"
                                + " Flink %s (compiled against Flink %s), but Flink %s is"
                                + " running: %s.",
                        build.pluginVersion,
                        build.line,
                        build.flinkVersion,
                        runningFlinkVersion,
                        fix));
    }

    /** The Flink line of a Flink version: {@code 2.x} for any 2.*, else major.minor. */
    @VisibleForTesting
    static String lineOf(String flinkVersion) {
        String[] parts = flinkVersion.split("[.-]");
        if ("2".equals(parts[0])) {
            return LINE_2X;
        }
        return parts.length > 1 ? parts[0] + "." + parts[1] : parts[0];
    }

    /** The plugin version of a line's build: the 1.20 build adds "-1.20" to it. */
    @VisibleForTesting
    static String versionForLine(String pluginVersion, String line) {
        String base = pluginVersion.replace("-" + LINE_1_20, "");
        if (!LINE_1_20.equals(line)) {
            return base;
        }
        int snapshot = base.indexOf("-SNAPSHOT");
        return snapshot < 0
                ? base + "-" + LINE_1_20
                : base.substring(0, snapshot) + "-" + LINE_1_20 + base.substring(snapshot);
    }

    /** What the build recorded in {@value #RESOURCE}. */
    @VisibleForTesting
    static final class BuildLine {
        final String line;
        final String flinkVersion;
        final String pluginVersion;

        BuildLine(String line, String flinkVersion, String pluginVersion) {
            this.line = Preconditions.checkNotNull(line);
            this.flinkVersion = Preconditions.checkNotNull(flinkVersion);
            this.pluginVersion = Preconditions.checkNotNull(pluginVersion);
        }

        static BuildLine load() {
            Properties properties = new Properties();
            try (InputStream in = FlinkLineCheck.class.getResourceAsStream(RESOURCE)) {
                Preconditions.checkState(
                        in != null, "%s is missing from the plugin's core jar", RESOURCE);
                properties.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("Could not read " + RESOURCE, e);
            }
            return new BuildLine(
                    properties.getProperty("flink.line"),
                    properties.getProperty("flink.version"),
                    properties.getProperty("plugin.version"));
        }
    }
}
