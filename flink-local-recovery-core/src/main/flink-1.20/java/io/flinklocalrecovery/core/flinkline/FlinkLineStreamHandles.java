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
package io.flinklocalrecovery.core.flinkline;

import org.apache.flink.annotation.Internal;
import org.apache.flink.core.fs.Path;
import org.apache.flink.runtime.state.StreamStateHandle;
import org.apache.flink.runtime.state.filesystem.FileStateHandle;

import java.util.Optional;

/**
 * The file behind a stream handle, as the Flink line (1.20) tells it: 1.20 has no {@code
 * StreamStateHandle.maybeGetPath()}, so only the handle types that are one file answer.
 */
@Internal
public final class FlinkLineStreamHandles {

    private FlinkLineStreamHandles() {}

    /** The path of the file that holds the handle's bytes, if it is one file. */
    public static Optional<Path> filePath(StreamStateHandle handle) {
        if (handle instanceof FileStateHandle) {
            return Optional.of(((FileStateHandle) handle).getFilePath());
        }
        if (handle instanceof FlinkLineLocalFileHandle) {
            return Optional.of(((FlinkLineLocalFileHandle) handle).filePath());
        }
        return Optional.empty();
    }
}
