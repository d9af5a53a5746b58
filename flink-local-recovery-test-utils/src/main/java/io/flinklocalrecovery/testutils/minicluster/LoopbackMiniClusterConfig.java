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

import org.apache.flink.configuration.BlobServerOptions;
import org.apache.flink.configuration.ClusterOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.configuration.WebOptions;

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
        config.set(RestOptions.ADDRESS, "127.0.0.1");
        config.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        config.set(RestOptions.BIND_PORT, "0");
        config.set(JobManagerOptions.ADDRESS, "127.0.0.1");
        config.set(JobManagerOptions.BIND_HOST, "127.0.0.1");
        config.set(TaskManagerOptions.HOST, "127.0.0.1");
        config.set(TaskManagerOptions.BIND_HOST, "127.0.0.1");
        config.set(CoreOptions.TMP_DIRS, directory(dir, "tmp"));
        config.set(WebOptions.TMP_DIR, directory(dir, "web"));
        config.set(BlobServerOptions.STORAGE_DIRECTORY, directory(dir, "blobs"));
        config.set(ClusterOptions.JOB_MANAGER_PROCESS_WORKING_DIR_BASE, directory(dir, "work"));
        config.set(ClusterOptions.TASK_MANAGER_PROCESS_WORKING_DIR_BASE, directory(dir, "work"));
        return config;
    }

    /** A sub-directory of the run's directory, created. */
    public static String directory(Path dir, String name) throws IOException {
        return Files.createDirectories(dir.resolve(name)).toString();
    }
}
