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
package io.flinklocalrecovery.rocksdb;

import io.flinklocalrecovery.testutils.backend.PluginJarContents;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Paths;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The RocksDB jar users drop into Flink's lib/ folder holds only this plugin's classes: no Flink,
 * RocksDB (frocksdbjni) or other third-party classes that could clash with Flink's own. Runs after
 * {@code package}.
 */
class PackagingITCase {

    @Test
    void rocksDBBackendJarHoldsOnlyOurClasses() throws IOException {
        PluginJarContents jar = PluginJarContents.ofModuleJarIn(Paths.get("target"));
        jar.assertOnlyOurClasses();
        assertThat(jar.entries())
                .as("entries of %s", jar.jar())
                .noneMatch(entry -> entry.startsWith("org/apache/flink/"))
                .noneMatch(entry -> entry.startsWith("org/rocksdb/"))
                .contains(
                        "io/flinklocalrecovery/rocksdb/LocalRecoveryRocksDBStateBackendFactory.class");
    }
}
