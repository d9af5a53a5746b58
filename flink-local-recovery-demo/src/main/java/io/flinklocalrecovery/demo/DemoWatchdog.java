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
package io.flinklocalrecovery.demo;

/**
 * A demo's last resort if it hangs where no deadline is checked, for example in shutdown: a minute
 * after its time limit, runs {@code onTimeout} (which says so and cleans up) and halts the JVM.
 */
public final class DemoWatchdog {

    private DemoWatchdog() {}

    public static void start(double timeoutMinutes, Runnable onTimeout) {
        Thread watchdog =
                new Thread(
                        () -> {
                            try {
                                Thread.sleep((long) (timeoutMinutes * 60_000) + 60_000);
                            } catch (InterruptedException e) {
                                return;
                            }
                            onTimeout.run();
                            System.out.flush();
                            Runtime.getRuntime().halt(2);
                        },
                        "demo-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }
}
