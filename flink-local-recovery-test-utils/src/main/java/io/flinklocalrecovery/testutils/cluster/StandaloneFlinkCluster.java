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

import org.apache.flink.util.FileUtils;

import javax.annotation.Nullable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * it is stopped through that PID only ({@link ClusterProcesses}).
 */
public final class StandaloneFlinkCluster implements AutoCloseable {

    public static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);

    private final Path home;
    private final Path conf;
    private final Path lib;
    private final int restPort;
    private final FlinkRestApi rest;
    private final Map<String, String> config;
    private final ClusterProcesses processes;
    private final Thread shutdownHook = new Thread(this::killAll, "flink-e2e-cluster-cleanup");

    @Nullable private TaskManagerResourceParams taskManagerResourceParams;

    private StandaloneFlinkCluster(Path home, Map<String, String> config, Path lib)
            throws IOException {
        this.home = home;
        this.conf = home.resolve("conf");
        Path logs = home.resolve("log");
        this.lib = lib;
        this.processes = new ClusterProcesses(home, conf, lib, logs);
        this.config = new LinkedHashMap<>(config);
        this.restPort = Integer.parseInt(config.get("rest.port"));
        this.rest = new FlinkRestApi(restPort);
        Files.createDirectories(conf);
        Files.createDirectories(logs);
        writeConfig(config);
        ClusterConfFiles.writeLog4jProperties(conf);
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
        Map<String, String> config = ClusterConfFiles.sharedSettings(home);
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
        return processes.log(process);
    }

    public Path output(String process) {
        return processes.output(process);
    }

    /** Rewrites {@code conf/config.yaml} (flat keys), e.g. to fix a broken setup. */
    public void writeConfig(Map<String, String> config) throws IOException {
        ClusterConfFiles.writeConfigYaml(conf, config);
        taskManagerResourceParams = null;
    }

    public void startJobManager() throws Exception {
        processes.start(
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
        TaskManagerResourceParams params = taskManagerResourceParams();
        List<String> dynamic = new ArrayList<>(params.dynamicProperties);
        dynamic.addAll(List.of("-D", "taskmanager.resource-id=" + resourceId));
        dynamic.addAll(
                List.of("-D", "process.taskmanager.working-dir=" + workingDirectory(resourceId)));
        return processes.start(
                resourceId,
                params.jvmArgs,
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
        processes.kill(name);
    }

    /**
     * A graceful stop, as Kubernetes, systemd or a rolling restart do it: SIGTERM to the recorded
     * JVM PID, then a bounded wait for the process to exit on its own (its shutdown hooks run).
     */
    public void stopGracefully(String name, Duration timeout) throws Exception {
        processes.stopGracefully(name, timeout);
    }

    public long pid(String name) {
        return processes.pid(name);
    }

    public boolean isAlive(String name) {
        return processes.isAlive(name);
    }

    /** Waits for a process to exit on its own; its exit code. */
    public Optional<Integer> waitForExit(String name, Duration timeout)
            throws InterruptedException {
        return processes.waitForExit(name, timeout);
    }

    /** The working directory of a TaskManager; the plugin's default local root is inside it. */
    public Path workingDirectory(String resourceId) {
        return home.resolve("tm-work").resolve(resourceId);
    }

    /** Stops every process this cluster started: SIGTERM, then SIGKILL after a grace period. */
    @Override
    public void close() {
        processes.stopAll();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // already shutting down
        }
    }

    /** SIGKILL of every recorded process, for a last-resort cleanup. */
    public void killAll() {
        processes.killAll();
    }

    /** Flink's start scripts do this: the TaskManager's memory flags and -D settings. */
    private TaskManagerResourceParams taskManagerResourceParams() throws Exception {
        if (taskManagerResourceParams == null) {
            taskManagerResourceParams =
                    TaskManagerResourceParams.compute(conf, lib, log("bash-java-utils"));
        }
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
     * The plugin's root directory of a TaskManager: a sub-directory named after its working
     * directory ({@code tm_<resource id>}) in the first of {@code
     * state.backend.local-recovery.dirs} when the cluster sets them (a host-level directory several
     * TaskManagers share), else {@code local-recovery} inside its working directory.
     */
    public Path localRoot(String resourceId) {
        // Flink puts each TaskManager's working directory in tm_<resource id>
        String workingDirectoryName = "tm_" + resourceId;
        String dirs = config.get("state.backend.local-recovery.dirs");
        if (dirs != null && !dirs.isBlank()) {
            return Paths.get(dirs.split("[;,]")[0].trim()).resolve(workingDirectoryName);
        }
        return workingDirectory(resourceId).resolve(workingDirectoryName).resolve("local-recovery");
    }

    /**
     * Whether the TaskManager has committed its local copies of the checkpoint in every scope of
     * the job it holds (the plugin's store in its root, {@link #localRoot}): a TaskManager killed
     * before that loses them.
     */
    public boolean hasLocalCopies(String resourceId, String jobId, long checkpointId) {
        Path jobDir = localRoot(resourceId).resolve("job_" + jobId);
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
        ClusterWaits.waitUntil(this.processes, condition, timeout, what, processes);
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
        FileUtils.deleteFileOrDirectory(path.toFile());
    }
}
