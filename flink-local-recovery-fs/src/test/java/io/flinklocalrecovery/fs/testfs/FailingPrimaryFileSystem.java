package io.flinklocalrecovery.fs.testfs;

import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.FileSystemFactory;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.local.LocalFileSystem;

import java.io.IOException;
import java.net.URI;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The local file system under the scheme {@value #SCHEME}, whose creation of task state files can
 * be made to fail: a primary checkpoint storage that breaks while the local disk is fine. The
 * checkpoint metadata file is never failed, so only the tasks' primary copies are affected.
 */
public class FailingPrimaryFileSystem extends LocalFileSystem {

    public static final String SCHEME = "failingprimary";

    private static final AtomicBoolean FAIL_STATE_FILES = new AtomicBoolean();
    private static final AtomicInteger FAILURES = new AtomicInteger();

    public static void failStateFiles(boolean fail) {
        FAIL_STATE_FILES.set(fail);
    }

    public static int injectedFailures() {
        return FAILURES.get();
    }

    @Override
    public URI getUri() {
        return URI.create(SCHEME + ":///");
    }

    @Override
    public FSDataOutputStream create(Path filePath, WriteMode overwrite) throws IOException {
        if (FAIL_STATE_FILES.get() && !filePath.getName().startsWith("_metadata")) {
            FAILURES.incrementAndGet();
            throw new IOException(
                    "Injected failure of the primary checkpoint storage: " + filePath);
        }
        return super.create(filePath, overwrite);
    }

    /** Registered through META-INF/services. */
    public static class Factory implements FileSystemFactory {
        @Override
        public String getScheme() {
            return SCHEME;
        }

        @Override
        public FileSystem create(URI fsUri) {
            return new FailingPrimaryFileSystem();
        }
    }
}
