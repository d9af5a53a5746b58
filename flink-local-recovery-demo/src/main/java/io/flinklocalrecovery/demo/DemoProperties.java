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

/** The demos' settings: positive numbers in system properties ({@code -Ddemo.*}). */
public final class DemoProperties {

    private DemoProperties() {}

    public static int intProperty(String name, int defaultValue) {
        return (int) doubleProperty(name, defaultValue);
    }

    /** The property's value, or {@code defaultValue} if unset or blank. */
    public static double doubleProperty(String name, double defaultValue) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            double parsed = Double.parseDouble(value.trim());
            if (parsed <= 0) {
                throw new NumberFormatException("not positive");
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "System property " + name + " must be a positive number, not '" + value + "'");
        }
    }
}
