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
package io.flinklocalrecovery.e2e.kubernetes;

import io.flinklocalrecovery.e2e.kubernetes.KubernetesManifests.TaskManagers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Kubernetes examples in {@code deploy/kubernetes}: every key they set is an option of the
 * plugin or a current option of Flink, the plugin is switched on as it must be, the local-recovery
 * directory is a hostPath volume of the TaskManager pod owned by the TaskManager's user, no fixed
 * resource id is set, and a standalone cluster names its cluster id. The checks themselves are
 * tested on broken copies of the examples.
 */
class KubernetesExamplesTest {

    private static final String NATIVE = "flink-deployment-native.yaml";
    private static final String STANDALONE = "statefulset-standalone.yaml";

    private static Path examples;
    private static FlinkOptionKeys keys;

    @BeforeAll
    static void readOptionKeys() {
        examples = KubernetesManifests.examplesDirectory();
        keys = FlinkOptionKeys.fromClassPath();
    }

    @Test
    void bothExamplesDefineOneFlinkClusterEach() {
        assertThat(KubernetesManifests.manifests(examples))
                .extracting(p -> p.getFileName().toString())
                .contains(NATIVE, STANDALONE);
        assertThat(KubernetesManifests.taskManagersOf(examples.resolve(NATIVE)))
                .singleElement()
                .satisfies(tm -> assertThat(tm.operatorManaged()).isTrue());
        assertThat(KubernetesManifests.taskManagersOf(examples.resolve(STANDALONE)))
                .singleElement()
                .satisfies(tm -> assertThat(tm.operatorManaged()).isFalse());
    }

    @Test
    void everyKeyIsAnOptionOfThePluginOrACurrentOptionOfFlink() {
        assertNoProblems(tm -> ExampleChecks.keysArePluginOrCurrentFlinkOptions(tm, keys));
    }

    @Test
    void localRecoveryIsSwitchedOnWithBothFlinkKeys() {
        assertNoProblems(ExampleChecks::localRecoverySwitchedOnAsRequired);
    }

    @Test
    void stateBackendIsAFactoryOfThePlugin() {
        assertNoProblems(ExampleChecks::stateBackendIsAFactoryOfThePlugin);
    }

    @Test
    void localRecoveryDirectoryIsAHostPathVolumeOfTheTaskManager() {
        assertNoProblems(ExampleChecks::localDirectoriesAreHostPathMounts);
    }

    @Test
    void localRecoveryDirectoryIsHandedToTheTaskManagerUser() {
        assertNoProblems(ExampleChecks::directoryBelongsToTheTaskManagerUser);
    }

    @Test
    void noFixedResourceId() {
        assertNoProblems(ExampleChecks::noFixedResourceId);
    }

    @Test
    void standaloneClusterNamesItsClusterId() {
        assertNoProblems(ExampleChecks::clusterIdIsNamed);
    }

    @Test
    void imageIsOfTheFlinkVersionTheManifestsDeclare() throws IOException {
        String dockerfile = Files.readString(examples.resolve("Dockerfile"));
        Matcher from =
                Pattern.compile("(?m)^FROM flink:((\\d+)\\.(\\d+)\\.\\d+)-java17$")
                        .matcher(dockerfile);
        assertThat(from.find()).as("Dockerfile: FROM flink:<x.y.z>-java17").isTrue();
        assertThat(Files.readString(examples.resolve(NATIVE)))
                .as(NATIVE + ": spec.flinkVersion is the Flink version of the Dockerfile's image")
                .contains("flinkVersion: v" + from.group(2) + "_" + from.group(3) + "\n");
        // the image's entrypoint exits if a plugin named in ENABLE_BUILT_IN_PLUGINS is not in opt/
        for (String example : List.of(NATIVE, STANDALONE)) {
            Matcher plugin =
                    Pattern.compile("value: (flink-[a-z0-9-]+?-(\\d+\\.\\d+\\.\\d+)\\.jar)")
                            .matcher(Files.readString(examples.resolve(example)));
            while (plugin.find()) {
                assertThat(plugin.group(2))
                        .as(
                                example
                                        + ": ENABLE_BUILT_IN_PLUGINS "
                                        + plugin.group(1)
                                        + " of the image's Flink")
                        .isEqualTo(from.group(1));
            }
        }
    }

    // ---- the checks find what is wrong, on broken copies of the examples ----

    @Test
    void reportsUnknownAndOldKeys(@TempDir Path dir) throws IOException {
        TaskManagers broken =
                brokenCopy(
                        dir,
                        STANDALONE,
                        Map.of(
                                "    execution.checkpointing.dir:",
                                "    state.checkpoints.dir:",
                                "    parallelism.default: 2",
                                "    parallelism.defualt: 2"));

        assertThat(ExampleChecks.keysArePluginOrCurrentFlinkOptions(broken, keys))
                .containsExactlyInAnyOrder(
                        "statefulset-standalone.yaml (StatefulSet flink-taskmanager): "
                                + "'state.checkpoints.dir' is an old name of Flink's "
                                + "'execution.checkpointing.dir'; use that key",
                        "statefulset-standalone.yaml (StatefulSet flink-taskmanager): "
                                + "'parallelism.defualt' is neither an option of the plugin "
                                + "(LocalRecoveryOptions, or [state.backend.local-recovery.cluster-id]) "
                                + "nor one of Flink's option classes (FlinkOptionKeys.FLINK_OPTION_CLASSES)");
    }

    @Test
    void reportsTheConfigTrapAndAForeignFactory(@TempDir Path dir) throws IOException {
        TaskManagers broken =
                brokenCopy(
                        dir,
                        NATIVE,
                        Map.of(
                                "    execution.state-recovery.from-local: \"true\"\n",
                                "",
                                "io.flinklocalrecovery.rocksdb.LocalRecoveryRocksDBStateBackendFactory",
                                "io.flinklocalrecovery.rocksdb.NoSuchFactory"));
        String source = "flink-deployment-native.yaml (FlinkDeployment local-recovery-native): ";

        assertThat(ExampleChecks.localRecoverySwitchedOnAsRequired(broken))
                .containsExactly(
                        source
                                + "'execution.state-recovery.from-local' is not set, expected 'true'");
        assertThat(ExampleChecks.stateBackendIsAFactoryOfThePlugin(broken))
                .containsExactly(
                        source
                                + "'state.backend.type' 'io.flinklocalrecovery.rocksdb.NoSuchFactory' "
                                + "is no class of the plugin's jars");
    }

    @Test
    void reportsADirectoryThatIsNoHostPathMount(@TempDir Path dir) throws IOException {
        TaskManagers elsewhere =
                brokenCopy(
                        dir,
                        NATIVE,
                        Map.of(
                                "state.backend.local-recovery.dirs: /flink-local-recovery",
                                "state.backend.local-recovery.dirs: /tmp/local-recovery"));
        TaskManagers emptyDir =
                brokenCopy(
                        dir,
                        STANDALONE,
                        Map.of(
                                "          hostPath:\n"
                                        + "            path: /var/lib/flink-local-recovery\n"
                                        + "            type: DirectoryOrCreate\n",
                                "          emptyDir: {}\n"));

        assertThat(ExampleChecks.localDirectoriesAreHostPathMounts(elsewhere))
                .containsExactly(
                        "flink-deployment-native.yaml (FlinkDeployment local-recovery-native): "
                                + "'state.backend.local-recovery.dirs' '/tmp/local-recovery' is not "
                                + "the mountPath of a volume mounted into the TaskManager container "
                                + "'flink-main-container'");
        assertThat(ExampleChecks.localDirectoriesAreHostPathMounts(emptyDir))
                .containsExactly(
                        "statefulset-standalone.yaml (StatefulSet flink-taskmanager): "
                                + "'state.backend.local-recovery.dirs' '/flink-local-recovery' is "
                                + "mounted from volume 'local-recovery', which is no hostPath volume "
                                + "of the TaskManager pod");
    }

    @Test
    void reportsAFixedResourceIdAndAMissingClusterId(@TempDir Path dir) throws IOException {
        TaskManagers broken =
                brokenCopy(
                        dir,
                        STANDALONE,
                        Map.of(
                                "args: [\"taskmanager\"]",
                                "args: [\"taskmanager\", \"-Dtaskmanager.resource-id=$(POD_NAME)\"]",
                                "    state.backend.local-recovery.cluster-id: flink-local-recovery-standalone\n",
                                ""));
        String source = "statefulset-standalone.yaml (StatefulSet flink-taskmanager): ";

        assertThat(ExampleChecks.noFixedResourceId(broken))
                .containsExactly(
                        source
                                + "'taskmanager.resource-id' is set in a container's command line "
                                + "or environment: -Dtaskmanager.resource-id=$(POD_NAME)");
        assertThat(ExampleChecks.clusterIdIsNamed(broken))
                .containsExactly(
                        source
                                + "'state.backend.local-recovery.cluster-id' is not set, nor any key "
                                + "it falls back to: every such cluster would be 'default' and could "
                                + "adopt another's copies on a shared node");
    }

    @Test
    void reportsADirectoryNotHandedToTheTaskManagerUser(@TempDir Path dir) throws IOException {
        TaskManagers broken =
                brokenCopy(
                        dir,
                        NATIVE,
                        Map.of(
                                "runAsUser: 9999",
                                "runAsUser: 1000",
                                " && chmod 700 /flink-local-recovery",
                                ""));
        String source = "flink-deployment-native.yaml (FlinkDeployment local-recovery-native): ";

        assertThat(ExampleChecks.directoryBelongsToTheTaskManagerUser(broken))
                .containsExactly(
                        source
                                + "'securityContext.runAsUser' is 1000, expected 9999 (flink, the "
                                + "user of the Flink image)",
                        source
                                + "'initContainers' no init container mounts '/flink-local-recovery' "
                                + "and runs 'chown 9999' and 'chmod 700 /flink-local-recovery' on "
                                + "it: kubelet creates the hostPath directory as root, and the "
                                + "plugin refuses a directory of another user");
    }

    private static void assertNoProblems(Function<TaskManagers, List<String>> check) {
        List<String> problems = new ArrayList<>();
        int clusters = 0;
        for (Path manifest : KubernetesManifests.manifests(examples)) {
            for (TaskManagers taskManagers : KubernetesManifests.taskManagersOf(manifest)) {
                problems.addAll(check.apply(taskManagers));
                clusters++;
            }
        }
        assertThat(clusters).as("Flink clusters in " + examples).isGreaterThanOrEqualTo(2);
        assertThat(problems).as("problems of the examples in " + examples).isEmpty();
    }

    /** A copy of an example with each of the given texts replaced, read as the checks read it. */
    private static TaskManagers brokenCopy(
            Path dir, String example, Map<String, String> replacements) throws IOException {
        String text = Files.readString(examples.resolve(example), StandardCharsets.UTF_8);
        for (Map.Entry<String, String> replacement : replacements.entrySet()) {
            assertThat(text).as(example).contains(replacement.getKey());
            text = text.replace(replacement.getKey(), replacement.getValue());
        }
        Path copy = Files.createDirectories(dir.resolve(example + ".d")).resolve(example);
        Files.writeString(copy, text, StandardCharsets.UTF_8);
        List<TaskManagers> clusters = KubernetesManifests.taskManagersOf(copy);
        assertThat(clusters).hasSize(1);
        return clusters.get(0);
    }
}
