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
package io.flinklocalrecovery.testutils.job;

import org.apache.flink.api.connector.sink2.SinkWriter;

import io.flinklocalrecovery.testutils.flinkline.FlinkLineSink;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the job's summaries to one file, atomically, at the end of the input. The summaries only
 * exist at the end of the input, and an attempt that fails before it ends writes nothing, so the
 * file holds exactly the output of the attempt that finished (it is meant for parallelism 1).
 *
 * <p>Used instead of the collect sink: on a real cluster a collect sink cancelled before it was
 * opened fails with a NullPointerException in its close(), which Flink treats as fatal for the
 * whole TaskManager ("FATAL - exception in exception handler").
 */
public final class SummaryFileSink extends FlinkLineSink<String> {

    private static final long serialVersionUID = 1L;

    private final String file;

    public SummaryFileSink(String file) {
        this.file = file;
    }

    @Override
    protected SinkWriter<String> createWriter() {
        return new Writer(Paths.get(file));
    }

    private static final class Writer implements SinkWriter<String> {

        private final Path file;
        private final List<String> lines = new ArrayList<>();

        Writer(Path file) {
            this.file = file;
        }

        @Override
        public void write(String element, Context context) {
            lines.add(element);
        }

        @Override
        public void flush(boolean endOfInput) throws IOException {
            if (!endOfInput) {
                return;
            }
            Path temp = file.resolveSibling(file.getFileName() + ".inprogress");
            Files.write(temp, lines);
            Files.move(
                    temp,
                    file,
                    StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        }

        @Override
        public void close() {}
    }
}
