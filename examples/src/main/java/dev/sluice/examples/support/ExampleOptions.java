package dev.sluice.examples.support;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The settings of an example, from command-line flags or environment variables: {@code --batch-size=500} and
 * {@code BATCH_SIZE=500} name the same setting; a flag wins over the variable, the variable over the default.
 * Immutable once made; a value that does not parse, or a flag the example does not know, throws
 * {@link IllegalArgumentException} naming the setting and the value.
 */
public final class ExampleOptions {

    private final Map<String, String> values;

    private ExampleOptions(Map<String, String> values) {
        this.values = values;
    }

    /**
     * Reads {@code args} ({@code --name=value}, or {@code --name} alone for "true") over {@code environment}.
     *
     * @param known the settings the example reads, as flag names ({@code batch-size}); others are refused
     */
    public static ExampleOptions parse(String[] args, Map<String, String> environment, Set<String> known) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String name : known) {
            String fromEnvironment = environment.get(environmentName(name));
            if (fromEnvironment != null && !fromEnvironment.isBlank()) {
                values.put(name, fromEnvironment.trim());
            }
        }
        for (String arg : args) {
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("arguments look like --name=value but got '" + arg + "'");
            }
            int eq = arg.indexOf('=');
            String name = (eq < 0 ? arg.substring(2) : arg.substring(2, eq)).toLowerCase(Locale.ROOT);
            if (!known.contains(name)) {
                throw new IllegalArgumentException("unknown option --" + name + "; known: " + new TreeSet<>(known));
            }
            values.put(name, eq < 0 ? "true" : arg.substring(eq + 1).trim());
        }
        return new ExampleOptions(values);
    }

    /** {@code batch-size} → {@code BATCH_SIZE}. */
    public static String environmentName(String flag) {
        return flag.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    public String text(String name, String defaultValue) {
        return values.getOrDefault(name, defaultValue);
    }

    public boolean isSet(String name) {
        return values.containsKey(name);
    }

    /** An integer in [min, max]; underscores and commas are allowed ({@code 1_000_000}). */
    public long whole(String name, long defaultValue, long min, long max) {
        String raw = values.get(name);
        long value;
        if (raw == null) {
            value = defaultValue;
        } else {
            try {
                value = Long.parseLong(raw.replace("_", "").replace(",", ""));
            } catch (NumberFormatException e) {
                throw bad(name, raw, "a whole number");
            }
        }
        if (value < min || value > max) {
            throw bad(name, raw == null ? Long.toString(value) : raw, "in [" + min + ", " + max + "]");
        }
        return value;
    }

    public int integer(String name, int defaultValue, int min, int max) {
        return (int) whole(name, defaultValue, min, max);
    }

    /** A decimal in [min, max]. */
    public double decimal(String name, double defaultValue, double min, double max) {
        String raw = values.get(name);
        double value;
        if (raw == null) {
            value = defaultValue;
        } else {
            try {
                value = Double.parseDouble(raw);
            } catch (NumberFormatException e) {
                throw bad(name, raw, "a number");
            }
        }
        if (!(value >= min && value <= max)) {
            throw bad(name, raw == null ? Double.toString(value) : raw, "in [" + min + ", " + max + "]");
        }
        return value;
    }

    private static IllegalArgumentException bad(String name, String raw, String expected) {
        return new IllegalArgumentException("--" + name + " (" + environmentName(name) + ") must be " + expected
                + " but was '" + raw + "'");
    }
}
