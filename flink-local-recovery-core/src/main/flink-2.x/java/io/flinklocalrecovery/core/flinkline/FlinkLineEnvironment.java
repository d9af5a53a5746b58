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
import org.apache.flink.runtime.checkpoint.channel.ChannelStateWriter;
import org.apache.flink.runtime.execution.Environment;
import org.apache.flink.util.Preconditions;

/**
 * The part of the forwarding {@link Environment} that depends on the Flink line (2.x): the channel
 * state writer, which the environment holds only since Flink 2.0.
 */
@Internal
public abstract class FlinkLineEnvironment implements Environment {

    private final Environment lineDelegate;

    protected FlinkLineEnvironment(Environment delegate) {
        this.lineDelegate = Preconditions.checkNotNull(delegate);
    }

    @Override
    public void setChannelStateWriter(ChannelStateWriter channelStateWriter) {
        lineDelegate.setChannelStateWriter(channelStateWriter);
    }

    @Override
    public ChannelStateWriter getChannelStateWriter() {
        return lineDelegate.getChannelStateWriter();
    }
}
