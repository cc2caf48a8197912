package io.nativetls.internal.ssl;

import java.security.Security;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The protocols and cipher suites the {@code jdk.tls.disabledAlgorithms} security property turns
 * off, as SunJSSE reads it: an entry naming a protocol disables it, and an entry naming a suite,
 * or one of the parts a suite name is made of (e.g. "3DES_EDE_CBC", "anon", "NULL", "RC4"),
 * disables those suites. Entries with constraints ("RSA keySize < 2048", "include ...") concern
 * certificates and keys, which the trust manager checks, not the suites offered.
 */
public final class DisabledAlgorithms {
    static final String PROPERTY = "jdk.tls.disabledAlgorithms";

    private static volatile DisabledAlgorithms cached = new DisabledAlgorithms(null);

    private final String source;
    private final List<String> entries;
    /** The supported suites these entries disable, worked out once per property value. */
    private volatile java.util.Set<String> disabledSuites;

    private DisabledAlgorithms(String source) {
        this.source = source;
        List<String> list = new ArrayList<>();
        if (source != null) {
            for (String entry : source.split(",")) {
                String e = entry.trim();
                if (!e.isEmpty() && e.indexOf(' ') < 0) {
                    list.add(e.toUpperCase(Locale.ROOT));
                }
            }
        }
        this.entries = list;
    }

    /** The current property's reading; parsed again only when the property changes. */
    public static DisabledAlgorithms current() {
        String value = Security.getProperty(PROPERTY);
        DisabledAlgorithms c = cached;
        if (value == null ? c.source != null : !value.equals(c.source)) {
            c = new DisabledAlgorithms(value);
            cached = c;
        }
        return c;
    }

    public boolean disablesProtocol(String protocol) {
        return entries.contains(protocol.toUpperCase(Locale.ROOT));
    }

    public boolean disablesSuite(String suite) {
        String wrapped = "_" + suite.toUpperCase(Locale.ROOT) + "_";
        for (String e : entries) {
            if (wrapped.contains("_" + e + "_") || (e.equals("SHA1") && wrapped.endsWith("_SHA_"))) {
                return true;
            }
        }
        return false;
    }

    /** names without the disabled ones, in their order (names itself when none is disabled). */
    public String[] allowedSuites(String[] names) {
        java.util.Set<String> disabled = disabledSuites();
        if (disabled.isEmpty()) {
            return names;
        }
        List<String> out = new ArrayList<>(names.length);
        for (String n : names) {
            if (!disabled.contains(n)) {
                out.add(n);
            }
        }
        return out.size() == names.length ? names : out.toArray(new String[0]);
    }

    /** Checked once for every suite OpenSSL has, not on each handshake. */
    private java.util.Set<String> disabledSuites() {
        java.util.Set<String> d = disabledSuites;
        if (d == null) {
            java.util.Set<String> found = new java.util.HashSet<>();
            for (String suite : CipherSuites.get().supported()) {
                if (disablesSuite(suite)) {
                    found.add(suite);
                }
            }
            d = java.util.Set.copyOf(found);
            disabledSuites = d;
        }
        return d;
    }

    public String[] allowedProtocols(String[] names) {
        List<String> out = new ArrayList<>(names.length);
        for (String n : names) {
            if (!disablesProtocol(n)) {
                out.add(n);
            }
        }
        return out.size() == names.length ? names : out.toArray(new String[0]);
    }
}
