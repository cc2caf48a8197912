package io.nativetls.internal.ssl;

import java.security.Key;
import java.security.Security;
import java.security.cert.X509Certificate;
import java.security.interfaces.DSAKey;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The JDK's TLS policy as SunJSSE reads it from the {@code jdk.tls.disabledAlgorithms} security
 * property (and, for certificates, {@code jdk.certpath.disabledAlgorithms}): an entry naming a
 * protocol disables it; an entry naming a suite, one of the parts a suite name is made of (e.g.
 * "3DES_EDE_CBC", "anon", "NULL", "RC4") or a pattern ("TLS_RSA_*") disables those suites; a group
 * or signature scheme name (or a signature algorithm, or its hash or key algorithm) disables it;
 * "DH keySize &lt; 1024", "EC keySize &lt; 224", "RSA keySize &lt; 2048" disable keys of those
 * sizes. NativeTLS applies this policy itself, and lets OpenSSL's security level apply none of
 * its own (see SslContextHandle).
 */
public final class DisabledAlgorithms {
    static final String PROPERTY = "jdk.tls.disabledAlgorithms";
    static final String CERTPATH_PROPERTY = "jdk.certpath.disabledAlgorithms";

    private static volatile DisabledAlgorithms cached = new DisabledAlgorithms(null, null);

    private final String source;
    private final String certpathSource;
    /** Bare names, upper case. */
    private final List<String> entries;
    private final List<AlgorithmConstraint> tls;
    private final List<AlgorithmConstraint> certpath;
    /** The supported suites these entries disable, worked out once per property value. */
    private volatile Set<String> disabledSuites;

    private DisabledAlgorithms(String source, String certpathSource) {
        this.source = source;
        this.certpathSource = certpathSource;
        this.tls = parse(source);
        this.certpath = parse(certpathSource);
        List<String> list = new ArrayList<>();
        for (AlgorithmConstraint c : tls) {
            if (c.bare()) {
                list.add(c.algorithm.toUpperCase(Locale.ROOT));
            }
        }
        this.entries = list;
    }

    /** The entries of a property value, with "include property" entries replaced by that property's. */
    private static List<AlgorithmConstraint> parse(String value) {
        List<AlgorithmConstraint> out = new ArrayList<>();
        parse(value, out, 0);
        return out;
    }

    private static void parse(String value, List<AlgorithmConstraint> out, int depth) {
        if (value == null) {
            return;
        }
        String v = value.trim();
        if (v.length() > 1 && v.startsWith("\"") && v.endsWith("\"")) {
            v = v.substring(1, v.length() - 1);
        }
        for (String entry : v.split(",")) {
            String e = entry.trim();
            if (e.isEmpty()) {
                continue;
            }
            if (e.regionMatches(true, 0, "include ", 0, 8)) {
                if (depth < 4) {
                    parse(Security.getProperty(e.substring(8).trim()), out, depth + 1);
                }
                continue;
            }
            out.add(AlgorithmConstraint.parse(e));
        }
    }

    /** The current properties' reading; parsed again only when a property changes. */
    public static DisabledAlgorithms current() {
        String value = Security.getProperty(PROPERTY);
        String certpathValue = Security.getProperty(CERTPATH_PROPERTY);
        DisabledAlgorithms c = cached;
        if (!java.util.Objects.equals(value, c.source) || !java.util.Objects.equals(certpathValue, c.certpathSource)) {
            c = new DisabledAlgorithms(value, certpathValue);
            cached = c;
        }
        return c;
    }

    /** The tls property's value this reading was made from (null: unset). */
    String source() {
        return source;
    }

    public boolean disablesProtocol(String protocol) {
        return entries.contains(protocol.toUpperCase(Locale.ROOT));
    }

    public boolean disablesSuite(String suite) {
        String upper = suite.toUpperCase(Locale.ROOT);
        String wrapped = "_" + upper + "_";
        for (String e : entries) {
            if (e.endsWith("*") ? upper.startsWith(e.substring(0, e.length() - 1))
                : wrapped.contains("_" + e + "_") || (e.equals("SHA1") && wrapped.endsWith("_SHA_"))) {
                return true;
            }
        }
        return false;
    }

    /** names without the disabled ones, in their order (names itself when none is disabled). */
    public String[] allowedSuites(String[] names) {
        Set<String> disabled = disabledSuites();
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
    private Set<String> disabledSuites() {
        Set<String> d = disabledSuites;
        if (d == null) {
            Set<String> found = new HashSet<>();
            for (String suite : CipherSuites.get().negotiable()) {
                if (disablesSuite(suite)) {
                    found.add(suite);
                }
            }
            d = Set.copyOf(found);
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

    /**
     * Whether a key exchange group is disabled: by its name, or by a key size entry of its family
     * ("EC" for the secp curves, "DH" or "DiffieHellman" for ffdhe, "XDH" for x25519 and x448).
     */
    boolean disablesGroup(String name, String family, int bits) {
        for (AlgorithmConstraint c : tls) {
            if (!c.appliesTo(AlgorithmConstraint.Use.OTHER)) {
                continue;
            }
            if (c.bare() && c.algorithm.equalsIgnoreCase(name)) {
                return true;
            }
            if (c.hasKeySize() && sameFamily(c.algorithm, family) && c.disablesSize(bits)) {
                return true;
            }
        }
        return false;
    }

    private static boolean sameFamily(String algorithm, String family) {
        if (algorithm.equalsIgnoreCase(family)) {
            return true;
        }
        return family.equals("DH") && algorithm.equalsIgnoreCase("DiffieHellman");
    }

    /** The smallest ephemeral finite-field DH key this policy allows (0: any). */
    int minDhBits() {
        int min = 0;
        for (AlgorithmConstraint c : tls) {
            if (c.hasKeySize() && sameFamily(c.algorithm, "DH") && c.appliesTo(AlgorithmConstraint.Use.OTHER)) {
                for (int bits = min; bits <= 16384 && c.disablesSize(bits); bits++) {
                    min = bits + 1;
                }
            }
        }
        return min;
    }

    /**
     * Whether a signature scheme is disabled, as SunJSSE decides: its TLS name, its JDK signature
     * algorithm or that algorithm's parts (hash, key algorithm), or its key algorithm named by a
     * bare entry. handshake: for signatures made in the handshake ("usage HandshakeSignature"
     * entries apply), else for certificate signatures.
     */
    boolean disablesScheme(String scheme, String jdkAlgorithm, String keyAlgorithm, String hash, boolean handshake) {
        AlgorithmConstraint.Use use = handshake ? AlgorithmConstraint.Use.HANDSHAKE_SIGNATURE
            : AlgorithmConstraint.Use.OTHER;
        Set<String> names = signatureNames(jdkAlgorithm);
        names.add(scheme.toUpperCase(Locale.ROOT));
        names.add(keyAlgorithm.toUpperCase(Locale.ROOT));
        if (hash != null) {
            names.addAll(hashNames(hash));
        }
        for (AlgorithmConstraint c : tls) {
            if (!c.hasKeySize() && c.appliesTo(use) && names.contains(c.algorithm.toUpperCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    /** "SHA256withECDSA": itself and its parts, with the hash's other spelling (SHA256, SHA-256). */
    private static Set<String> signatureNames(String algorithm) {
        Set<String> out = new HashSet<>();
        String upper = algorithm.toUpperCase(Locale.ROOT);
        out.add(upper);
        for (String part : upper.split("WITH|AND")) {
            if (!part.isEmpty()) {
                out.add(part);
                out.addAll(hashNames(part));
            }
        }
        return out;
    }

    private static Set<String> hashNames(String hash) {
        Set<String> out = new HashSet<>();
        String h = hash.toUpperCase(Locale.ROOT);
        out.add(h);
        if (h.startsWith("SHA-")) {
            out.add("SHA" + h.substring(4));
        } else if (h.startsWith("SHA") && h.length() > 3 && Character.isDigit(h.charAt(3))) {
            out.add("SHA-" + h.substring(3));
        }
        return out;
    }

    /**
     * Why a certificate of a peer's chain does not conform (null if it does): its signature
     * algorithm is disabled by either property or not one this side supports, or its key is of a
     * disabled algorithm or size. As SunJSSE checks a chain a plain X509TrustManager accepted.
     */
    String certificateViolation(X509Certificate cert, boolean serverChain, Set<String> supportedSignatures,
                                boolean checkSignature) {
        AlgorithmConstraint.Use use = serverChain ? AlgorithmConstraint.Use.TLS_SERVER
            : AlgorithmConstraint.Use.TLS_CLIENT;
        if (checkSignature) {
            String sigAlg = cert.getSigAlgName();
            Set<String> names = signatureNames(sigAlg);
            for (List<AlgorithmConstraint> list : List.of(tls, certpath)) {
                for (AlgorithmConstraint c : list) {
                    if (!c.hasKeySize() && c.appliesTo(use) && names.contains(c.algorithm.toUpperCase(Locale.ROOT))) {
                        return "signature algorithm " + sigAlg;
                    }
                }
            }
            if (supportedSignatures != null && !supportedSignatures.contains(sigAlg.toUpperCase(Locale.ROOT))) {
                return "signature algorithm " + sigAlg + " (not a supported signature algorithm)";
            }
        }
        Key key = cert.getPublicKey();
        String keyAlg = key.getAlgorithm();
        int bits = keySize(key);
        for (List<AlgorithmConstraint> list : List.of(tls, certpath)) {
            for (AlgorithmConstraint c : list) {
                if (c.algorithm.equalsIgnoreCase(keyAlg) && c.appliesTo(use) && (c.bare()
                    || (c.hasKeySize() && bits > 0 && c.disablesSize(bits)))) {
                    return "key " + keyAlg + " with size of " + bits + "bits";
                }
            }
        }
        return null;
    }

    static int keySize(Key key) {
        if (key instanceof RSAKey) {
            return ((RSAKey) key).getModulus().bitLength();
        }
        if (key instanceof ECKey) {
            return ((ECKey) key).getParams().getOrder().bitLength();
        }
        if (key instanceof DSAKey && ((DSAKey) key).getParams() != null) {
            return ((DSAKey) key).getParams().getP().bitLength();
        }
        String alg = key.getAlgorithm();
        return alg.equalsIgnoreCase("Ed25519") || alg.equalsIgnoreCase("X25519") ? 255
            : alg.equalsIgnoreCase("Ed448") || alg.equalsIgnoreCase("X448") ? 448 : -1;
    }
}
