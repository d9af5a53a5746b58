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

import org.apache.flink.api.common.time.Deadline;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The JVM processes of a cluster and their PIDs. Every process is started under {@code timeout -s
 * KILL}, so it dies after a bounded time even if the test JVM is killed; its PID (the JVM's, not
 * the wrapper's) is recorded in memory and in the cluster's {@code pids} file, and it is stopped
 * through that PID only.
 */
final class ClusterProcesses {

    private static final Duration JVM_START_TIMEOUT = Duration.ofSeconds(10);

    private final Path home;
    private final Path conf;
    private final Path lib;
    private final Path logs;
    private final List<String> jvmOpens;
    private final long processTimeoutSeconds;
    private final Map<String, Process> processes = new LinkedHashMap<>();
    private final Map<String, Long> jvmPids = new LinkedHashMap<>();

    ClusterProcesses(Path home, Path conf, Path lib, Path logs) {
        this.home = home;
        this.conf = conf;
        this.lib = lib;
        this.logs = logs;
        this.jvmOpens =
                Arrays.stream(System.getProperty("e2e.jvmOpens", "").trim().split("\\s+"))
                        .filter(s -> !s.isEmpty())
                        .collect(Collectors.toList());
        this.processTimeoutSeconds = Long.getLong("e2e.processTimeoutSeconds", 600);
    }

    Path log(String name) {
        return logs.resolve(name + ".log");
    }

    Path output(String name) {
        return logs.resolve(name + ".out");
    }

    /** The java binary of this JVM, which the cluster's processes run with too. */
    static String java() {
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }

    Process start(String name, List<String> jvmArgs, String mainClass, List<String> args)
            throws Exception {
        if (isAlive(name)) {
            throw new IllegalStateException(name + " is still running");
        }
        Path tmp = home.resolve("tmp").resolve(name);
        Files.createDirectories(tmp);
        List<String> command = new ArrayList<>();
        command.addAll(List.of("timeout", "-s", "KILL", String.valueOf(processTimeoutSeconds)));
        command.add(java());
        command.addAll(jvmArgs);
        command.addAll(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        command.addAll(jvmOpens);
        command.add("-Djava.io.tmpdir=" + tmp);
        command.add("-Dlog.file=" + log(name));
        command.add(
                "-Dlog4j.configurationFile="
                        + conf.resolve(ClusterConfFiles.LOG4J_PROPERTIES).toUri());
        command.addAll(List.of("-cp", lib + "/*", mainClass, "--configDir", conf.toString()));
        command.addAll(args);
        Path out = output(name);
        Files.writeString(
                out,
                "$ " + String.join(" ", command) + "\n",
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        Process wrapper =
                new ProcessBuilder(command)
                        .directory(home.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
                        .start();
        processes.put(name, wrapper);
        long jvmPid = jvmPidOf(wrapper);
        jvmPids.put(name, jvmPid);
        Files.writeString(
                home.resolve("pids"),
                name + " " + jvmPid + " (timeout wrapper " + wrapper.pid() + ")\n",
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        return wrapper;
    }

    /** The JVM is the only child of the {@code timeout} wrapper. */
    private static long jvmPidOf(Process wrapper) throws InterruptedException {
        Deadline deadline = Deadline.fromNow(JVM_START_TIMEOUT);
        while (deadline.hasTimeLeft()) {
            Optional<ProcessHandle> child = wrapper.toHandle().children().findFirst();
            if (child.isPresent()) {
                return child.get().pid();
            }
            if (!wrapper.isAlive()) {
                break;
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("The JVM under the timeout wrapper did not start");
    }

    boolean isStarted(String name) {
        return processes.containsKey(name);
    }

    long pid(String name) {
        Long pid = jvmPids.get(name);
        if (pid == null) {
            throw new IllegalStateException("No process " + name + " was started");
        }
        return pid;
    }

    boolean isAlive(String name) {
        Process process = processes.get(name);
        return process != null && process.isAlive();
    }

    /** {@code kill -9} of the recorded JVM PID of a process. */
    void kill(String name) throws Exception {
        long pid = pid(name);
        new ProcessBuilder("kill", "-9", String.valueOf(pid)).inheritIO().start().waitFor();
        processes.get(name).waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM to the recorded JVM PID, then a bounded wait for the process to exit on its own. */
    void stopGracefully(String name, Duration timeout) throws Exception {
        long pid = pid(name);
        new ProcessBuilder("kill", "-TERM", String.valueOf(pid)).inheritIO().start().waitFor();
        if (!processes.get(name).waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(
                    name + " did not exit within " + timeout + " of SIGTERM; see " + log(name));
        }
    }

    Optional<Integer> waitForExit(String name, Duration timeout) throws InterruptedException {
        Process process = processes.get(name);
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)
                ? Optional.of(process.exitValue())
                : Optional.empty();
    }

    /** SIGTERM to every process, the last started first, then SIGKILL after a grace period. */
    void stopAll() {
        List<String> names = new ArrayList<>(processes.keySet());
        Collections.reverse(names);
        for (String name : names) {
            Process wrapper = processes.get(name);
            if (wrapper.isAlive()) {
                ProcessHandle.of(jvmPids.get(name)).ifPresent(ProcessHandle::destroy);
            }
        }
        for (String name : names) {
            Process wrapper = processes.get(name);
            try {
                if (!wrapper.waitFor(15, TimeUnit.SECONDS)) {
                    ProcessHandle.of(jvmPids.get(name)).ifPresent(ProcessHandle::destroyForcibly);
                    wrapper.destroyForcibly();
                    wrapper.waitFor(15, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** SIGKILL of every recorded process, for a last-resort cleanup. */
    void killAll() {
        for (Map.Entry<String, Long> entry : jvmPids.entrySet()) {
            ProcessHandle.of(entry.getValue()).ifPresent(ProcessHandle::destroyForcibly);
            processes.get(entry.getKey()).destroyForcibly();
        }
    }
}
