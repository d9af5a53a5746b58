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
package io.flinklocalrecovery.core.store;

import org.apache.flink.annotation.Internal;
import org.apache.flink.annotation.VisibleForTesting;
import org.apache.flink.util.Preconditions;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Every fsync of a local copy goes through here: data files when closed, manifests and their
 * directories, copies of RocksDB files. It is the one place where the local disk can hang a thread,
 * so it is also where tests make it hang ({@link #setHookForTests}), in a real job on a
 * MiniCluster.
 */
@Internal
public final class LocalDiskSync {

    /** Runs before each fsync; tests block or fail in it. */
    @FunctionalInterface
    @VisibleForTesting
    public interface Hook {
        void beforeSync(Path file) throws IOException;
    }

    private static final Hook NONE = file -> {};

    private static volatile Hook hook = NONE;

    private LocalDiskSync() {}

    /** Forces a file's content (and, if asked, its metadata) to the disk. */
    public static void force(FileChannel channel, Path file, boolean metaData) throws IOException {
        hook.beforeSync(file);
        channel.force(metaData);
    }

    /** Installs a hook for this process; {@link #clearHookForTests()} removes it. */
    @VisibleForTesting
    public static void setHookForTests(Hook testHook) {
        hook = Preconditions.checkNotNull(testHook);
    }

    @VisibleForTesting
    public static void clearHookForTests() {
        hook = NONE;
    }
}
