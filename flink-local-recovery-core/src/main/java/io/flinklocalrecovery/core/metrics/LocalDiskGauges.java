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
package io.flinklocalrecovery.core.metrics;

import org.apache.flink.annotation.Internal;

/**
 * The TaskManager-wide figures of the local copies' disk budget that every task reports: per
 * local-recovery directory (by its index in the TaskManager log's list), and evictions by reason.
 */
@Internal
public interface LocalDiskGauges {

    /** No directory: the local copies are unavailable on this TaskManager. */
    LocalDiskGauges NONE =
            new LocalDiskGauges() {
                @Override
                public int directories() {
                    return 0;
                }

                @Override
                public long bytesHeld(int directory) {
                    return 0;
                }

                @Override
                public long freeSpace(int directory) {
                    return -1;
                }

                @Override
                public long reserve(int directory) {
                    return 0;
                }

                @Override
                public long sizeLimit() {
                    return -1;
                }

                @Override
                public long evictions(EvictionReason reason) {
                    return 0;
                }
            };

    int directories();

    /** Bytes the local copies hold in a directory, every distinct file once. */
    long bytesHeld(int directory);

    /** Free bytes on the directory's file system, -1 when unknown. */
    long freeSpace(int directory);

    /** Bytes to leave free on the directory's file system. */
    long reserve(int directory);

    /** The most bytes per directory, -1 for no limit. */
    long sizeLimit();

    /** Local copies evicted for the budget since the store opened, by reason. */
    long evictions(EvictionReason reason);
}
