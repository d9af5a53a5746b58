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

import io.flinklocalrecovery.testutils.cluster.StandaloneFlinkCluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The standalone cluster of one setup: one JobManager and two TaskManagers (two slots each),
 * separate JVM processes on 127.0.0.1, started from a {@code lib/} folder of the jars Maven
 * assembled plus the emulated remote file system. A TaskManager keeps its resource id and working
 * directory across a restart, so its local copies survive a {@code kill -9}.
 */
@Internal
final class DemoCluster implements AutoCloseable {

    static final List<String> TASK_MANAGERS =
            IntStream.rangeClosed(1, DemoSettings.TASK_MANAGERS)
                    .mapToObj(i -> "tm-" + i)
                    .collect(Collectors.toList());

    private final StandaloneFlinkCluster cluster;

    private DemoCluster(StandaloneFlinkCluster cluster) {
        this.cluster = cluster;
    }

    /**
     * Flink's {@code lib/} folder in {@code demoDir}: links to the jars Maven assembled plus the
     * emulated remote file system {@code throttled://}.
     */
    static Path assembleLib(DemoSettings settings, Path demoDir) throws IOException {
        Path lib = Files.createDirectories(demoDir.resolve("lib"));
        try (Stream<Path> jars = Files.list(settings.flinkLib)) {
            for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).toList()) {
                Files.createSymbolicLink(lib.resolve(jar.getFileName()), jar);
            }
        }
        Files.createSymbolicLink(lib.resolve(settings.fsJar.getFileName()), settings.fsJar);
        return lib;
    }

    /** Starts the cluster of {@code setup} in {@code home} and waits until every TM registered. */
    static DemoCluster start(DemoSetup setup, DemoSettings settings, Path home, Path lib)
            throws Exception {
        Path remote = Files.createDirectories(home.resolve("remote-checkpoints"));
        StandaloneFlinkCluster cluster =
                StandaloneFlinkCluster.create(
                        home.resolve("cluster"), setup.clusterConfig(settings, remote), lib);
        DemoCluster demoCluster = new DemoCluster(cluster);
        try {
            DemoLog.progress(
                    "starting the JobManager (127.0.0.1, REST port %d)...", cluster.restPort());
            cluster.startJobManager();
            DemoLog.progress(
                    "JobManager up (pid %d); starting %d TaskManagers...",
                    cluster.pid("jobmanager"), TASK_MANAGERS.size());
            for (String tm : TASK_MANAGERS) {
                cluster.startTaskManager(tm);
            }
            cluster.waitForTaskManagers(TASK_MANAGERS.toArray(String[]::new));
            DemoLog.progress(
                    "TaskManagers registered: %s, %d slots each",
                    TASK_MANAGERS.stream()
                            .map(tm -> tm + " (pid " + cluster.pid(tm) + ")")
                            .collect(Collectors.joining(", ")),
                    DemoSettings.SLOTS_PER_TASK_MANAGER);
            return demoCluster;
        } catch (Throwable t) {
            demoCluster.printLogTails();
            demoCluster.close();
            throw t;
        }
    }

    StandaloneFlinkCluster flink() {
        return cluster;
    }

    /**
     * {@code kill -9} of a TaskManager, then, once the JobManager noticed the loss (a registration
     * of the new process before that would be closed by the stale heartbeat), a restart with the
     * same resource id and working directory.
     */
    void killAndRestart(String taskManager, DemoWaits waits, long killedAtMillis) throws Exception {
        cluster.kill(taskManager);
        waits.until(
                "the JobManager to notice the loss of " + taskManager,
                () -> !cluster.rest().taskManagers().containsKey(taskManager));
        DemoLog.progress(
                "%s: the JobManager noticed the loss of %s; restarting it",
                sinceMillis(killedAtMillis), taskManager);
        cluster.startTaskManager(taskManager);
        cluster.waitForTaskManagers(taskManager);
        DemoLog.progress(
                "%s: %s registered again (pid %d, same taskmanager.resource-id and working"
                        + " directory)",
                sinceMillis(killedAtMillis), taskManager, cluster.pid(taskManager));
    }

    /** The last lines of every process's log, to see why a run failed. */
    void printLogTails() {
        List<String> processes = new ArrayList<>(List.of("jobmanager"));
        processes.addAll(TASK_MANAGERS);
        for (String process : processes) {
            Path log = cluster.log(process);
            if (Files.exists(log)) {
                System.out.println("--- last lines of " + log + " ---");
                System.out.println(StandaloneFlinkCluster.tail(log));
            }
        }
    }

    /** A last-resort stop from another thread: SIGKILL of every recorded process. */
    void killAll() {
        cluster.killAll();
    }

    /** Stops every process it started, by its recorded PID. */
    @Override
    public void close() {
        cluster.close();
    }

    static String sinceMillis(long startMillis) {
        return String.format(
                Locale.ROOT, "+%.1f s", (System.currentTimeMillis() - startMillis) / 1e3);
    }
}
