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
import java.util.concurrent.atomic.AtomicBoolean;

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
    private final CopyOrigins origins;
    private final AtomicBoolean cleanedUp = new AtomicBoolean();

    private LocalHandleSubstitution(
            List<H> handles,
            long localBytes,
            long remoteBytes,
            int substituted,
            FallbackCounts fallbacks,
            Runnable cleanup,
            CopyOrigins origins) {
        this.origins = origins;
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
        return of(
                handles,
                localBytes,
                remoteBytes,
                substituted,
                fallbacks,
                cleanup,
                new CopyOrigins());
    }

    /**
     * A substitution built elsewhere, some of whose local copies are adopted or borrowed ones
     * ({@code origins}).
     */
    public static <H extends StateObject> LocalHandleSubstitution<H> of(
            List<H> handles,
            long localBytes,
            long remoteBytes,
            int substituted,
            FallbackCounts fallbacks,
            Runnable cleanup,
            CopyOrigins origins) {
        FallbackCounts copy = new FallbackCounts();
        copy.addAll(fallbacks);
        CopyOrigins originsCopy = new CopyOrigins();
        originsCopy.addAll(origins);
        return new LocalHandleSubstitution<>(
                new ArrayList<>(handles),
                localBytes,
                remoteBytes,
                substituted,
                copy,
                cleanup,
                originsCopy);
    }

    @SuppressWarnings("unchecked")
    public static <H extends StateObject> LocalHandleSubstitution<H> of(
            Collection<H> primaries, LocalCopyFinder finder) {
        List<H> result = new ArrayList<>(primaries.size());
        long localBytes = 0;
        long remoteBytes = 0;
        int substituted = 0;
        FallbackCounts fallbacks = new FallbackCounts();
        CopyOrigins origins = new CopyOrigins();
        List<LocalCopyFinder.Result> toRelease = new ArrayList<>();
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
                origins.add(found.origin());
                toRelease.add(found);
            } else {
                result.add(handle);
                remoteBytes += Math.max(0, handle.getStateSize());
                fallbacks.add(found.reason());
            }
        }
        return new LocalHandleSubstitution<>(
                result,
                localBytes,
                remoteBytes,
                substituted,
                fallbacks,
                () -> toRelease.forEach(LocalCopyFinder.Result::release),
                origins);
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

    /** How many of the local handles read adopted or borrowed copies, and whose. */
    public CopyOrigins origins() {
        return origins;
    }

    /** How many handles were replaced by local ones. */
    public int substituted() {
        return substituted;
    }

    /** Releases what the substitution made for the restore; safe to call more than once. */
    public void cleanup() {
        if (cleanedUp.compareAndSet(false, true)) {
            cleanup.run();
        }
    }
}
