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
package io.flinklocalrecovery.rocksdb;

import org.apache.flink.annotation.Internal;

import io.flinklocalrecovery.core.backend.LocalRecoveryProcess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Warns, once per pair of directories, when the plugin's local directory and RocksDB's working
 * directory are on different file systems: hard links and renames are impossible then, so every SST
 * file is copied into the local checkpoint, and a restore copies them back.
 */
@Internal
final class HardLinkCheck {

    private static final Logger LOG = LoggerFactory.getLogger(HardLinkCheck.class);
    private static final Set<String> CHECKED = ConcurrentHashMap.newKeySet();

    static {
        // checked once per process: a simulated TaskManager restart checks again
        LocalRecoveryProcess.get().onReset(CHECKED::clear);
    }

    private HardLinkCheck() {}

    static void warnIfNotColocated(List<Path> localRoots, List<File> rocksDBDirectories) {
        for (Path root : localRoots) {
            for (File rocksDBDir : rocksDBDirectories) {
                if (!CHECKED.add(root + "|" + rocksDBDir)) {
                    continue;
                }
                FileStore localStore = fileStore(root);
                FileStore rocksDBStore = fileStore(rocksDBDir.toPath());
                if (localStore != null
                        && rocksDBStore != null
                        && !localStore.equals(rocksDBStore)) {
                    LOG.warn(
                            "The local recovery directory {} ({}) and RocksDB's working directory "
                                    + "{} ({}) are on different file systems: every SST file of "
                                    + "a local checkpoint is copied (in the background) instead "
                                    + "of kept as a hard link, which costs disk space and time. "
                                    + "Put both on one file system "
                                    + "(state.backend.local-recovery.dirs, "
                                    + "state.backend.rocksdb.localdir).",
                            root,
                            localStore,
                            rocksDBDir,
                            rocksDBStore);
                }
            }
        }
    }

    private static FileStore fileStore(Path path) {
        for (Path p = path.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                try {
                    return Files.getFileStore(p);
                } catch (IOException e) {
                    return null;
                }
            }
        }
        return null;
    }
}
