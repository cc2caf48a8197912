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

        Scheme(String name, int code, String jdkAlgorithm) {
            this.name = name;
            this.code = code;
            this.jdkAlgorithm = jdkAlgorithm;
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
        add("rsa_pkcs1_sha256", 0x0401, "SHA256withRSA");
        add("rsa_pkcs1_sha384", 0x0501, "SHA384withRSA");
        add("rsa_pkcs1_sha512", 0x0601, "SHA512withRSA");
        add("ecdsa_sha224", 0x0303, "SHA224withECDSA");
        add("rsa_sha224", 0x0301, "SHA224withRSA");
        add("ecdsa_sha1", 0x0203, "SHA1withECDSA");
        add("rsa_pkcs1_sha1", 0x0201, "SHA1withRSA");
    }

    private static void add(String name, int code, String jdk) {
        Scheme s = new Scheme(name, code, jdk);
        BY_NAME.put(name, s);
        BY_CODE.put(code, s);
    }

    private SignatureSchemes() {}

    /** The OpenSSL list for a JSSE list of names; unknown names are skipped, as SunJSSE skips them. */
    public static String toOpenSsl(String[] names) {
        if (names == null) {
            return null;
        }
        List<String> known = new ArrayList<>();
        for (String n : names) {
            Scheme s = n == null ? null : BY_NAME.get(n.trim().toLowerCase(Locale.ROOT));
            if (s != null && !known.contains(s.name)) {
                known.add(s.name);
            }
        }
        if (known.isEmpty()) {
            throw new IllegalArgumentException("no supported signature scheme in " + String.join(",", names));
        }
        return String.join(":", known);
    }

    /** {TLS name, JDK signature algorithm} of every known scheme, in the order a default list offers them. */
    static String[][] table() {
        String[][] rows = new String[BY_NAME.size()][];
        int i = 0;
        for (Scheme s : BY_NAME.values()) {
            rows[i++] = new String[] {s.name, s.jdkAlgorithm};
        }
        return rows;
    }

    /** The names a comma-separated system property lists, or null when it is unset or empty. */
    public static String[] fromProperty(String property) {
        return PropertyLists.split(System.getProperty(property));
    }

    /** JDK signature algorithm names for TLS code points (unknown ones left out, duplicates once). */
    public static String[] jdkAlgorithms(int[] codes) {
        List<String> out = new ArrayList<>();
        for (int code : codes) {
            Scheme s = BY_CODE.get(code);
            if (s != null && !out.contains(s.jdkAlgorithm)) {
                out.add(s.jdkAlgorithm);
            }
        }
        return out.toArray(new String[0]);
    }

    /** The JSSE key type (as key managers are asked for it) a scheme signs with, or null. */
    static String keyType(int code) {
        Scheme s = BY_CODE.get(code);
        if (s == null) {
            return null;
        }
        String name = s.name;
        return name.startsWith("ecdsa_") ? "EC" : name.startsWith("rsa_pss_pss_") ? "RSASSA-PSS"
            : name.startsWith("rsa_") ? "RSA" : name.startsWith("ed") ? "EdDSA" : null;
    }

    /** Whether the credential's key can make signatures of the scheme with this code (TLS 1.3 rules). */
    static boolean canSign(Credential c, int code) {
        Scheme scheme = BY_CODE.get(code);
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
        Scheme s = scheme == null ? null : BY_NAME.get(scheme.toLowerCase(Locale.ROOT));
        if (s == null) {
            return false;
        }
        String key = s.name.startsWith("ecdsa_") ? "EC" : s.name.startsWith("rsa_pss_pss_") ? "RSASSA-PSS"
            : s.name.startsWith("rsa_") ? "RSA" : "EdDSA";
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
            if (BY_NAME.containsKey(name) && !out.contains(name) && permits(constraints, name)) {
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
