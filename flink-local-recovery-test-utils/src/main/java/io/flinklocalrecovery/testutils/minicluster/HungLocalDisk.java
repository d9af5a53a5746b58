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

import io.flinklocalrecovery.core.store.LocalDiskSync;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local disk whose fsync hangs, for the files under one directory, until the test releases it: a
 * failing disk, a full NFS mount, a throttled cloud volume. Every thread that syncs a local copy
 * there waits (bounded by ten minutes, so that a broken test ends).
 */
public final class HungLocalDisk implements AutoCloseable {

    private final Path directory;
    private final CountDownLatch released = new CountDownLatch(1);
    private final AtomicInteger hung = new AtomicInteger();

    private HungLocalDisk(Path directory) {
        this.directory = directory.toAbsolutePath().normalize();
    }

    /** From now on, every fsync under {@code directory} hangs. */
    public static HungLocalDisk hang(Path directory) {
        HungLocalDisk disk = new HungLocalDisk(directory);
        LocalDiskSync.setHookForTests(disk::beforeSync);
        return disk;
    }

    private void beforeSync(Path file) {
        if (!file.toAbsolutePath().normalize().startsWith(directory)) {
            return;
        }
        hung.incrementAndGet();
        try {
            released.await(10, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            hung.decrementAndGet();
        }
    }

    /** How many threads wait for the disk now. */
    public int hungThreads() {
        return hung.get();
    }

    /** The disk answers again. */
    public void release() {
        released.countDown();
    }

    @Override
    public void close() {
        release();
        LocalDiskSync.clearHookForTests();
    }
}
