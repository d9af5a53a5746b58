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
package io.flinklocalrecovery.core.restore;

import org.apache.flink.annotation.Internal;
import org.apache.flink.runtime.state.KeyGroupsStateHandle;
import org.apache.flink.runtime.state.OperatorStreamStateHandle;
import org.apache.flink.runtime.state.StateObject;
import org.apache.flink.runtime.state.StreamStateHandle;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Builds the local alternative of a collection of primary handles: each handle whose bytes have a
 * verified local copy is replaced by the same handle (same offsets, same key groups) reading the
 * local file; every other handle stays as it is. Only handle types whose content is exactly one
 * duplicated stream are replaced.
 */
@Internal
public final class LocalHandleSubstitution<H extends StateObject> {

    private final List<H> handles;
    private final long localBytes;
    private final long remoteBytes;
    private final int substituted;
    private final FallbackCounts fallbacks;
    private final Runnable cleanup;

    private LocalHandleSubstitution(
            List<H> handles,
            long localBytes,
            long remoteBytes,
            int substituted,
            FallbackCounts fallbacks,
            Runnable cleanup) {
        this.handles = handles;
        this.localBytes = localBytes;
        this.remoteBytes = remoteBytes;
        this.substituted = substituted;
        this.fallbacks = fallbacks;
        this.cleanup = cleanup;
    }

    /**
     * A substitution built elsewhere (by a backend-specific local alternative).
     *
     * @param cleanup runs once the restore from {@code handles} has ended, successfully or not
     *     (e.g. deletes a directory assembled for it)
     */
    public static <H extends StateObject> LocalHandleSubstitution<H> of(
            List<H> handles,
            long localBytes,
            long remoteBytes,
            int substituted,
            FallbackCounts fallbacks,
            Runnable cleanup) {
        FallbackCounts copy = new FallbackCounts();
        copy.addAll(fallbacks);
        return new LocalHandleSubstitution<>(
                new ArrayList<>(handles), localBytes, remoteBytes, substituted, copy, cleanup);
    }

    @SuppressWarnings("unchecked")
    public static <H extends StateObject> LocalHandleSubstitution<H> of(
            Collection<H> primaries, LocalCopyFinder finder) {
        List<H> result = new ArrayList<>(primaries.size());
        long localBytes = 0;
        long remoteBytes = 0;
        int substituted = 0;
        FallbackCounts fallbacks = new FallbackCounts();
        for (H handle : primaries) {
            if (handle == null) {
                // Flink's restore operations skip null handles; so does this
                result.add(null);
                continue;
            }
            StreamStateHandle stream = duplicatedStream(handle);
            if (stream == null) {
                result.add(handle);
                remoteBytes += Math.max(0, handle.getStateSize());
                continue;
            }
            if (stream.asBytesIfInMemory().isPresent()) {
                // in the checkpoint metadata already: no remote read to save
                result.add(handle);
                continue;
            }
            LocalCopyFinder.Result found = finder.find(stream);
            if (found.local().isPresent()) {
                result.add((H) withStream(handle, found.local().get()));
                localBytes += stream.getStateSize();
                substituted++;
            } else {
                result.add(handle);
                remoteBytes += Math.max(0, handle.getStateSize());
                fallbacks.add(found.reason());
            }
        }
        return new LocalHandleSubstitution<>(
                result, localBytes, remoteBytes, substituted, fallbacks, () -> {});
    }

    /** The stream whose bytes we duplicated at snapshot time, or null for other handle types. */
    private static StreamStateHandle duplicatedStream(StateObject handle) {
        if (handle.getClass() == KeyGroupsStateHandle.class) {
            return ((KeyGroupsStateHandle) handle).getDelegateStateHandle();
        }
        if (handle.getClass() == OperatorStreamStateHandle.class) {
            return ((OperatorStreamStateHandle) handle).getDelegateStateHandle();
        }
        return null;
    }

    private static StateObject withStream(StateObject handle, StreamStateHandle local) {
        if (handle instanceof KeyGroupsStateHandle) {
            return new KeyGroupsStateHandle(
                    ((KeyGroupsStateHandle) handle).getGroupRangeOffsets(), local);
        }
        return new OperatorStreamStateHandle(
                ((OperatorStreamStateHandle) handle).getStateNameToPartitionOffsets(), local);
    }

    public List<H> handles() {
        return handles;
    }

    public boolean anySubstituted() {
        return substituted > 0;
    }

    public long localBytes() {
        return localBytes;
    }

    public long remoteBytes() {
        return remoteBytes;
    }

    public FallbackCounts fallbacks() {
        return fallbacks;
    }

    /** How many handles were replaced by local ones. */
    public int substituted() {
        return substituted;
    }

    /** Releases what the substitution made for the restore; safe to call more than once. */
    public void cleanup() {
        cleanup.run();
    }
}
