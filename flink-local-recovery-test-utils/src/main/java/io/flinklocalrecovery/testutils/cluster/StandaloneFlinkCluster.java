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

import javax.annotation.Nullable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
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
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * A standalone Flink session cluster of separate JVM processes, run from a {@code lib/} folder that
 * Maven assembled (no flink-dist) and configured only through {@code conf/config.yaml}: one
 * JobManager and any number of TaskManagers, all bound to 127.0.0.1.
 *
 * <p>Every process is started under {@code timeout -s KILL}, so it dies after a bounded time even
 * if the test JVM is killed; its PID (the JVM's, not the wrapper's) is recorded in {@code pids} and
 * it is stopped through that PID only.
 */
public final class StandaloneFlinkCluster implements AutoCloseable {

    public static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);

    private static final String EXEC_RESULT_PREFIX = "BASH_JAVA_UTILS_EXEC_RESULT:";

    private final Path home;
    private final Path conf;
    private final Path lib;
    private final Path logs;
    private final int restPort;
    private final FlinkRestApi rest;
    private final List<String> jvmOpens;
    private final long processTimeoutSeconds;
    private final Map<String, String> config;
    private final Map<String, Process> processes = new LinkedHashMap<>();
    private final Map<String, Long> jvmPids = new LinkedHashMap<>();
    private final Thread shutdownHook = new Thread(this::killAll, "flink-e2e-cluster-cleanup");

    @Nullable private List<String> taskManagerResourceParams;

    private StandaloneFlinkCluster(Path home, Map<String, String> config, Path lib)
            throws IOException {
        this.home = home;
        this.conf = home.resolve("conf");
        this.logs = home.resolve("log");
        this.lib = lib;
        this.jvmOpens =
                Arrays.stream(System.getProperty("e2e.jvmOpens", "").trim().split("\\s+"))
                        .filter(s -> !s.isEmpty())
                        .collect(Collectors.toList());
        this.processTimeoutSeconds = Long.getLong("e2e.processTimeoutSeconds", 600);
        this.config = new LinkedHashMap<>(config);
        this.restPort = Integer.parseInt(config.get("rest.port"));
        this.rest = new FlinkRestApi(restPort);
        Files.createDirectories(conf);
        Files.createDirectories(logs);
        writeConfig(config);
        Files.writeString(conf.resolve("log4j.properties"), LOG4J_CONFIG);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * A cluster in a fresh directory: the settings every test shares (loopback, free ports, fast
     * heartbeats and metric fetching, file checkpoints in the directory) plus the given ones.
     */
    public static StandaloneFlinkCluster create(Path home, Map<String, String> overrides)
            throws IOException {
        return create(home, overrides, Paths.get(requiredProperty("e2e.flinkLib")));
    }

    /** The same, with the given {@code lib/} folder instead of {@code e2e.flinkLib}. */
    public static StandaloneFlinkCluster create(Path home, Map<String, String> overrides, Path lib)
            throws IOException {
        deleteRecursively(home);
        Files.createDirectories(home);
        Map<String, String> config = new LinkedHashMap<>();
        config.put("jobmanager.rpc.address", "127.0.0.1");
        config.put("jobmanager.bind-host", "127.0.0.1");
        config.put("jobmanager.rpc.port", String.valueOf(freePort()));
        config.put("rest.address", "127.0.0.1");
        config.put("rest.bind-address", "127.0.0.1");
        config.put("rest.port", String.valueOf(freePort()));
        config.put("blob.server.port", "0");
        config.put("taskmanager.host", "127.0.0.1");
        config.put("taskmanager.bind-host", "127.0.0.1");
        config.put("taskmanager.rpc.port", "0");
        config.put("taskmanager.data.port", "0");
        config.put("metrics.internal.query-service.port", "0");
        config.put("taskmanager.numberOfTaskSlots", "2");
        config.put("taskmanager.memory.process.size", "1024m");
        config.put("taskmanager.memory.managed.size", "128m");
        config.put("taskmanager.memory.network.min", "64m");
        config.put("taskmanager.memory.network.max", "64m");
        config.put("jobmanager.memory.process.size", "1024m");
        config.put("io.tmp.dirs", home.resolve("tmp").toString());
        config.put("heartbeat.interval", "1 s");
        config.put("heartbeat.timeout", "6 s");
        config.put("metrics.fetcher.update-interval", "500 ms");
        config.put("execution.checkpointing.dir", home.resolve("checkpoints").toUri().toString());
        config.put("execution.checkpointing.interval", "500 ms");
        // small state: without this every handle would be inlined and have no local copy
        config.put("execution.checkpointing.data-inline-threshold", "0 b");
        config.put("restart-strategy.type", "fixed-delay");
        config.put("restart-strategy.fixed-delay.attempts", "30");
        config.put("restart-strategy.fixed-delay.delay", "1 s");
        config.putAll(overrides);
        return new StandaloneFlinkCluster(home, config, lib);
    }

    /** The settings in {@code conf/config.yaml}. */
    public Map<String, String> config() {
        return new LinkedHashMap<>(config);
    }

    public Path home() {
        return home;
    }

    public Path confDir() {
        return conf;
    }

    public int restPort() {
        return restPort;
    }

    public FlinkRestApi rest() {
        return rest;
    }

    public Path log(String process) {
        return logs.resolve(process + ".log");
    }

    public Path output(String process) {
        return logs.resolve(process + ".out");
    }

    /** Rewrites {@code conf/config.yaml} (flat keys), e.g. to fix a broken setup. */
    public void writeConfig(Map<String, String> config) throws IOException {
        StringBuilder yaml = new StringBuilder();
        config.forEach((key, value) -> yaml.append(key).append(": ").append(value).append('\n'));
        Files.writeString(conf.resolve("config.yaml"), yaml.toString());
        taskManagerResourceParams = null;
    }

    public void startJobManager() throws Exception {
        start(
                "jobmanager",
                List.of("-Xms256m", "-Xmx512m"),
                "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
                List.of());
        waitUntil(rest::isUp, STARTUP_TIMEOUT, "the JobManager's REST endpoint", "jobmanager");
    }

    /**
     * Starts a TaskManager with a fixed resource id and working directory, so a restart with the
     * same id finds its local state again.
     */
    public Process startTaskManager(String resourceId) throws Exception {
        List<String> params = taskManagerResourceParams();
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
        dynamic.addAll(List.of("-D", "taskmanager.resource-id=" + resourceId));
        dynamic.addAll(
                List.of("-D", "process.taskmanager.working-dir=" + workingDirectory(resourceId)));
        return start(
                resourceId,
                jvmArgs,
                "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
                dynamic);
    }

    public void waitForTaskManagers(String... resourceIds) throws Exception {
        waitUntil(
                () -> rest.taskManagers().keySet().containsAll(Arrays.asList(resourceIds)),
                STARTUP_TIMEOUT,
                "TaskManagers " + Arrays.toString(resourceIds) + " to register",
                resourceIds);
    }

    /** {@code kill -9} of the recorded JVM PID of a process. */
    public void kill(String name) throws Exception {
        long pid = pid(name);
        new ProcessBuilder("kill", "-9", String.valueOf(pid)).inheritIO().start().waitFor();
        processes.get(name).waitFor(30, TimeUnit.SECONDS);
    }

    /**
     * A graceful stop, as Kubernetes, systemd or a rolling restart do it: SIGTERM to the recorded
     * JVM PID, then a bounded wait for the process to exit on its own (its shutdown hooks run).
     */
    public void stopGracefully(String name, Duration timeout) throws Exception {
        long pid = pid(name);
        new ProcessBuilder("kill", "-TERM", String.valueOf(pid)).inheritIO().start().waitFor();
        if (!processes.get(name).waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(
                    name + " did not exit within " + timeout + " of SIGTERM; see " + log(name));
        }
    }

    public long pid(String name) {
        Long pid = jvmPids.get(name);
        if (pid == null) {
            throw new IllegalStateException("No process " + name + " was started");
        }
        return pid;
    }

    public boolean isAlive(String name) {
        Process process = processes.get(name);
        return process != null && process.isAlive();
    }

    /** Waits for a process to exit on its own; its exit code. */
    public Optional<Integer> waitForExit(String name, Duration timeout)
            throws InterruptedException {
        Process process = processes.get(name);
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)
                ? Optional.of(process.exitValue())
                : Optional.empty();
    }

    /** The working directory of a TaskManager; the plugin's default local root is inside it. */
    public Path workingDirectory(String resourceId) {
        return home.resolve("tm-work").resolve(resourceId);
    }

    /** Stops every process this cluster started: SIGTERM, then SIGKILL after a grace period. */
    @Override
    public void close() {
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
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // already shutting down
        }
    }

    /** SIGKILL of every recorded process, for a last-resort cleanup. */
    public void killAll() {
        for (Map.Entry<String, Long> entry : jvmPids.entrySet()) {
            ProcessHandle.of(entry.getValue()).ifPresent(ProcessHandle::destroyForcibly);
            processes.get(entry.getKey()).destroyForcibly();
        }
    }

    private Process start(String name, List<String> jvmArgs, String mainClass, List<String> args)
            throws Exception {
        if (isAlive(name)) {
            throw new IllegalStateException(name + " is still running");
        }
        Path tmp = home.resolve("tmp").resolve(name);
        Files.createDirectories(tmp);
        List<String> command = new ArrayList<>();
        command.addAll(List.of("timeout", "-s", "KILL", String.valueOf(processTimeoutSeconds)));
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.addAll(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        command.addAll(jvmOpens);
        command.add("-Djava.io.tmpdir=" + tmp);
        command.add("-Dlog.file=" + log(name));
        command.add("-Dlog4j.configurationFile=" + conf.resolve("log4j.properties").toUri());
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
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
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

    /** Flink's start scripts do this: the TaskManager's memory flags and -D settings. */
    private List<String> taskManagerResourceParams() throws Exception {
        if (taskManagerResourceParams != null) {
            return taskManagerResourceParams;
        }
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        command.add("-Dlog4j.configurationFile=" + conf.resolve("log4j.properties").toUri());
        command.add("-Dlog.file=" + log("bash-java-utils"));
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
        taskManagerResourceParams =
                Stream.of(results.get(0), results.get(1))
                        .flatMap(line -> Arrays.stream(line.split("\\s+")))
                        .filter(s -> !s.isEmpty())
                        .collect(Collectors.toList());
        return taskManagerResourceParams;
    }

    /**
     * Triggers a checkpoint of the job through the REST API and waits until it completed (a refused
     * or failed one is triggered again); its id. With periodic checkpoints far apart, no other
     * checkpoint starts between two of these calls.
     */
    public long checkpointNow(String jobId, Duration timeout) throws Exception {
        FlinkRestApi rest = rest();
        long[] completed = {-1};
        String[] request = {null};
        waitUntil(
                () -> {
                    if (request[0] == null) {
                        request[0] = rest.triggerCheckpoint(jobId).orElse(null);
                        return false;
                    }
                    try {
                        completed[0] = rest.triggeredCheckpoint(jobId, request[0]);
                    } catch (IllegalStateException e) {
                        request[0] = null; // failed (tasks not running yet): trigger again
                        return false;
                    }
                    return completed[0] >= 0;
                },
                timeout,
                "a triggered checkpoint of job " + jobId + " to complete");
        return completed[0];
    }

    /**
     * Whether the TaskManager has committed its local copies of the checkpoint in every scope of
     * the job it holds (the plugin's store in its working directory): a TaskManager killed before
     * that loses them.
     */
    public boolean hasLocalCopies(String resourceId, String jobId, long checkpointId) {
        Path jobDir =
                workingDirectory(resourceId)
                        // Flink puts each TaskManager's working directory in tm_<resource id>
                        .resolve("tm_" + resourceId)
                        .resolve("local-recovery")
                        .resolve("job_" + jobId);
        if (!Files.isDirectory(jobDir)) {
            return false;
        }
        try (Stream<Path> scopes = Files.list(jobDir)) {
            // the scope directories (op_...), not the store's markers or files on their way out
            List<Path> all =
                    scopes.filter(p -> p.getFileName().toString().startsWith("op_"))
                            .collect(Collectors.toList());
            return !all.isEmpty()
                    && all.stream()
                            .allMatch(
                                    scope ->
                                            Files.isRegularFile(
                                                    scope.resolve("chk_" + checkpointId)
                                                            .resolve("_MANIFEST")));
        } catch (IOException | UncheckedIOException e) {
            return false; // pruned while listing: look again
        }
    }

    /** Bounded polling; on timeout the failure names the condition and the processes' logs. */
    public void waitUntil(
            BooleanSupplier condition, Duration timeout, String what, String... processes)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            for (String name : processes) {
                if (this.processes.containsKey(name) && !isAlive(name)) {
                    throw new AssertionError(
                            name
                                    + " exited while waiting for "
                                    + what
                                    + "; see "
                                    + output(name)
                                    + " and "
                                    + log(name)
                                    + ":\n"
                                    + tail(output(name)));
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    public static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(" + e + ")";
        }
    }

    public static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String requiredProperty(String key) {
        String value = System.getProperty(key);
        if (value == null) {
            throw new IllegalStateException(
                    "System property "
                            + key
                            + " is not set; run the end-to-end tests through Maven (mvn verify)");
        }
        return value;
    }

    public static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Collections.reverseOrder()).collect(Collectors.toList())) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static final String LOG4J_CONFIG =
            String.join(
                    "\n",
                    "rootLogger.level = INFO",
                    "rootLogger.appenderRef.file.ref = MainAppender",
                    "appender.main.name = MainAppender",
                    "appender.main.type = File",
                    "appender.main.append = true",
                    "appender.main.fileName = ${sys:log.file}",
                    "appender.main.layout.type = PatternLayout",
                    "appender.main.layout.pattern = %d{HH:mm:ss,SSS} %-5p %-60c %x - %m%n",
                    "logger.pekko.name = org.apache.pekko",
                    "logger.pekko.level = WARN",
                    "logger.netty.name = org.apache.flink.shaded.netty4",
                    "logger.netty.level = WARN",
                    "logger.plugin.name = io.flinklocalrecovery",
                    "logger.plugin.level = INFO",
                    "");
}
