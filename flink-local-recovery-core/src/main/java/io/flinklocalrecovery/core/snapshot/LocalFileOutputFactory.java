package io.flinklocalrecovery.core.snapshot;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Opens local files for writing; tests substitute one that fails like a full or broken disk. */
@FunctionalInterface
public interface LocalFileOutputFactory {

    LocalFileOutputFactory DEFAULT =
            file ->
                    Files.newOutputStream(
                            file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);

    OutputStream open(Path file) throws IOException;
}
