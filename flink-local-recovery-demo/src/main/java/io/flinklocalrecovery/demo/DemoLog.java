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

import org.apache.flink.annotation.Internal;

import java.util.Locale;

/**
 * The demo's progress on stdout, each line with the seconds since the start: the demo talks to the
 * user, Flink's own log stays quiet ({@code -Ddemo.logLevel}).
 */
@Internal
final class DemoLog {

    private static final long START_NANOS = System.nanoTime();

    private DemoLog() {}

    static void progress(String format, Object... args) {
        System.out.printf(
                Locale.ROOT,
                "[%6.1f s] %s%n",
                (System.nanoTime() - START_NANOS) / 1e9,
                String.format(Locale.ROOT, format, args));
        System.out.flush();
    }

    static double secondsSinceStart() {
        return (System.nanoTime() - START_NANOS) / 1e9;
    }
}
