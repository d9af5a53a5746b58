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

import io.flinklocalrecovery.testutils.flinkline.FlinkLineConfFile;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The files of a cluster's {@code conf/} folder: {@code config.yaml} ({@code flink-conf.yaml} on
 * Flink 1.20; flat keys, which both formats read alike) and the log4j configuration every process
 * logs with; and the settings every test cluster starts from.
 */
final class ClusterConfFiles {

    /** {@code config.yaml}, or {@code flink-conf.yaml} on Flink 1.20 (FlinkLineConfFile). */
    static final String CONFIG_YAML = FlinkLineConfFile.NAME;

    static final String LOG4J_PROPERTIES = "log4j.properties";

    private ClusterConfFiles() {}

    /**
     * The settings every test shares: loopback, free ports, fast heartbeats and metric fetching,
     * file checkpoints in the cluster's directory.
     */
    static Map<String, String> sharedSettings(Path home) throws IOException {
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
        return config;
    }

    /** Writes {@code conf/config.yaml}: one flat {@code key: value} line per setting. */
    static void writeConfigYaml(Path conf, Map<String, String> config) throws IOException {
        StringBuilder yaml = new StringBuilder();
        config.forEach((key, value) -> yaml.append(key).append(": ").append(value).append('\n'));
        Files.writeString(conf.resolve(CONFIG_YAML), yaml.toString());
    }

    static void writeLog4jProperties(Path conf) throws IOException {
        Files.writeString(conf.resolve(LOG4J_PROPERTIES), LOG4J_CONFIG);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
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
