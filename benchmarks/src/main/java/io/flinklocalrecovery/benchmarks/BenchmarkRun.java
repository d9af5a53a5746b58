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

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Everything one benchmark run measured. */
public final class BenchmarkRun {

    public final BenchmarkSettings settings;
    final MachineLimits limits;
    public final List<SetupResult> throttled = new ArrayList<>();
    public final List<SetupResult> unthrottled = new ArrayList<>();
    public final List<String> problems = new ArrayList<>();
    long startMillis;
    long endMillis;

    BenchmarkRun(BenchmarkSettings settings, MachineLimits limits) {
        this.settings = settings;
        this.limits = limits;
    }

    public List<SetupResult> all() {
        List<SetupResult> all = new ArrayList<>(throttled);
        all.addAll(unthrottled);
        return all;
    }

    Optional<SetupResult> throttled(Setup setup, int sizeMb) {
        return find(throttled, setup, sizeMb);
    }

    Optional<SetupResult> unthrottled(Setup setup) {
        return unthrottled.stream().filter(r -> r.setup.equals(setup)).findFirst();
    }

    private static Optional<SetupResult> find(List<SetupResult> results, Setup setup, int size) {
        return results.stream().filter(r -> r.setup.equals(setup) && r.stateMb == size).findFirst();
    }
}
