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
package io.flinklocalrecovery.testutils.cluster;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * What Flink's start scripts compute for a TaskManager from {@code config.yaml}, through {@code
 * BashJavaUtils GET_TM_RESOURCE_PARAMS}: its JVM memory flags and its {@code -D} settings.
 */
final class TaskManagerResourceParams {

    private static final String EXEC_RESULT_PREFIX = "BASH_JAVA_UTILS_EXEC_RESULT:";

    /** The JVM memory flags, e.g. {@code -Xmx...}. */
    final List<String> jvmArgs;

    /** The {@code -D key=value} settings, as separate arguments. */
    final List<String> dynamicProperties;

    private TaskManagerResourceParams(List<String> jvmArgs, List<String> dynamicProperties) {
        this.jvmArgs = jvmArgs;
        this.dynamicProperties = dynamicProperties;
    }

    /** Runs BashJavaUtils with the cluster's {@code conf/} and {@code lib/}. */
    static TaskManagerResourceParams compute(Path conf, Path lib, Path log) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(ClusterProcesses.java());
        command.addAll(List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        command.add(
                "-Dlog4j.configurationFile="
                        + conf.resolve(ClusterConfFiles.LOG4J_PROPERTIES).toUri());
        command.add("-Dlog.file=" + log);
        command.addAll(
                List.of(
                        "-cp",
                        lib + "/*",
                        "org.apache.flink.runtime.util.bash.BashJavaUtils",
                        "GET_TM_RESOURCE_PARAMS",
                        "--configDir",
                        conf.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("BashJavaUtils failed:\n" + output);
        }
        List<String> results =
                output.lines()
                        .filter(line -> line.startsWith(EXEC_RESULT_PREFIX))
                        .map(line -> line.substring(EXEC_RESULT_PREFIX.length()).trim())
                        .collect(Collectors.toList());
        if (results.size() != 2) {
            throw new IllegalStateException("Unexpected BashJavaUtils output:\n" + output);
        }
        List<String> params =
                Stream.of(results.get(0), results.get(1))
                        .flatMap(line -> Arrays.stream(line.split("\\s+")))
                        .filter(s -> !s.isEmpty())
                        .collect(Collectors.toList());
        List<String> jvmArgs = new ArrayList<>();
        List<String> dynamic = new ArrayList<>();
        boolean inDynamic = false;
        for (String param : params) {
            // the first line holds the JVM memory flags, the second the -D settings
            if (param.equals("-D")) {
                inDynamic = true;
            }
            (inDynamic ? dynamic : jvmArgs).add(param);
        }
        return new TaskManagerResourceParams(
                Collections.unmodifiableList(jvmArgs), Collections.unmodifiableList(dynamic));
    }
}
