package io.nativetls.internal.ssl;

import io.nativetls.internal.jni.SslNative;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;

/**
 * The key exchange groups a connection offers, as an OpenSSL groups list: those an application
 * chose with SunJSSE's {@code jdk.tls.namedGroups} system property or SSLParameters, minus the
 * groups {@code jdk.tls.disabledAlgorithms} disables. Neither set means OpenSSL's own default,
 * which on OpenSSL 3.5 includes the hybrid post-quantum X25519MLKEM768; when the policy disables
 * one of those, the JSSE default order minus the disabled ones is sent instead.
 */
public final class NamedGroups {
    static final String PROPERTY = "jdk.tls.namedGroups";

    private static final class Group {
        final String openssl;
        final String family;
        final int bits;

        Group(String openssl, String family, int bits) {
            this.openssl = openssl;
            this.family = family;
            this.bits = bits;
        }
    }

    /** JSSE (IANA) group names, in SunJSSE's default order, with their OpenSSL spelling and key size. */
    private static final Map<String, Group> GROUPS = new LinkedHashMap<>();

    static {
        GROUPS.put("x25519mlkem768", new Group("X25519MLKEM768", "ML-KEM", 768));
        GROUPS.put("x25519", new Group("X25519", "XDH", 255));
        GROUPS.put("secp256r1", new Group("P-256", "EC", 256));
        GROUPS.put("secp384r1", new Group("P-384", "EC", 384));
        GROUPS.put("secp521r1", new Group("P-521", "EC", 521));
        GROUPS.put("x448", new Group("X448", "XDH", 448));
        for (int bits : new int[] {2048, 3072, 4096, 6144, 8192}) {
            GROUPS.put("ffdhe" + bits, new Group("ffdhe" + bits, "DH", bits));
        }
    }

    /** The hybrid group exists from OpenSSL 3.5 on; older ones refuse a list naming it. */
    private static final class Runtime {
        static final boolean HAS_MLKEM = hasMlKem();

        private static boolean hasMlKem() {
            try {
                io.nativetls.internal.jni.NativeLibrary.ensureLoaded();
                return SslNative.openSslVersionNumber() >= 0x30500000L;
            } catch (RuntimeException | LinkageError e) {
                return false;
            }
        }
    }

    private static volatile Object[] last;

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
            Group g = known(name);
            if (g != null && !groups.contains(g.openssl)) {
                groups.add(g.openssl); // names this OpenSSL lacks are skipped, as SunJSSE skips them
            }
        }
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("System property " + PROPERTY + "(" + value
                + ") contains no supported named groups");
        }
        return String.join(":", groups);
    }

    private static Group known(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        return key.equals("x25519mlkem768") && !Runtime.HAS_MLKEM ? null : GROUPS.get(key);
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
            for (Map.Entry<String, Group> e : GROUPS.entrySet()) {
                Group g = e.getValue();
                if (g.family.equals("ML-KEM") && !Runtime.HAS_MLKEM) {
                    continue;
                }
                if (policy.disablesGroup(e.getKey(), g.family, g.bits)) {
                    anyDisabled = true;
                } else {
                    allowed.add(g.openssl);
                }
            }
            list = anyDisabled ? String.join(":", allowed) : null;
            if (anyDisabled && allowed.isEmpty()) {
                failure = "No supported named group: jdk.tls.disabledAlgorithms disables every one";
            }
        } else {
            List<String> allowed = new ArrayList<>();
            for (String name : names) {
                Group g = name == null ? null : known(name.trim());
                if (g != null && !allowed.contains(g.openssl)
                    && !policy.disablesGroup(name.trim().toLowerCase(Locale.ROOT), g.family, g.bits)) {
                    allowed.add(g.openssl);
                }
            }
            list = String.join(":", allowed);
            if (allowed.isEmpty()) {
                failure = "No supported named group: none of " + String.join(",", names)
                    + (explicit != null ? " (SSLParameters.setNamedGroups)" : " (" + PROPERTY + ")")
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
