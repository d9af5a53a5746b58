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

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads for the plugin's background work (local copy writers, commits, housekeeping): daemon
 * threads whose uncaught errors are logged. Not Flink's {@code ExecutorThreadFactory}, whose
 * threads end the TaskManager process on an uncaught error: nothing the local copy does may end the
 * process.
 */
@Internal
public final class BackgroundThreads {

    private static final Logger LOG = LoggerFactory.getLogger(BackgroundThreads.class);

    private BackgroundThreads() {}

    public static ThreadFactory factory(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            thread.setUncaughtExceptionHandler(
                    (t, e) ->
                            LOG.warn(
                                    "Uncaught error in {}; the local copy it was working on is"
                                            + " lost, nothing else.",
                                    t.getName(),
                                    e));
            return thread;
        };
    }
}
