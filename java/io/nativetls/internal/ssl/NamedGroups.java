package io.nativetls.internal.ssl;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The key exchange groups an application chose with SunJSSE's {@code jdk.tls.namedGroups} system
 * property, as an OpenSSL groups list. Unset means OpenSSL's own default, which on OpenSSL 3.5
 * includes the hybrid post-quantum X25519MLKEM768.
 */
public final class NamedGroups {
    static final String PROPERTY = "jdk.tls.namedGroups";

    /** JSSE (IANA) group names and their OpenSSL spelling. */
    private static final Map<String, String> OPENSSL_NAMES = Map.ofEntries(
        Map.entry("x25519", "X25519"), Map.entry("x448", "X448"),
        Map.entry("secp256r1", "P-256"), Map.entry("secp384r1", "P-384"), Map.entry("secp521r1", "P-521"),
        Map.entry("ffdhe2048", "ffdhe2048"), Map.entry("ffdhe3072", "ffdhe3072"),
        Map.entry("ffdhe4096", "ffdhe4096"), Map.entry("ffdhe6144", "ffdhe6144"),
        Map.entry("ffdhe8192", "ffdhe8192"));

    private NamedGroups() {}

    /** The OpenSSL list for the property's value, or null when it is unset or empty. */
    public static String fromSystemProperty() {
        return toOpenSsl(System.getProperty(PROPERTY));
    }

    /** The OpenSSL list for JSSE names (SSLParameters.setNamedGroups), or null for none given. */
    public static String fromList(String[] names) {
        return names == null ? null : toOpenSsl(String.join(",", names));
    }

    static String toOpenSsl(String value) {
        String[] names = PropertyLists.split(value);
        if (names == null) {
            return null;
        }
        List<String> groups = new ArrayList<>();
        for (String name : names) {
            String openssl = OPENSSL_NAMES.get(name.toLowerCase(Locale.ROOT));
            if (openssl != null && !groups.contains(openssl)) {
                groups.add(openssl); // names this OpenSSL lacks are skipped, as SunJSSE skips them
            }
        }
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("System property " + PROPERTY + "(" + value
                + ") contains no supported named groups");
        }
        return String.join(":", groups);
    }
}
