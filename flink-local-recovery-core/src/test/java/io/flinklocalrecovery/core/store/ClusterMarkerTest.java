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
package io.flinklocalrecovery.core.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ClusterMarkerTest {

    @TempDir Path root;

    @Test
    void aWrittenMarkerNamesItsClusterAndNoOther() throws Exception {
        ClusterMarker.write(root, "cluster-a");

        assertThat(ClusterMarker.read(root)).hasValue("cluster-a");
        assertThat(ClusterMarker.matches(root, "cluster-a")).isTrue();
        assertThat(ClusterMarker.of(root, "cluster-a"))
                .isEqualTo(ClusterMarker.Belonging.THIS_CLUSTER);
        assertThat(ClusterMarker.of(root, "cluster-b"))
                .isEqualTo(ClusterMarker.Belonging.OTHER_CLUSTER);
        // written atomically: no temporary file is left
        try (var entries = Files.list(root)) {
            assertThat(entries).containsExactly(root.resolve(ClusterMarker.MARKER));
        }
    }

    @Test
    void aRootWithoutMarkerIsUnmarkedAndAnUnreadableOneIsAnotherClusters() throws Exception {
        assertThat(ClusterMarker.of(root, "cluster-a")).isEqualTo(ClusterMarker.Belonging.UNMARKED);

        Files.writeString(root.resolve(ClusterMarker.MARKER), "garbage");

        assertThat(ClusterMarker.read(root)).isEmpty();
        assertThat(ClusterMarker.of(root, "cluster-a"))
                .isEqualTo(ClusterMarker.Belonging.OTHER_CLUSTER);
    }

    @Test
    void temporaryFilesOfAMarkerBeingWrittenAreRecognised() {
        assertThat(ClusterMarker.isMarker("_CLUSTER")).isTrue();
        assertThat(ClusterMarker.isMarker("_CLUSTER.1234.tmp")).isTrue();
        assertThat(ClusterMarker.isMarker("_CLUSTERS")).isFalse();
    }
}
