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

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.FallbackKey;

import io.flinklocalrecovery.core.config.LocalRecoveryOptions;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The configuration keys of the plugin and of Flink, read by reflection from the {@link
 * ConfigOption} fields of their option classes, so that the examples are checked against the
 * options of the Flink on the class path (2.x or 1.20) and against every option the plugin
 * declares.
 */
final class FlinkOptionKeys {

    /**
     * Plugin keys known before {@link LocalRecoveryOptions} declares them. The cluster id that
     * keeps clusters sharing a local-recovery directory apart comes with issue 12 (the host-level
     * store), developed alongside these examples; once the options class declares it, reflection
     * finds it and this entry is redundant.
     */
    static final Set<String> PLUGIN_KEYS_KNOWN_IN_ADVANCE =
            Set.of("state.backend.local-recovery.cluster-id");

    /**
     * Flink's option classes whose keys an example may set. Each entry lists the names the class
     * has on the Flink lines this project builds for (the RocksDB options moved package in 2.0); at
     * least one of them must be on the class path.
     */
    static final List<List<String>> FLINK_OPTION_CLASSES =
            List.of(
                    List.of("org.apache.flink.configuration.CheckpointingOptions"),
                    List.of("org.apache.flink.configuration.StateBackendOptions"),
                    List.of("org.apache.flink.configuration.StateRecoveryOptions"),
                    List.of("org.apache.flink.configuration.TaskManagerOptions"),
                    List.of("org.apache.flink.configuration.JobManagerOptions"),
                    List.of("org.apache.flink.configuration.RestOptions"),
                    List.of("org.apache.flink.configuration.HighAvailabilityOptions"),
                    List.of("org.apache.flink.configuration.CoreOptions"),
                    List.of("org.apache.flink.configuration.BlobServerOptions"),
                    List.of("org.apache.flink.configuration.RestartStrategyOptions"),
                    List.of("org.apache.flink.configuration.MetricOptions"),
                    List.of("org.apache.flink.configuration.SecurityOptions"),
                    List.of("org.apache.flink.configuration.WebOptions"),
                    List.of("org.apache.flink.configuration.ClusterOptions"),
                    List.of("org.apache.flink.configuration.PipelineOptions"),
                    List.of("org.apache.flink.configuration.DeploymentOptions"),
                    List.of("org.apache.flink.configuration.ExecutionOptions"),
                    List.of("org.apache.flink.configuration.NettyShuffleEnvironmentOptions"),
                    List.of(
                            "org.apache.flink.state.rocksdb.RocksDBOptions",
                            "org.apache.flink.contrib.streaming.state.RocksDBOptions"),
                    List.of(
                            "org.apache.flink.state.rocksdb.RocksDBConfigurableOptions",
                            "org.apache.flink.contrib.streaming.state.RocksDBConfigurableOptions"));

    private final Set<String> pluginKeys;
    private final Set<String> flinkKeys;

    /** Old names (fallback keys, keys of deprecated options) to what to use instead. */
    private final Map<String, String> flinkOldKeys;

    private FlinkOptionKeys(
            Set<String> pluginKeys, Set<String> flinkKeys, Map<String, String> flinkOldKeys) {
        this.pluginKeys = pluginKeys;
        this.flinkKeys = flinkKeys;
        this.flinkOldKeys = flinkOldKeys;
    }

    static FlinkOptionKeys fromClassPath() {
        Set<String> pluginKeys = new HashSet<>(PLUGIN_KEYS_KNOWN_IN_ADVANCE);
        for (ConfigOption<?> option : optionsOf(LocalRecoveryOptions.class)) {
            pluginKeys.add(option.key());
        }
        Set<String> flinkKeys = new HashSet<>();
        Map<String, String> oldKeys = new HashMap<>();
        for (List<String> names : FLINK_OPTION_CLASSES) {
            Class<?> optionClass = loadFirst(names);
            boolean classDeprecated = optionClass.isAnnotationPresent(Deprecated.class);
            for (Field field : optionFields(optionClass)) {
                ConfigOption<?> option = read(field);
                if (classDeprecated || field.isAnnotationPresent(Deprecated.class)) {
                    oldKeys.putIfAbsent(
                            option.key(),
                            "is the key of a deprecated Flink option ("
                                    + optionClass.getSimpleName()
                                    + "."
                                    + field.getName()
                                    + "); use its replacement");
                } else {
                    flinkKeys.add(option.key());
                }
                for (FallbackKey fallback : option.fallbackKeys()) {
                    oldKeys.put(
                            fallback.getKey(),
                            "is an old name of Flink's '" + option.key() + "'; use that key");
                }
            }
        }
        // a key that a current option declares is current, even if an old option used it too
        oldKeys.keySet().removeAll(flinkKeys);
        return new FlinkOptionKeys(
                Collections.unmodifiableSet(pluginKeys),
                Collections.unmodifiableSet(flinkKeys),
                Collections.unmodifiableMap(oldKeys));
    }

    boolean isPluginKey(String key) {
        return pluginKeys.contains(key);
    }

    boolean isCurrentFlinkKey(String key) {
        return flinkKeys.contains(key);
    }

    /** What is wrong with an old name of a Flink option, and what to use instead. */
    Optional<String> oldFlinkKeyAdvice(String key) {
        return Optional.ofNullable(flinkOldKeys.get(key));
    }

    Set<String> pluginKeys() {
        return pluginKeys;
    }

    private static Class<?> loadFirst(List<String> names) {
        for (String name : names) {
            try {
                return Class.forName(name, false, FlinkOptionKeys.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                // try the name of the other Flink line
            }
        }
        throw new IllegalStateException(
                "None of " + names + " is on the class path: update FLINK_OPTION_CLASSES");
    }

    private static List<ConfigOption<?>> optionsOf(Class<?> optionClass) {
        List<ConfigOption<?>> options = new ArrayList<>();
        for (Field field : optionFields(optionClass)) {
            options.add(read(field));
        }
        return options;
    }

    private static List<Field> optionFields(Class<?> optionClass) {
        List<Field> fields = new ArrayList<>();
        for (Field field : optionClass.getFields()) {
            if (Modifier.isStatic(field.getModifiers())
                    && ConfigOption.class.isAssignableFrom(field.getType())) {
                fields.add(field);
            }
        }
        return fields;
    }

    private static ConfigOption<?> read(Field field) {
        try {
            return (ConfigOption<?>) field.get(null);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("Cannot read " + field, e);
        }
    }
}
