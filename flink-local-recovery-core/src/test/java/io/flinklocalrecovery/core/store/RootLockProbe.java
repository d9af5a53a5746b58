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

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;

/**
 * The other process of {@link RootLockAcrossProcessesTest}: {@code probe <root>} prints whether the
 * root's lock file can be locked ({@code free} or {@code held}); {@code own <root> <cluster>} opens
 * a store on the root, as a TaskManager does, prints {@code open} and keeps it open until its
 * standard input ends or it is killed.
 */
public final class RootLockProbe {

    private RootLockProbe() {}

    public static void main(String[] args) throws Exception {
        Path root = Paths.get(args[1]);
        if (args[0].equals("probe")) {
            try (FileChannel channel =
                    FileChannel.open(root.resolve(".lock"), StandardOpenOption.WRITE)) {
                FileLock lock = channel.tryLock();
                System.out.println(lock == null ? "held" : "free");
            }
            return;
        }
        try (TaskLocalSnapshotStore store =
                TaskLocalSnapshotStore.open(
                        List.of(root), 1, Duration.ofMinutes(10), DiskBudget.UNLIMITED, args[2])) {
            store.collectAbandonedRoots();
            System.out.println("open");
            System.out.flush();
            while (System.in.read() >= 0) {
                // until the test closes our input
            }
        }
    }
}
