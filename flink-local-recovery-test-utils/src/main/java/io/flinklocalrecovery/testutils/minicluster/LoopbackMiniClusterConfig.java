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
package io.flinklocalrecovery.testutils.minicluster;

import org.apache.flink.configuration.Configuration;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The base configuration of an in-process MiniCluster for the demos and benchmarks: everything on
 * the loopback interface with free ports, and every directory Flink writes (temporary files, blobs,
 * working directories) inside one directory of the run.
 */
public final class LoopbackMiniClusterConfig {

    private LoopbackMiniClusterConfig() {}

    public static Configuration in(Path dir) throws IOException {
        Configuration config = new Configuration();
        config.setString("rest.address", "127.0.0.1");
        config.setString("rest.bind-address", "127.0.0.1");
        config.setString("rest.bind-port", "0");
        config.setString("jobmanager.rpc.address", "127.0.0.1");
        config.setString("jobmanager.bind-host", "127.0.0.1");
        config.setString("taskmanager.host", "127.0.0.1");
        config.setString("taskmanager.bind-host", "127.0.0.1");
        config.setString("io.tmp.dirs", directory(dir, "tmp"));
        config.setString("web.tmpdir", directory(dir, "web"));
        config.setString("blob.storage.directory", directory(dir, "blobs"));
        config.setString("process.jobmanager.working-dir", directory(dir, "work"));
        config.setString("process.taskmanager.working-dir", directory(dir, "work"));
        return config;
    }

    /** A sub-directory of the run's directory, created. */
    public static String directory(Path dir, String name) throws IOException {
        return Files.createDirectories(dir.resolve(name)).toString();
    }
}
