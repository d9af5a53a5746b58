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

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.HighAvailabilityOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.state.StateBackendFactory;

import io.flinklocalrecovery.core.config.LocalRecoveryOptions;
import io.flinklocalrecovery.e2e.kubernetes.KubernetesManifests.TaskManagers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static io.flinklocalrecovery.e2e.kubernetes.KubernetesManifests.map;
import static io.flinklocalrecovery.e2e.kubernetes.KubernetesManifests.maps;
import static io.flinklocalrecovery.e2e.kubernetes.KubernetesManifests.strings;
import static io.flinklocalrecovery.e2e.kubernetes.KubernetesManifests.volume;

/**
 * What a Kubernetes example must get right for local copies to outlive their TaskManager pod. Each
 * check returns its problems, one line each, naming the manifest and the key or field; none means
 * the example passes it.
 */
final class ExampleChecks {

    /**
     * The plugin's cluster id (issue 12), see {@link FlinkOptionKeys#PLUGIN_KEYS_KNOWN_IN_ADVANCE}.
     */
    static final String CLUSTER_ID = "state.backend.local-recovery.cluster-id";

    /**
     * Flink's {@code KubernetesConfigOptions.CLUSTER_ID}, which the operator sets in native mode
     * (flink-kubernetes is not on this module's class path).
     */
    static final String KUBERNETES_CLUSTER_ID = "kubernetes.cluster-id";

    /** The user (and group) of the official Flink image. */
    static final int FLINK_IMAGE_USER = 9999;

    static final String HOST_PATH_TYPE = "DirectoryOrCreate";

    private ExampleChecks() {}

    static List<String> all(TaskManagers taskManagers, FlinkOptionKeys keys) {
        List<String> problems = new ArrayList<>();
        problems.addAll(keysArePluginOrCurrentFlinkOptions(taskManagers, keys));
        problems.addAll(localRecoverySwitchedOnAsRequired(taskManagers));
        problems.addAll(stateBackendIsAFactoryOfThePlugin(taskManagers));
        problems.addAll(localDirectoriesAreHostPathMounts(taskManagers));
        problems.addAll(directoryBelongsToTheTaskManagerUser(taskManagers));
        problems.addAll(noFixedResourceId(taskManagers));
        problems.addAll(clusterIdIsNamed(taskManagers));
        return problems;
    }

    static List<String> keysArePluginOrCurrentFlinkOptions(
            TaskManagers taskManagers, FlinkOptionKeys keys) {
        List<String> problems = new ArrayList<>();
        for (String key : taskManagers.configuration().keySet()) {
            if (keys.isPluginKey(key) || keys.isCurrentFlinkKey(key)) {
                continue;
            }
            String problem =
                    keys.oldFlinkKeyAdvice(key)
                            .orElse(
                                    "is neither an option of the plugin (LocalRecoveryOptions, "
                                            + "or "
                                            + FlinkOptionKeys.PLUGIN_KEYS_KNOWN_IN_ADVANCE
                                            + ") nor one of Flink's option classes "
                                            + "(FlinkOptionKeys.FLINK_OPTION_CLASSES)");
            problems.add(problem(taskManagers, key, problem));
        }
        return problems;
    }

    static List<String> localRecoverySwitchedOnAsRequired(TaskManagers taskManagers) {
        List<String> problems = new ArrayList<>();
        expect(
                taskManagers,
                LocalRecoveryOptions.LOCAL_RECOVERY.key(),
                "ENABLE_FILE_BASED",
                problems);
        // the config trap: without these two, Flink parses the plugin's value as a boolean
        expect(taskManagers, StateRecoveryOptions.LOCAL_RECOVERY.key(), "true", problems);
        expect(taskManagers, CheckpointingOptions.LOCAL_BACKUP_ENABLED.key(), "false", problems);
        return problems;
    }

    static List<String> stateBackendIsAFactoryOfThePlugin(TaskManagers taskManagers) {
        String key = StateBackendOptions.STATE_BACKEND.key();
        String factory = taskManagers.configuration().get(key);
        if (factory == null) {
            return List.of(problem(taskManagers, key, "is not set; name a factory of the plugin"));
        }
        if (!factory.startsWith("io.flinklocalrecovery.")) {
            return List.of(
                    problem(taskManagers, key, "'" + factory + "' is not a factory of the plugin"));
        }
        try {
            Class<?> factoryClass =
                    Class.forName(factory, false, ExampleChecks.class.getClassLoader());
            if (!StateBackendFactory.class.isAssignableFrom(factoryClass)) {
                return List.of(
                        problem(taskManagers, key, "'" + factory + "' is no StateBackendFactory"));
            }
        } catch (ClassNotFoundException e) {
            return List.of(
                    problem(
                            taskManagers,
                            key,
                            "'" + factory + "' is no class of the plugin's jars"));
        }
        return List.of();
    }

    /**
     * Every local-recovery directory is where the TaskManager container mounts a hostPath volume,
     * so that it is the node's disk, shared by the TaskManagers of the node and outliving each.
     */
    static List<String> localDirectoriesAreHostPathMounts(TaskManagers taskManagers) {
        String key = LocalRecoveryOptions.LOCAL_DIRECTORIES.key();
        String dirs = taskManagers.configuration().get(key);
        if (dirs == null) {
            return List.of(
                    problem(
                            taskManagers,
                            key,
                            "is not set: the default, inside the pod's working directory, goes with "
                                    + "the pod; set it to the mountPath of a hostPath volume"));
        }
        List<String> problems = new ArrayList<>();
        String container = String.valueOf(taskManagers.mainContainer().get("name"));
        for (String dir : dirs.split("[;,]")) {
            String path = normalize(dir);
            if (path.isEmpty()) {
                continue;
            }
            Map<String, Object> mount = null;
            for (Map<String, Object> candidate :
                    maps(taskManagers.mainContainer().get("volumeMounts"))) {
                if (path.equals(normalize(String.valueOf(candidate.get("mountPath"))))) {
                    mount = candidate;
                }
            }
            if (mount == null) {
                problems.add(
                        problem(
                                taskManagers,
                                key,
                                "'"
                                        + path
                                        + "' is not the mountPath of a volume mounted into the "
                                        + "TaskManager container '"
                                        + container
                                        + "'"));
                continue;
            }
            String volumeName = String.valueOf(mount.get("name"));
            Map<String, Object> hostPath =
                    map(volume(taskManagers.volumes(), volumeName).get("hostPath"));
            if (hostPath.isEmpty()) {
                problems.add(
                        problem(
                                taskManagers,
                                key,
                                "'"
                                        + path
                                        + "' is mounted from volume '"
                                        + volumeName
                                        + "', which is no hostPath volume of the TaskManager pod"));
            } else if (!HOST_PATH_TYPE.equals(hostPath.get("type"))) {
                problems.add(
                        problem(
                                taskManagers,
                                key,
                                "the hostPath volume '"
                                        + volumeName
                                        + "' has type "
                                        + hostPath.get("type")
                                        + ", expected "
                                        + HOST_PATH_TYPE
                                        + " (the directory does not exist yet on a new node)"));
            }
        }
        return problems;
    }

    /**
     * The plugin refuses a directory of another user, or one open to others: the TaskManager runs
     * as the image's user, and an init container (kubelet creates a hostPath directory as root)
     * hands the directory to that user.
     */
    static List<String> directoryBelongsToTheTaskManagerUser(TaskManagers taskManagers) {
        List<String> problems = new ArrayList<>();
        Object runAsUser = taskManagers.podSecurityContext().get("runAsUser");
        if (!Objects.equals(String.valueOf(FLINK_IMAGE_USER), String.valueOf(runAsUser))) {
            problems.add(
                    problem(
                            taskManagers,
                            "securityContext.runAsUser",
                            "is "
                                    + runAsUser
                                    + ", expected "
                                    + FLINK_IMAGE_USER
                                    + " (flink, the user of the Flink image)"));
        }
        String dirs =
                taskManagers.configuration().get(LocalRecoveryOptions.LOCAL_DIRECTORIES.key());
        if (dirs == null) {
            return problems;
        }
        for (String dir : dirs.split("[;,]")) {
            String path = normalize(dir);
            boolean handedOver = false;
            for (Map<String, Object> init : taskManagers.initContainers()) {
                String command =
                        String.join(" ", strings(init.get("command")))
                                + " "
                                + String.join(" ", strings(init.get("args")));
                for (Map<String, Object> mount : maps(init.get("volumeMounts"))) {
                    if (path.equals(normalize(String.valueOf(mount.get("mountPath"))))
                            && command.contains("chown " + FLINK_IMAGE_USER)
                            && command.contains("chmod 700 " + path)) {
                        handedOver = true;
                    }
                }
            }
            if (!path.isEmpty() && !handedOver) {
                problems.add(
                        problem(
                                taskManagers,
                                "initContainers",
                                "no init container mounts '"
                                        + path
                                        + "' and runs 'chown "
                                        + FLINK_IMAGE_USER
                                        + "' and 'chmod 700 "
                                        + path
                                        + "' on it: kubelet creates the hostPath directory as "
                                        + "root, and the plugin refuses a directory of another user"));
            }
        }
        return problems;
    }

    /**
     * With the host-level store, a new TaskManager takes over the copies of the one before it, so
     * no fixed resource id is needed; in native mode one configuration starts many TaskManagers,
     * and a fixed id would clash.
     */
    static List<String> noFixedResourceId(TaskManagers taskManagers) {
        String key = TaskManagerOptions.TASK_MANAGER_RESOURCE_ID.key();
        List<String> problems = new ArrayList<>();
        if (taskManagers.configuration().containsKey(key)) {
            problems.add(
                    problem(taskManagers, key, "is set; the examples need no fixed resource id"));
        }
        for (String value : taskManagers.commandLineAndEnvironment()) {
            if (value.contains(key)) {
                problems.add(
                        problem(
                                taskManagers,
                                key,
                                "is set in a container's command line or environment: " + value));
            }
        }
        return problems;
    }

    /**
     * Clusters sharing a node's directory are told apart by their cluster id: an operator-managed
     * cluster has one ({@code kubernetes.cluster-id}, the deployment's name), a standalone one must
     * name it.
     */
    static List<String> clusterIdIsNamed(TaskManagers taskManagers) {
        if (taskManagers.operatorManaged()) {
            return List.of();
        }
        Map<String, String> configuration = taskManagers.configuration();
        for (String key :
                List.of(
                        CLUSTER_ID,
                        KUBERNETES_CLUSTER_ID,
                        HighAvailabilityOptions.HA_CLUSTER_ID.key())) {
            if (configuration.containsKey(key)) {
                return List.of();
            }
        }
        return List.of(
                problem(
                        taskManagers,
                        CLUSTER_ID,
                        "is not set, nor any key it falls back to: every such cluster would be "
                                + "'default' and could adopt another's copies on a shared node"));
    }

    private static void expect(
            TaskManagers taskManagers, String key, String expected, List<String> problems) {
        String value = taskManagers.configuration().get(key);
        if (!expected.equalsIgnoreCase(String.valueOf(value))) {
            problems.add(
                    problem(
                            taskManagers,
                            key,
                            (value == null ? "is not set" : "is '" + value + "'")
                                    + ", expected '"
                                    + expected
                                    + "'"));
        }
    }

    private static String normalize(String path) {
        String trimmed = path.trim();
        return trimmed.length() > 1 ? trimmed.replaceAll("/+$", "") : trimmed;
    }

    private static String problem(TaskManagers taskManagers, String key, String problem) {
        return taskManagers.source() + ": '" + key + "' " + problem;
    }
}
