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
package io.flinklocalrecovery.testutils.backend;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The entries of a plugin jar that users drop into Flink's lib/ folder, and the check that it holds
 * only this plugin's classes (no Flink, RocksDB or other third-party classes that could clash with
 * Flink's own). For the modules' packaging tests, which run after {@code package}.
 */
public final class PluginJarContents {

    private static final String OUR_PACKAGE = "io/flinklocalrecovery/";

    private final Path jar;
    private final List<String> entries;

    private PluginJarContents(Path jar, List<String> entries) {
        this.jar = jar;
        this.entries = entries;
    }

    /** The module jar in {@code targetDir}: the one jar that is not a tests or sources jar. */
    public static PluginJarContents ofModuleJarIn(Path targetDir) throws IOException {
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(targetDir, "*.jar")) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (!name.endsWith("-tests.jar") && !name.endsWith("-sources.jar")) {
                    jars.add(file);
                }
            }
        }
        assertThat(jars).as("the module jar in %s", targetDir.toAbsolutePath()).hasSize(1);
        Path jar = jars.get(0);
        List<String> names = new ArrayList<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            Enumeration<JarEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                names.add(entries.nextElement().getName());
            }
        }
        return new PluginJarContents(jar, names);
    }

    public Path jar() {
        return jar;
    }

    public List<String> entries() {
        return entries;
    }

    /** Fails on any entry but a directory, our classes and resources, or non-class metadata. */
    public void assertOnlyOurClasses() {
        List<String> foreign = new ArrayList<>();
        for (String entry : entries) {
            boolean ours = entry.startsWith(OUR_PACKAGE);
            boolean metadata = entry.startsWith("META-INF/") && !entry.endsWith(".class");
            if (!entry.endsWith("/") && !ours && !metadata) {
                foreign.add(entry);
            }
        }
        assertThat(foreign).as("entries of %s that are not ours", jar).isEmpty();
    }
}
