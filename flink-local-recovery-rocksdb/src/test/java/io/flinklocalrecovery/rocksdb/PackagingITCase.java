package io.flinklocalrecovery.rocksdb;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The RocksDB jar users drop into Flink's lib/ folder holds only this plugin's classes: no Flink,
 * RocksDB (frocksdbjni) or other third-party classes that could clash with Flink's own. Runs after
 * {@code package}.
 */
class PackagingITCase {

    private static final String OUR_PACKAGE = "io/flinklocalrecovery/";

    @Test
    void rocksDBBackendJarHoldsOnlyOurClasses() throws IOException {
        Path jar = jarOf(Paths.get("target"));
        List<String> entries = entries(jar);

        List<String> foreign = new ArrayList<>();
        for (String entry : entries) {
            boolean ours = entry.startsWith(OUR_PACKAGE);
            boolean metadata = entry.startsWith("META-INF/") && !entry.endsWith(".class");
            if (!entry.endsWith("/") && !ours && !metadata) {
                foreign.add(entry);
            }
        }
        assertThat(foreign).as("entries of %s that are not ours", jar).isEmpty();
        assertThat(entries)
                .as("entries of %s", jar)
                .noneMatch(entry -> entry.startsWith("org/apache/flink/"))
                .noneMatch(entry -> entry.startsWith("org/rocksdb/"))
                .contains(
                        "io/flinklocalrecovery/rocksdb/LocalRecoveryRocksDBStateBackendFactory.class");
    }

    private static List<String> entries(Path jar) throws IOException {
        List<String> names = new ArrayList<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            Enumeration<JarEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                names.add(entries.nextElement().getName());
            }
        }
        return names;
    }

    private static Path jarOf(Path targetDir) throws IOException {
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
        return jars.get(0);
    }
}
