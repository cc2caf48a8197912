package io.nativetls.internal.ssl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Signature schemes by their TLS names (as JSSE's jdk.tls.client.SignatureSchemes and
 * SSLParameters.setSignatureSchemes spell them), their code points, and the JDK signature
 * algorithm names ExtendedSSLSession reports. The lists OpenSSL is given are made by SchemePolicy,
 * which knows how OpenSSL spells the legacy schemes.
 *
 * <p>The ML-DSA schemes (mldsa44, mldsa65, mldsa87; draft-ietf-tls-mldsa) are OpenSSL 3.5's
 * default provider's, not libssl's: they count as known only where a loaded provider offers them
 * ({@link ProviderSchemes}) and the JDK has ML-DSA keys (JDK 24 on, or a provider that adds them),
 * so elsewhere their names are skipped like any unknown name.
 */
public final class SignatureSchemes {
    public static final String CLIENT_PROPERTY = "jdk.tls.client.SignatureSchemes";
    public static final String SERVER_PROPERTY = "jdk.tls.server.SignatureSchemes";

    private static final Map<String, Scheme> BY_NAME = new LinkedHashMap<>();
    private static final Map<Integer, Scheme> BY_CODE = new LinkedHashMap<>();

    private static final class Scheme {
        final String name;
        final int code;
        final String jdkAlgorithm;
        /** Offered by a provider (OpenSSL 3.5's ML-DSA), not built into every libssl. */
        final boolean provided;

        Scheme(String name, int code, String jdkAlgorithm, boolean provided) {
            this.name = name;
            this.code = code;
            this.jdkAlgorithm = jdkAlgorithm;
            this.provided = provided;
        }

        /**
         * Built-in schemes always; a provider's where OpenSSL offers it and the JDK has its key
         * algorithm. Without JDK ML-DSA keys (before JDK 24) no key manager holds such a key and no
         * trust manager checks such a chain, and offering mldsa65 could only lead a server that
         * has both kinds to pick the chain this side cannot verify.
         */
        boolean available() {
            return !provided || (ProviderSchemes.offers(name) && JdkKeys.has(keyAlgorithm(name)));
        }
    }

    static {
        add("ecdsa_secp256r1_sha256", 0x0403, "SHA256withECDSA");
        add("ecdsa_secp384r1_sha384", 0x0503, "SHA384withECDSA");
        add("ecdsa_secp521r1_sha512", 0x0603, "SHA512withECDSA");
        add("ed25519", 0x0807, "Ed25519");
        add("ed448", 0x0808, "Ed448");
        add("rsa_pss_rsae_sha256", 0x0804, "RSASSA-PSS");
        add("rsa_pss_rsae_sha384", 0x0805, "RSASSA-PSS");
        add("rsa_pss_rsae_sha512", 0x0806, "RSASSA-PSS");
        add("rsa_pss_pss_sha256", 0x0809, "RSASSA-PSS");
        add("rsa_pss_pss_sha384", 0x080a, "RSASSA-PSS");
        add("rsa_pss_pss_sha512", 0x080b, "RSASSA-PSS");
        // After the classical schemes: a server holding an EC and an ML-DSA certificate keeps
        // choosing the smaller EC handshake unless the client prefers ML-DSA. JDK 24+ names the
        // signature algorithms (and the certificates' getSigAlgName) "ML-DSA-44" etc.
        provided("mldsa44", 0x0904, "ML-DSA-44");
        provided("mldsa65", 0x0905, "ML-DSA-65");
        provided("mldsa87", 0x0906, "ML-DSA-87");
        add("rsa_pkcs1_sha256", 0x0401, "SHA256withRSA");
        add("rsa_pkcs1_sha384", 0x0501, "SHA384withRSA");
        add("rsa_pkcs1_sha512", 0x0601, "SHA512withRSA");
        add("ecdsa_sha224", 0x0303, "SHA224withECDSA");
        add("rsa_sha224", 0x0301, "SHA224withRSA");
        add("ecdsa_sha1", 0x0203, "SHA1withECDSA");
        add("rsa_pkcs1_sha1", 0x0201, "SHA1withRSA");
    }

    private static void add(String name, int code, String jdk) {
        put(new Scheme(name, code, jdk, false));
    }

    private static void provided(String name, int code, String jdk) {
        put(new Scheme(name, code, jdk, true));
    }

    private static void put(Scheme s) {
        BY_NAME.put(s.name, s);
        BY_CODE.put(s.code, s);
    }

    /** The scheme of this TLS name (any case, trimmed) if this OpenSSL and JDK can use it, else null. */
    private static Scheme byName(String name) {
        Scheme s = name == null ? null : BY_NAME.get(name.trim().toLowerCase(Locale.ROOT));
        return s != null && s.available() ? s : null;
    }

    /** The scheme of this code point if this OpenSSL and JDK can use it, else null. */
    private static Scheme byCode(int code) {
        Scheme s = BY_CODE.get(code);
        return s != null && s.available() ? s : null;
    }

    /**
     * The key algorithm a scheme signs with, as jdk.tls.disabledAlgorithms and key managers name
     * it: EC, RSASSA-PSS, RSA, EdDSA or ML-DSA (JDK 24+'s KeyPairGenerator "ML-DSA" family name).
     */
    static String keyAlgorithm(String scheme) {
        return scheme.startsWith("ecdsa_") ? "EC" : scheme.startsWith("rsa_pss_pss_") ? "RSASSA-PSS"
            : scheme.startsWith("rsa_") ? "RSA" : scheme.startsWith("mldsa") ? "ML-DSA" : "EdDSA";
    }

    private SignatureSchemes() {}

    /** Whether the JDK (any installed provider) has keys of an algorithm; asked once per name. */
    private static final class JdkKeys {
        private static final java.util.concurrent.ConcurrentMap<String, Boolean> KNOWN =
            new java.util.concurrent.ConcurrentHashMap<>();

        static boolean has(String algorithm) {
            return KNOWN.computeIfAbsent(algorithm, a -> {
                try {
                    java.security.KeyFactory.getInstance(a);
                    return true;
                } catch (java.security.NoSuchAlgorithmException e) {
                    return false;
                }
            });
        }
    }

    /** The OpenSSL list for a JSSE list of names; unknown names are skipped, as SunJSSE skips them. */
    public static String toOpenSsl(String[] names) {
        if (names == null) {
            return null;
        }
        List<String> known = new ArrayList<>();
        for (String n : names) {
            Scheme s = byName(n);
            if (s != null && !known.contains(s.name)) {
                known.add(s.name);
            }
        }
        if (known.isEmpty()) {
            throw new IllegalArgumentException("no supported signature scheme in " + String.join(",", names));
        }
        return String.join(":", known);
    }

    /**
     * {TLS name, JDK signature algorithm} of every scheme this OpenSSL can use, in the order a
     * default list offers them.
     */
    static String[][] table() {
        List<String[]> rows = new ArrayList<>(BY_NAME.size());
        for (Scheme s : BY_NAME.values()) {
            if (s.available()) {
                rows.add(new String[] {s.name, s.jdkAlgorithm});
            }
        }
        return rows.toArray(new String[0][]);
    }

    private static volatile String[] localJdkAlgorithms;

    /**
     * The JDK signature algorithms of every scheme this OpenSSL can use, each once, in the default
     * list's order: what a session reports as its local supported signature algorithms, and so
     * what SunJSSE's trust managers accept certificate signatures of. A new array each call.
     */
    public static String[] localJdkAlgorithms() {
        String[] l = localJdkAlgorithms;
        if (l == null) {
            List<String> out = new ArrayList<>();
            for (String[] row : table()) {
                if (!out.contains(row[1])) {
                    out.add(row[1]);
                }
            }
            l = out.toArray(new String[0]);
            localJdkAlgorithms = l;
        }
        return l.clone();
    }

    /** The names a comma-separated system property lists, or null when it is unset or empty. */
    public static String[] fromProperty(String property) {
        return PropertyLists.split(System.getProperty(property));
    }

    /** JDK signature algorithm names for TLS code points (unknown ones left out, duplicates once). */
    public static String[] jdkAlgorithms(int[] codes) {
        List<String> out = new ArrayList<>();
        for (int code : codes) {
            Scheme s = byCode(code);
            if (s != null && !out.contains(s.jdkAlgorithm)) {
                out.add(s.jdkAlgorithm);
            }
        }
        return out.toArray(new String[0]);
    }

    /** The JSSE key type (as key managers are asked for it) a scheme signs with, or null. */
    static String keyType(int code) {
        Scheme s = byCode(code);
        return s == null ? null : keyAlgorithm(s.name);
    }

    /** Whether the credential's key can make signatures of the scheme with this code (TLS 1.3 rules). */
    static boolean canSign(Credential c, int code) {
        Scheme scheme = byCode(code);
        return scheme != null && c.chain.length > 0 && canSign(c.chain[0].getPublicKey(), scheme.name);
    }

    private static boolean canSign(java.security.PublicKey key, String scheme) {
        switch (key.getAlgorithm()) {
            case "EC":
                int bits = ((java.security.interfaces.ECPublicKey) key).getParams().getCurve().getField().getFieldSize();
                return scheme.equals(bits == 256 ? "ecdsa_secp256r1_sha256" : bits == 384 ? "ecdsa_secp384r1_sha384"
                    : bits == 521 ? "ecdsa_secp521r1_sha512" : "");
            case "RSA":
                return scheme.startsWith("rsa_pss_rsae_");
            case "RSASSA-PSS":
                return scheme.startsWith("rsa_pss_pss_") && pssParametersAllow(key, scheme);
            case "EdDSA":
            case "Ed25519":
            case "Ed448":
                return scheme.equals("ed25519") || scheme.equals("ed448");
            case "ML-DSA":
            case "ML-DSA-44":
            case "ML-DSA-65":
            case "ML-DSA-87":
                return scheme.equals(MlDsaKeys.scheme(key));
            default:
                return false;
        }
    }

    // ---- algorithm constraints ----------------------------------------------------------------

    private static final java.util.Set<java.security.CryptoPrimitive> SIGNATURE =
        java.util.EnumSet.of(java.security.CryptoPrimitive.SIGNATURE);

    /**
     * Whether constraints allow the scheme, asked as SunJSSE asks: by its TLS name, its key
     * algorithm and its JDK signature algorithm. Unknown schemes are not allowed.
     */
    public static boolean permits(java.security.AlgorithmConstraints constraints, String scheme) {
        Scheme s = byName(scheme);
        if (s == null) {
            return false;
        }
        String key = keyAlgorithm(s.name);
        return constraints.permits(SIGNATURE, s.name, null) && constraints.permits(SIGNATURE, key, null)
            && constraints.permits(SIGNATURE, s.jdkAlgorithm, null);
    }

    /**
     * The TLS names of the schemes of names (every known one, in preference order, when names is
     * null) that constraints allow; empty when they allow none.
     */
    public static String[] permitted(String[] names, java.security.AlgorithmConstraints constraints) {
        List<String> out = new ArrayList<>();
        for (String n : names != null ? java.util.Arrays.asList(names) : new ArrayList<>(BY_NAME.keySet())) {
            String name = n == null ? "" : n.trim().toLowerCase(Locale.ROOT);
            if (byName(name) != null && !out.contains(name) && permits(constraints, name)) {
                out.add(name);
            }
        }
        return out.toArray(new String[0]);
    }

    /** Whether constraints allow the certificate's signature algorithm and its public key. */
    public static boolean permits(java.security.AlgorithmConstraints constraints,
                                  java.security.cert.X509Certificate certificate) {
        return constraints.permits(SIGNATURE, certificate.getSigAlgName(), null)
            && constraints.permits(SIGNATURE, certificate.getPublicKey());
    }

    /**
     * An RSASSA-PSS key whose parameters name a digest signs with that digest only (RFC 8446 4.2.3),
     * as SunJSSE's signer for the key refuses other parameters; a key without parameters signs with any.
     */
    private static boolean pssParametersAllow(java.security.PublicKey key, String scheme) {
        java.security.spec.AlgorithmParameterSpec params = key instanceof java.security.interfaces.RSAKey
            ? ((java.security.interfaces.RSAKey) key).getParams() : null;
        if (!(params instanceof java.security.spec.PSSParameterSpec)) {
            return true;
        }
        String digest = ((java.security.spec.PSSParameterSpec) params).getDigestAlgorithm()
            .replace("-", "").toLowerCase(Locale.ROOT);
        return scheme.equals("rsa_pss_pss_" + digest);
    }
}
