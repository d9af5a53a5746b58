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

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.MappingIterator;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads the Kubernetes examples (multi-document YAML) into what the checks need of each Flink
 * cluster they define: the Flink configuration its TaskManagers read and their pod. Two shapes are
 * understood: a {@code FlinkDeployment} of the Flink Kubernetes operator (its {@code
 * flinkConfiguration}, and its common pod template merged with the TaskManager's, as the operator
 * merges them) and a standalone cluster (a Deployment or StatefulSet whose container runs {@code
 * taskmanager}, with the {@code config.yaml} of the ConfigMap mounted at Flink's conf directory).
 */
final class KubernetesManifests {

    /** The operator's name of the Flink container in pod templates. */
    static final String OPERATOR_MAIN_CONTAINER = "flink-main-container";

    static final String FLINK_CONF_DIR = "/opt/flink/conf";

    private static final YAMLMapper YAML = new YAMLMapper();

    private KubernetesManifests() {}

    /** The TaskManagers of one Flink cluster, as a manifest defines them. */
    record TaskManagers(
            String source,
            boolean operatorManaged,
            Map<String, String> configuration,
            Map<String, Object> podSecurityContext,
            List<Map<String, Object>> volumes,
            Map<String, Object> mainContainer,
            List<Map<String, Object>> initContainers) {

        /** Every command, argument and environment value of the pod's containers. */
        List<String> commandLineAndEnvironment() {
            List<String> values = new ArrayList<>();
            List<Map<String, Object>> containers = new ArrayList<>(initContainers);
            containers.add(mainContainer);
            for (Map<String, Object> container : containers) {
                values.addAll(strings(container.get("command")));
                values.addAll(strings(container.get("args")));
                for (Map<String, Object> env : maps(container.get("env"))) {
                    values.add(env.get("name") + "=" + env.get("value"));
                }
            }
            return values;
        }
    }

    /** The directory of the examples, found from the module's (or the project's) directory. */
    static Path examplesDirectory() {
        Path dir = Paths.get("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve("deploy").resolve("kubernetes");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException(
                "No deploy/kubernetes above " + Paths.get("").toAbsolutePath());
    }

    static List<Path> manifests(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".yaml"))
                    .sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<TaskManagers> taskManagersOf(Path manifest) {
        List<Map<String, Object>> documents = documents(manifest);
        String file = manifest.getFileName().toString();
        Map<String, Map<String, Object>> configMaps = new LinkedHashMap<>();
        for (Map<String, Object> document : documents) {
            if ("ConfigMap".equals(document.get("kind"))) {
                configMaps.put(name(document), map(document.get("data")));
            }
        }
        List<TaskManagers> clusters = new ArrayList<>();
        for (Map<String, Object> document : documents) {
            Object kind = document.get("kind");
            if ("FlinkDeployment".equals(kind)) {
                clusters.add(fromFlinkDeployment(file, document));
            } else if ("Deployment".equals(kind) || "StatefulSet".equals(kind)) {
                Map<String, Object> pod =
                        map(map(map(document.get("spec")).get("template")).get("spec"));
                for (Map<String, Object> container : maps(pod.get("containers"))) {
                    List<String> args = strings(container.get("args"));
                    if (!args.isEmpty() && "taskmanager".equals(args.get(0))) {
                        String source = file + " (" + kind + " " + name(document) + ")";
                        clusters.add(fromStandalone(source, pod, container, configMaps));
                    }
                }
            }
        }
        return clusters;
    }

    private static TaskManagers fromFlinkDeployment(String file, Map<String, Object> deployment) {
        Map<String, Object> spec = map(deployment.get("spec"));
        Map<String, Object> common = map(map(spec.get("podTemplate")).get("spec"));
        Map<String, Object> taskManager =
                map(map(map(spec.get("taskManager")).get("podTemplate")).get("spec"));
        Map<String, Object> securityContext =
                new LinkedHashMap<>(map(common.get("securityContext")));
        securityContext.putAll(map(taskManager.get("securityContext")));
        Map<String, Object> mainContainer = new LinkedHashMap<>();
        mainContainer.put("name", OPERATOR_MAIN_CONTAINER);
        for (Map<String, Object> template : List.of(common, taskManager)) {
            for (Map<String, Object> container : maps(template.get("containers"))) {
                if (OPERATOR_MAIN_CONTAINER.equals(container.get("name"))) {
                    mergeInto(mainContainer, container);
                }
            }
        }
        return new TaskManagers(
                file + " (FlinkDeployment " + name(deployment) + ")",
                true,
                flatten(map(spec.get("flinkConfiguration"))),
                securityContext,
                concat(maps(common.get("volumes")), maps(taskManager.get("volumes"))),
                mainContainer,
                concat(
                        maps(common.get("initContainers")),
                        maps(taskManager.get("initContainers"))));
    }

    private static TaskManagers fromStandalone(
            String source,
            Map<String, Object> pod,
            Map<String, Object> container,
            Map<String, Map<String, Object>> configMaps) {
        List<Map<String, Object>> volumes = maps(pod.get("volumes"));
        Map<String, String> configuration = null;
        for (Map<String, Object> mount : maps(container.get("volumeMounts"))) {
            String mountPath = String.valueOf(mount.get("mountPath"));
            if (FLINK_CONF_DIR.equals(mountPath.replaceAll("/+$", ""))) {
                Map<String, Object> volume = volume(volumes, String.valueOf(mount.get("name")));
                Object configMapName = map(volume.get("configMap")).get("name");
                Object configYaml =
                        map(configMaps.get(String.valueOf(configMapName))).get("config.yaml");
                if (configYaml != null) {
                    configuration = flatten(parse(String.valueOf(configYaml), source));
                }
            }
        }
        if (configuration == null) {
            throw new IllegalArgumentException(
                    source
                            + ": the TaskManager container mounts no ConfigMap with a config.yaml at "
                            + FLINK_CONF_DIR);
        }
        return new TaskManagers(
                source,
                false,
                configuration,
                map(pod.get("securityContext")),
                volumes,
                container,
                maps(pod.get("initContainers")));
    }

    /** The volume of the given name, or an empty map. */
    static Map<String, Object> volume(List<Map<String, Object>> volumes, String name) {
        for (Map<String, Object> volume : volumes) {
            if (name.equals(volume.get("name"))) {
                return volume;
            }
        }
        return Map.of();
    }

    /** Flink's YAML configuration is read with nested keys joined by dots, as Flink reads it. */
    static Map<String, String> flatten(Map<String, Object> yaml) {
        Map<String, String> flat = new LinkedHashMap<>();
        flattenInto("", yaml, flat);
        return flat;
    }

    private static void flattenInto(
            String prefix, Map<String, Object> yaml, Map<String, String> flat) {
        for (Map.Entry<String, Object> entry : yaml.entrySet()) {
            String key = prefix + entry.getKey();
            Object value = entry.getValue();
            if (value instanceof Map) {
                flattenInto(key + ".", map(value), flat);
            } else if (value instanceof List) {
                flat.put(key, strings(value).stream().collect(Collectors.joining(";")));
            } else {
                flat.put(key, String.valueOf(value));
            }
        }
    }

    private static void mergeInto(Map<String, Object> target, Map<String, Object> container) {
        for (Map.Entry<String, Object> entry : container.entrySet()) {
            Object present = target.get(entry.getKey());
            if (present instanceof List && entry.getValue() instanceof List) {
                List<Object> merged = new ArrayList<>((List<?>) present);
                merged.addAll((List<?>) entry.getValue());
                target.put(entry.getKey(), merged);
            } else {
                target.put(entry.getKey(), entry.getValue());
            }
        }
    }

    private static List<Map<String, Object>> documents(Path manifest) {
        List<Map<String, Object>> documents = new ArrayList<>();
        try (MappingIterator<Object> values =
                YAML.readerFor(Object.class).readValues(manifest.toFile())) {
            while (values.hasNext()) {
                Object document = values.next();
                if (document instanceof Map) {
                    documents.add(map(document));
                } else if (document != null) {
                    throw new IllegalArgumentException(
                            manifest.getFileName()
                                    + ": a document that is not a mapping: "
                                    + document);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot parse " + manifest, e);
        }
        return documents;
    }

    private static Map<String, Object> parse(String yaml, String source) {
        try {
            Object value = YAML.readValue(yaml, Object.class);
            return value == null ? Map.of() : map(value);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot parse the config.yaml of " + source, e);
        }
    }

    private static String name(Map<String, Object> document) {
        return String.valueOf(map(document.get("metadata")).get("name"));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return value instanceof Map ? (Map<String, Object>) value : Map.of();
    }

    static List<Map<String, Object>> maps(Object value) {
        List<Map<String, Object>> maps = new ArrayList<>();
        if (value instanceof List) {
            for (Object element : (List<?>) value) {
                maps.add(map(element));
            }
        }
        return maps;
    }

    static List<String> strings(Object value) {
        List<String> strings = new ArrayList<>();
        if (value instanceof List) {
            for (Object element : (List<?>) value) {
                strings.add(String.valueOf(element));
            }
        }
        return strings;
    }

    private static <T> List<T> concat(List<T> first, List<T> second) {
        List<T> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }
}
