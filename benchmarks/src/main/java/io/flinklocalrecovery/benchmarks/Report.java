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
package io.flinklocalrecovery.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Writes the Markdown report ({@code docs/benchmarks.md}) and its plot: the page's sections in
 * their order, each rendered by its own class.
 */
final class Report {

    private Report() {}

    static void write(BenchmarkRun run) throws IOException {
        Path plot = run.settings.plot.toAbsolutePath();
        if (plot.getParent() != null) {
            Files.createDirectories(plot.getParent());
        }
        RecoveryPlot.write(run, plot);
        Path output = run.settings.output.toAbsolutePath();
        if (output.getParent() != null) {
            Files.createDirectories(output.getParent());
        }
        String page =
                render(
                        run,
                        output.getParent() == null ? plot : output.getParent().relativize(plot));
        // the rescale and replaced-TaskManager benchmarks' sections are their own: kept as they are
        page += RescaleSection.keptFrom(output);
        page += ReplacedTaskManagerSection.MARKERS.keptFrom(output);
        Files.write(output, page.getBytes(StandardCharsets.UTF_8));
    }

    static String render(BenchmarkRun run, String plotPath) {
        return render(run, Paths.get(plotPath));
    }

    private static String render(BenchmarkRun run, Path plot) {
        MarkdownPage page = new MarkdownPage();
        new IntroSection(run, page).render();
        new MachineSection(run.limits, page).render();
        new TargetsTable(run, page).render();
        new RecoveryTables(run, page).render(plot);
        new CheckpointTables(run, page).render();
        new ProblemsSection(run.problems, page).render();
        new DefinitionsSection(run.settings, page).render();
        return page.toString();
    }
}
