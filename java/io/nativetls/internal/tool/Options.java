package io.nativetls.internal.tool;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A command's arguments: {@code --name value} options from a known set, and positional arguments.
 * Anything else (an unknown option, a missing value, a bad number) is a {@link UsageException}.
 */
final class Options {
    private final Map<String, String> values = new HashMap<>();
    private final List<String> positional = new ArrayList<>();

    private Options() {}

    /** Parses args[from..] accepting only the given option names (without "--"), each with a value. */
    static Options parse(String[] args, int from, Set<String> known) throws UsageException {
        return parse(args, from, known, Set.of());
    }

    /** Like {@link #parse(String[], int, Set)}, also accepting flags: options without a value. */
    static Options parse(String[] args, int from, Set<String> known, Set<String> flags) throws UsageException {
        Options o = new Options();
        for (int i = from; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                o.positional.add(a);
                continue;
            }
            String name = a.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            boolean flag = flags.contains(name);
            if (!known.contains(name) && !flag) {
                throw new UsageException("unknown option --" + name);
            }
            if (flag) {
                if (value != null) {
                    throw new UsageException("--" + name + " takes no value");
                }
                value = "";
            } else if (value == null) {
                if (i + 1 >= args.length) {
                    throw new UsageException("--" + name + " needs a value");
                }
                value = args[++i];
            }
            if (o.values.put(name, value) != null) {
                throw new UsageException("--" + name + " given twice");
            }
        }
        return o;
    }

    String get(String name) {
        return values.get(name);
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    List<String> positional() {
        return positional;
    }

    /** A comma-separated option as a list, or null when absent. */
    List<String> list(String name) throws UsageException {
        String v = values.get(name);
        if (v == null) {
            return null;
        }
        List<String> items = new ArrayList<>();
        for (String s : v.split(",")) {
            if (!s.isBlank()) {
                items.add(s.trim());
            }
        }
        if (items.isEmpty()) {
            throw new UsageException("--" + name + " needs at least one value");
        }
        return items;
    }

    int integer(String name, int fallback, int min, int max) throws UsageException {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n < min || n > max) {
                throw new UsageException("--" + name + " must be between " + min + " and " + max + ", not " + v);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " needs a whole number, not " + v);
        }
    }

    double decimal(String name, double fallback, double min, double max) throws UsageException {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            double d = Double.parseDouble(v.trim());
            if (!(d >= min && d <= max)) {
                throw new UsageException("--" + name + " must be between " + min + " and " + max + ", not " + v);
            }
            return d;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " needs a number, not " + v);
        }
    }
}
