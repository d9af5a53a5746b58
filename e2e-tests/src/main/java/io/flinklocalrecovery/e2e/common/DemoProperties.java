package io.flinklocalrecovery.e2e.common;

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
