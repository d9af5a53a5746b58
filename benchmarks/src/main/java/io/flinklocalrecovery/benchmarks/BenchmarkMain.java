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
package io.flinklocalrecovery.benchmarks;

import java.util.List;

/**
 * What the {@code main} of every benchmark does around its run: the benchmarks' log configuration,
 * each problem of the run on standard output and exit code 1 if there was any, a failure's stack
 * trace and exit code 1, and {@link System#exit} at the end (Flink and the rate limiters leave
 * non-daemon threads behind).
 */
final class BenchmarkMain {

    /** A benchmark's run: writes its report and returns the problems it found. */
    @FunctionalInterface
    interface Run {
        List<String> reportProblems() throws Exception;
    }

    private BenchmarkMain() {}

    static void run(Run run) {
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "log4j2-benchmarks.properties");
        }
        int exitCode;
        try {
            List<String> problems = run.reportProblems();
            for (String problem : problems) {
                System.out.println("PROBLEM: " + problem);
            }
            exitCode = problems.isEmpty() ? 0 : 1;
        } catch (Throwable t) {
            System.out.println("BENCHMARK FAILED: " + t);
            t.printStackTrace(System.out);
            exitCode = 1;
        }
        System.out.flush();
        System.exit(exitCode);
    }
}
