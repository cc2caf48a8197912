package io.nativetls.internal.ssl;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLHandshakeException;

/**
 * The signature schemes a connection offers and accepts: those configured (SSLParameters, the
 * jdk.tls.{client,server}.SignatureSchemes properties) or else every scheme NativeTLS knows, minus
 * those jdk.tls.disabledAlgorithms disables, always as an explicit list so that neither
 * OpenSSL's defaults nor openssl.cnf decide. SunJSSE's semantics: a scheme is disabled by its
 * name, its signature algorithm or that algorithm's hash or key algorithm. The ML-DSA schemes
 * (mldsa44/65/87, OpenSSL 3.5) are part of "every scheme" only where the loaded OpenSSL has them;
 * OpenSSL's names for them are the TLS names.
 */
public final class SchemePolicy {
    /** Schemes OpenSSL knows only by their "key+hash" spelling. */
    private static final Map<String, String> OPENSSL_SPELLING = Map.of(
        "rsa_sha224", "RSA+SHA224", "ecdsa_sha224", "ECDSA+SHA224", "ecdsa_sha1", "ECDSA+SHA1",
        "rsa_pkcs1_sha1", "RSA+SHA1");

    private static volatile Object[] last;

    private SchemePolicy() {}

    /**
     * The OpenSSL list for these names (null: every known scheme) minus the disabled ones.
     * Unknown names are skipped; SSLHandshakeException when nothing is left, as SunJSSE fails a
     * handshake with no signature scheme to use.
     */
    public static String forConnection(String[] names, DisabledAlgorithms policy) throws SSLHandshakeException {
        Object[] l = last;
        if (l != null && l[0] == policy && java.util.Arrays.equals((String[]) l[1], names)) {
            return (String) l[2];
        }
        List<String> out = new ArrayList<>();
        List<String> wanted = new ArrayList<>();
        if (names == null) {
            for (String[] row : SignatureSchemes.table()) {
                wanted.add(row[0]);
            }
        } else {
            for (String n : names) {
                if (n != null) {
                    wanted.add(n.trim().toLowerCase(Locale.ROOT));
                }
            }
        }
        Map<String, String> jdk = new java.util.HashMap<>();
        for (String[] row : SignatureSchemes.table()) {
            jdk.put(row[0], row[1]);
        }
        for (String name : wanted) {
            String algorithm = jdk.get(name);
            if (algorithm == null || disabled(policy, name, algorithm, true)) {
                continue;
            }
            String openssl = OPENSSL_SPELLING.getOrDefault(name, name);
            if (!out.contains(openssl)) {
                out.add(openssl);
            }
        }
        if (out.isEmpty()) {
            throw new SSLHandshakeException("No supported signature algorithm: "
                + (names == null ? "jdk.tls.disabledAlgorithms disables every one"
                    : String.join(",", names) + " has none that is known and allowed by jdk.tls.disabledAlgorithms"));
        }
        String list = String.join(":", out);
        last = new Object[] {policy, names == null ? null : names.clone(), list};
        return list;
    }

    /**
     * The JDK algorithm names (upper case) of the schemes whose certificate signatures this side
     * accepts: what SunJSSE checks a chain against after a plain X509TrustManager accepted it.
     */
    static Set<String> certificateAlgorithms(DisabledAlgorithms policy) {
        Set<String> out = new HashSet<>();
        for (String[] row : SignatureSchemes.table()) {
            if (!disabled(policy, row[0], row[1], false)) {
                out.add(row[1].toUpperCase(Locale.ROOT));
            }
        }
        return out;
    }

    private static boolean disabled(DisabledAlgorithms policy, String name, String jdkAlgorithm, boolean handshake) {
        String key = SignatureSchemes.keyAlgorithm(name);
        int sha = name.lastIndexOf("sha");
        String hash = sha >= 0 ? "SHA" + name.substring(sha + 3) : null;
        return policy.disablesScheme(name, jdkAlgorithm, key, hash, handshake);
    }
}
