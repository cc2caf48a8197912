package io.nativetls.internal.ssl;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLHandshakeException;

/**
 * The key exchange groups a connection offers, as an OpenSSL groups list: those an application
 * chose with SunJSSE's {@code jdk.tls.namedGroups} system property or SSLParameters, minus the
 * groups {@code jdk.tls.disabledAlgorithms} disables. A name is usable when the loaded OpenSSL
 * offers a TLS group of that IANA name ({@link TlsGroups}), so X25519MLKEM768, SecP256r1MLKEM768,
 * the brainpool groups and whatever a provider adds work where OpenSSL has them; other names are
 * skipped, as SunJSSE skips names it does not know. Neither set means OpenSSL's own default,
 * which on OpenSSL 3.5 includes X25519MLKEM768; when the policy disables one of those, the JSSE
 * default order minus the disabled ones is sent instead.
 */
public final class NamedGroups {
    static final String PROPERTY = "jdk.tls.namedGroups";
    static final String PARAMETER = "SSLParameters.setNamedGroups";

    /**
     * The groups offered when the policy disables a default one: SunJSSE's default order (with
     * OpenSSL 3.5's hybrid first, as OpenSSL 3.5 and JDKs that have it put it), those this OpenSSL has.
     */
    private static final String[] DEFAULT_ORDER = {
        "X25519MLKEM768", "x25519", "secp256r1", "secp384r1", "secp521r1", "x448",
        "ffdhe2048", "ffdhe3072", "ffdhe4096", "ffdhe6144", "ffdhe8192",
    };

    private static volatile Object[] last;

    private NamedGroups() {}

    /** The OpenSSL list for the property's value, or null when it is unset or empty. */
    public static String fromSystemProperty() {
        String value = System.getProperty(PROPERTY);
        return toOpenSsl(value, "System property " + PROPERTY + "(" + value + ")");
    }

    /** The OpenSSL list for JSSE names (SSLParameters.setNamedGroups), or null for none given. */
    public static String fromList(String[] names) {
        return names == null ? null
            : toOpenSsl(String.join(",", names), PARAMETER + "(" + String.join(",", names) + ")");
    }

    /** source: what the value came from, named in the failure when no name in it is usable. */
    static String toOpenSsl(String value, String source) {
        String[] names = PropertyLists.split(value);
        if (names == null) {
            return null;
        }
        List<String> groups = new ArrayList<>();
        for (String name : names) {
            TlsGroups.Group g = TlsGroups.find(name);
            if (g == null && TlsGroups.notApprovedInFips(name)) {
                // Skipping it as unknown would hide that FIPS mode took away what was asked for.
                throw new IllegalArgumentException(source + ": " + name.trim() + CipherSuites.NOT_APPROVED);
            }
            if (g != null && !groups.contains(g.name)) {
                groups.add(g.name); // names this OpenSSL lacks are skipped, as SunJSSE skips them
            }
        }
        if (groups.isEmpty()) {
            throw new IllegalArgumentException(source + " contains no supported named groups");
        }
        return String.join(":", groups);
    }

    /**
     * The groups a connection offers and accepts (OpenSSL syntax): explicit (SSLParameters) names,
     * else the system property's, filtered by the policy; null when neither is set and the policy
     * disables none of the default groups (OpenSSL's default then applies). A list the policy
     * empties fails the handshake, as in SunJSSE, where no group is then offered: it never falls
     * back to a default.
     */
    public static String forConnection(String[] explicit, DisabledAlgorithms policy) throws SSLHandshakeException {
        String property = explicit == null ? System.getProperty(PROPERTY) : null;
        Object[] l = last;
        if (l != null && l[0] == policy && java.util.Objects.equals(l[1], property)
            && java.util.Arrays.equals((String[]) l[2], explicit)) {
            if (l[3] == null) {
                return (String) l[4];
            }
            throw new SSLHandshakeException((String) l[3]);
        }
        String list = null;
        String failure = null;
        String[] names = explicit != null ? explicit : PropertyLists.split(property);
        if (names == null) {
            boolean anyDisabled = false;
            List<String> allowed = new ArrayList<>();
            for (String name : DEFAULT_ORDER) {
                TlsGroups.Group g = TlsGroups.find(name);
                if (g == null) {
                    continue;
                }
                if (policy.disablesGroup(name.toLowerCase(Locale.ROOT), g.family, g.bits)) {
                    anyDisabled = true;
                } else {
                    allowed.add(g.name);
                }
            }
            list = anyDisabled ? String.join(":", allowed) : null;
            if (anyDisabled && allowed.isEmpty()) {
                failure = "No supported named group: jdk.tls.disabledAlgorithms disables every one";
            }
        } else {
            List<String> allowed = new ArrayList<>();
            for (String name : names) {
                TlsGroups.Group g = TlsGroups.find(name);
                if (g != null && !allowed.contains(g.name)
                    && !policy.disablesGroup(name.trim().toLowerCase(Locale.ROOT), g.family, g.bits)) {
                    allowed.add(g.name);
                }
            }
            list = String.join(":", allowed);
            if (allowed.isEmpty()) {
                failure = "No supported named group: none of " + String.join(",", names)
                    + " (" + (explicit != null ? PARAMETER : PROPERTY) + ")"
                    + " is available and allowed by jdk.tls.disabledAlgorithms";
            }
        }
        last = new Object[] {policy, property, explicit == null ? null : explicit.clone(), failure, list};
        if (failure != null) {
            throw new SSLHandshakeException(failure);
        }
        return list;
    }
}
