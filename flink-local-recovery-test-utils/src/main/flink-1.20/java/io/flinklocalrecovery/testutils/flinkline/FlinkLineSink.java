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
package io.flinklocalrecovery.testutils.flinkline;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

import java.io.IOException;

/**
 * A sink whose writer needs no context, for Flink 1.20 (whose abstract method is the deprecated
 * {@code createWriter(InitContext)}).
 */
public abstract class FlinkLineSink<T> implements Sink<T> {

    private static final long serialVersionUID = 1L;

    protected abstract SinkWriter<T> createWriter() throws IOException;

    @Override
    @SuppressWarnings("deprecation")
    public final SinkWriter<T> createWriter(InitContext context) throws IOException {
        return createWriter();
    }

    @Override
    public final SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
        return createWriter();
    }
}
