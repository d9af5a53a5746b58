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

/**
 * A stream handle of one local file (Flink 1.20, whose handles have no {@code maybeGetPath()}; see
 * {@link FlinkLineStreamHandles}).
 */
@Internal
public abstract class FlinkLineLocalFileHandle implements StreamStateHandle {

    private static final long serialVersionUID = 1L;

    /** The local file that holds the handle's bytes. */
    public abstract Path filePath();
}
