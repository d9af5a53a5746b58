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
package io.flinklocalrecovery.testutils.minicluster;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A small tmpfs file system mounted for one test (needs root, as on the CI machine; elsewhere the
 * test is skipped with a message): the local disk that fills up. {@link #fill()} takes every free
 * byte, as a disk shared with logs and spill files does.
 */
public final class SmallFileSystem implements AutoCloseable {

    private final Path mountPoint;

    private SmallFileSystem(Path mountPoint) {
        this.mountPoint = mountPoint;
    }

    /** Mounts a tmpfs of {@code size} (for example {@code 2m}) at a new directory. */
    public static SmallFileSystem mount(Path mountPoint, String size) throws Exception {
        Files.createDirectories(mountPoint);
        int exit =
                run(
                        "mount",
                        "-t",
                        "tmpfs",
                        "-o",
                        "size=" + size + ",mode=0700",
                        "tmpfs",
                        mountPoint.toString());
        assumeTrue(exit == 0, "mounting a tmpfs needs root; skipping the small-disk test");
        return new SmallFileSystem(mountPoint);
    }

    public Path path() {
        return mountPoint;
    }

    /** Writes a ballast file until the file system has no space left; returns its size. */
    public long fill() throws IOException {
        byte[] block = new byte[4096];
        long written = 0;
        try (OutputStream out = Files.newOutputStream(mountPoint.resolve("ballast"))) {
            while (true) {
                out.write(block);
                written += block.length;
            }
        } catch (IOException full) {
            if (Files.getFileStore(mountPoint).getUsableSpace() > block.length) {
                throw full;
            }
        }
        return written;
    }

    @Override
    public void close() throws Exception {
        run("umount", "-l", mountPoint.toString());
    }

    private static int run(String... command) throws Exception {
        Process process =
                new ProcessBuilder(List.of(command))
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start();
        if (!process.waitFor(1, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }
}
