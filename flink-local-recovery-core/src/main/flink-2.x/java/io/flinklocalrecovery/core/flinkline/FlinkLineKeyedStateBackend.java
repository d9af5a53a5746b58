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
import org.apache.flink.runtime.state.AbstractKeyedStateBackend;

/**
 * The part of the keyed wrapper that depends on the Flink line (2.x): forwards the methods that
 * {@link AbstractKeyedStateBackend} has only since Flink 2.0.
 */
@Internal
public abstract class FlinkLineKeyedStateBackend<K> extends AbstractKeyedStateBackend<K> {

    private final AbstractKeyedStateBackend<K> lineDelegate;

    protected FlinkLineKeyedStateBackend(AbstractKeyedStateBackend<K> delegate) {
        super(delegate);
        this.lineDelegate = delegate;
    }

    @Override
    public void setCurrentKeyAndKeyGroup(K newKey, int newKeyGroupIndex) {
        lineDelegate.setCurrentKeyAndKeyGroup(newKey, newKeyGroupIndex);
    }

    @Override
    public String getBackendTypeIdentifier() {
        return lineDelegate.getBackendTypeIdentifier();
    }
}
