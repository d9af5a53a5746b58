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
