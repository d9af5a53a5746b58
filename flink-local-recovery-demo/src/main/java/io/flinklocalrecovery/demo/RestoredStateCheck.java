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
package io.flinklocalrecovery.demo;

import java.util.Locale;
import java.util.Optional;

/**
 * The check of a restored state, key by key: the keys the state holds (every key the job wrote),
 * the keys checked after the recovery, and how many of those came back with a wrong value or none.
 * A correct recovery has every key checked and nothing wrong or missing.
 */
public record RestoredStateCheck(
        long keysHeld, long keysChecked, long valuesWrong, long keysMissing) {

    public boolean complete() {
        return keysChecked >= keysHeld;
    }

    /** What is wrong with the recovery of setup {@code label}, if anything. */
    public Optional<String> problem(String label) {
        if (keysChecked != keysHeld || valuesWrong > 0 || keysMissing > 0) {
            return Optional.of(
                    String.format(
                            Locale.ROOT,
                            "%s: the restored state is wrong: %,d of %,d keys checked, %,d values"
                                    + " wrong, %,d keys missing",
                            label,
                            keysChecked,
                            keysHeld,
                            valuesWrong,
                            keysMissing));
        }
        return Optional.empty();
    }

    /** The report's line on it, for the setup {@code label}. */
    public String describe(String label) {
        return String.format(
                Locale.ROOT,
                "%s: the state holds %,d keys; %,d verified after recovery (every value compared"
                        + " with the one written), %,d wrong, %,d missing.",
                label,
                keysHeld,
                keysChecked,
                valuesWrong,
                keysMissing);
    }
}
