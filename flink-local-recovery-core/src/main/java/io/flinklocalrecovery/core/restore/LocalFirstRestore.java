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
import org.apache.flink.core.fs.CloseableRegistry;
import org.apache.flink.runtime.state.StateObject;

import io.flinklocalrecovery.core.metrics.FallbackReason;
import io.flinklocalrecovery.core.metrics.LocalRecoveryMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;

/**
 * Where restore is decided: first from the verified local copies (all of them, or the ones there
 * are, mixed with the primary handles for the rest), and, if that throws, once more from the
 * primary handles alone. Only when the primary restore fails too does the restore fail. A restore
 * interrupted by task cancellation is not retried.
 */
@Internal
public final class LocalFirstRestore {

    private static final Logger LOG = LoggerFactory.getLogger(LocalFirstRestore.class);

    /** Builds (and restores) a backend from a collection of handles. */
    @FunctionalInterface
    public interface BackendBuilder<B, H> {
        B build(Collection<H> handles) throws Exception;
    }

    /** Builds the local alternative of a collection of primary handles. */
    @FunctionalInterface
    public interface LocalAlternative<H extends StateObject> {
        LocalHandleSubstitution<H> of(Collection<H> primaries) throws Exception;
    }

    private LocalFirstRestore() {}

    public static <B, H extends StateObject> B restore(
            String description,
            Collection<H> primaries,
            LocalCopyFinder finder,
            LocalRecoveryMetrics metrics,
            CloseableRegistry cancelRegistry,
            BackendBuilder<B, H> builder)
            throws Exception {
        return restore(
                description,
                primaries,
                handles -> LocalHandleSubstitution.of(handles, finder),
                metrics,
                cancelRegistry,
                builder);
    }

    /** Restores with a backend-specific local alternative. */
    public static <B, H extends StateObject> B restore(
            String description,
            Collection<H> primaries,
            LocalAlternative<H> alternative,
            LocalRecoveryMetrics metrics,
            CloseableRegistry cancelRegistry,
            BackendBuilder<B, H> builder)
            throws Exception {
        if (primaries.isEmpty()) {
            return builder.build(primaries);
        }
        LocalHandleSubstitution<H> local;
        long preparationStart = System.nanoTime();
        try {
            local = alternative.of(primaries);
        } catch (Exception e) {
            if (cancelRegistry.isClosed() || Thread.currentThread().isInterrupted()) {
                throw e;
            }
            metrics.fallback(FallbackReason.RESTORE_FAILED);
            LOG.warn(
                    "Preparing the local restore of {} failed ({}); restoring it from the "
                            + "checkpoint storage instead.",
                    description,
                    e.toString());
            LOG.debug("Local restore preparation failure of {}", description, e);
            B fromPrimary = builder.build(primaries);
            metrics.restoredRemotely(remoteSize(primaries));
            return fromPrimary;
        }
        long preparationMillis = (System.nanoTime() - preparationStart) / 1_000_000;
        try {
            return restore(
                    description,
                    primaries,
                    local,
                    preparationMillis,
                    metrics,
                    cancelRegistry,
                    builder);
        } finally {
            local.cleanup();
        }
    }

    private static long remoteSize(Collection<? extends StateObject> handles) {
        long size = 0;
        for (StateObject handle : handles) {
            // Flink's restore operations skip null handles
            size += handle == null ? 0 : Math.max(0, handle.getStateSize());
        }
        return size;
    }

    private static <B, H extends StateObject> B restore(
            String description,
            Collection<H> primaries,
            LocalHandleSubstitution<H> local,
            long preparationMillis,
            LocalRecoveryMetrics metrics,
            CloseableRegistry cancelRegistry,
            BackendBuilder<B, H> builder)
            throws Exception {
        for (FallbackReason reason : local.fallbacks().reasons()) {
            for (int i = 0; i < local.fallbacks().count(reason); i++) {
                metrics.fallback(reason);
            }
        }
        if (!local.anySubstituted()) {
            B backend = builder.build(primaries);
            if (local.remoteBytes() > 0) {
                metrics.restoredRemotely(local.remoteBytes());
                LOG.info(
                        "Restored {} from the checkpoint storage ({} bytes): no usable local copy {}.",
                        description,
                        local.remoteBytes(),
                        local.fallbacks().reasons());
            }
            return backend;
        }

        final B backend;
        long buildStart = System.nanoTime();
        try {
            backend = builder.build(local.handles());
        } catch (Exception e) {
            if (cancelRegistry.isClosed() || Thread.currentThread().isInterrupted()) {
                throw e;
            }
            metrics.fallback(FallbackReason.RESTORE_FAILED);
            LOG.warn(
                    "Restoring {} from local copies failed ({}); restoring it from the checkpoint "
                            + "storage instead.",
                    description,
                    e.toString());
            LOG.debug("Local restore failure of {}", description, e);
            B fromPrimary = builder.build(primaries);
            metrics.restoredRemotely(local.localBytes() + local.remoteBytes());
            return fromPrimary;
        }
        long buildMillis = (System.nanoTime() - buildStart) / 1_000_000;
        CopyOrigins origins = local.origins();
        if (origins.any()) {
            metrics.restoredFromOtherTaskManagers(origins.adopted(), origins.borrowed());
            LOG.info(
                    "The local restore of {} used copies of other TaskManagers of this host: {} "
                            + "handles from adopted copies, {} from borrowed ones ({}).",
                    description,
                    origins.adopted(),
                    origins.borrowed(),
                    origins.sources());
        }
        if (local.remoteBytes() == 0) {
            metrics.restoredLocally(local.localBytes());
            LOG.info(
                    "Restored {} from local copies ({} bytes; {} ms to find and verify them, {} ms "
                            + "to restore).",
                    description,
                    local.localBytes(),
                    preparationMillis,
                    buildMillis);
        } else {
            metrics.restoredMixed(local.localBytes(), local.remoteBytes());
            LOG.info(
                    "Restored {} partly from local copies ({} bytes) and partly from the checkpoint "
                            + "storage ({} bytes, {}; {} ms to find and verify the local copies, "
                            + "{} ms to restore).",
                    description,
                    local.localBytes(),
                    local.remoteBytes(),
                    local.fallbacks().reasons(),
                    preparationMillis,
                    buildMillis);
        }
        return backend;
    }
}
