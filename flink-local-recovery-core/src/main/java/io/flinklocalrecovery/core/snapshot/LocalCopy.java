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
package io.flinklocalrecovery.core.snapshot;

import org.apache.flink.annotation.Internal;
import org.apache.flink.runtime.state.StreamStateHandle;

/** A finished local file and the primary handle whose bytes it holds. */
@Internal
final class LocalCopy {
    final StreamStateHandle primary;
    final String fileName;
    final long size;
    final int crc32c;

    LocalCopy(StreamStateHandle primary, String fileName, long size, int crc32c) {
        this.primary = primary;
        this.fileName = fileName;
        this.size = size;
        this.crc32c = crc32c;
    }
}
