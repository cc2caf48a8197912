package io.nativetls.internal.ssl;

/** Comma-separated name lists in system properties, read as SunJSSE reads them (optionally quoted). */
final class PropertyLists {
    private PropertyLists() {}

    /** The trimmed names in value, or null when it is null, empty or just quotes. */
    static String[] split(String value) {
        if (value == null) {
            return null;
        }
        String v = value.trim();
        if (v.length() > 1 && v.startsWith("\"") && v.endsWith("\"")) {
            v = v.substring(1, v.length() - 1);
        }
        if (v.isEmpty()) {
            return null;
        }
        String[] names = v.split(",");
        for (int i = 0; i < names.length; i++) {
            names[i] = names[i].trim();
        }
        return names;
    }
}
