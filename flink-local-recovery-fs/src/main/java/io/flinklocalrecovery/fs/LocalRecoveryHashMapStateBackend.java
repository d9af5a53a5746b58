package io.flinklocalrecovery.fs;

import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;

import io.flinklocalrecovery.core.backend.LocalRecoveryStateBackend;
import io.flinklocalrecovery.core.config.LocalRecoverySettings;

/**
 * Flink's {@link HashMapStateBackend} with task-local recovery of keyed state (all state kinds and
 * heap timers) and operator state (list, union list, broadcast): checkpoint streams are duplicated
 * into task-local files, and restores read verified local files first.
 */
public class LocalRecoveryHashMapStateBackend extends LocalRecoveryStateBackend {

    private static final long serialVersionUID = 1L;

    public LocalRecoveryHashMapStateBackend(
            HashMapStateBackend delegate, LocalRecoverySettings settings) {
        super(delegate, settings);
    }

    /** A backend with the given settings around a default {@link HashMapStateBackend}. */
    public static LocalRecoveryHashMapStateBackend withSettings(LocalRecoverySettings settings) {
        return new LocalRecoveryHashMapStateBackend(new HashMapStateBackend(), settings);
    }
}
