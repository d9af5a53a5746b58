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

import java.util.List;

/** The findings: every problem of the run, or that there was none. */
final class ProblemsSection {

    private final List<String> problems;
    private final MarkdownPage out;

    ProblemsSection(List<String> problems, MarkdownPage out) {
        this.problems = problems;
        this.out = out;
    }

    void render() {
        out.line("## Problems");
        out.line();
        if (problems.isEmpty()) {
            out.line(
                    "None: every setup completed, every recovery restored correct state (the value"
                            + " of every key checked after each restore), Flink's built-in restored keyed state"
                            + " from local disk (Flink's restore metrics), and the plugin restored"
                            + " every keyed subtask from its local copies (the plugin's metrics).");
        } else {
            for (String problem : problems) {
                out.line("- " + problem);
            }
        }
        out.line();
    }
}
