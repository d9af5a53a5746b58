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
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Medians and ranges of measured values; negative values mean "not measured" and are skipped. */
final class Stats {

    final double median;
    final double min;
    final double max;
    final int count;

    private Stats(double median, double min, double max, int count) {
        this.median = median;
        this.min = min;
        this.max = max;
        this.count = count;
    }

    static Stats of(List<? extends Number> values) {
        List<Double> sorted = new ArrayList<>();
        for (Number value : values) {
            if (value != null && value.doubleValue() >= 0) {
                sorted.add(value.doubleValue());
            }
        }
        if (sorted.isEmpty()) {
            return new Stats(Double.NaN, Double.NaN, Double.NaN, 0);
        }
        Collections.sort(sorted);
        int n = sorted.size();
        double median =
                n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        return new Stats(median, sorted.get(0), sorted.get(n - 1), n);
    }

    boolean empty() {
        return count == 0;
    }

    /** "1.23 s [1.10–1.40]" for milliseconds. */
    String seconds() {
        if (empty()) {
            return "n/a";
        }
        if (count == 1) {
            return String.format(Locale.ROOT, "%s s", secs(median));
        }
        return String.format(Locale.ROOT, "%s s [%s–%s]", secs(median), secs(min), secs(max));
    }

    /** "1.2 MB [..]" for bytes. */
    String bytes() {
        if (empty()) {
            return "n/a";
        }
        if (count == 1 || min == max) {
            return ByteSize.format((long) median);
        }
        return ByteSize.format((long) median)
                + " ["
                + ByteSize.format((long) min)
                + "–"
                + ByteSize.format((long) max)
                + "]";
    }

    private static String secs(double millis) {
        double s = millis / 1000.0;
        return s < 10
                ? String.format(Locale.ROOT, "%.3f", s)
                : String.format(Locale.ROOT, "%.2f", s);
    }
}
