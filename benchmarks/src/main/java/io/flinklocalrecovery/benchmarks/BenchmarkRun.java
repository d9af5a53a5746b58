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
