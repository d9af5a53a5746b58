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
package io.flinklocalrecovery.testutils.flinkline;

/**
 * The configuration file of a cluster's {@code conf/} folder: Flink 1.20 reads {@code
 * flink-conf.yaml} (the legacy format, flat {@code key: value} lines) when it exists, and the tests
 * configure their clusters through it only, as most 1.20 clusters are.
 */
public final class FlinkLineConfFile {

    public static final String NAME = "flink-conf.yaml";

    private FlinkLineConfFile() {}
}
