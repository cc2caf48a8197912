package io.nativetls.internal.ssl;

import io.nativetls.internal.jni.SslNative;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLException;

/**
 * The IANA (JSSE) names of the suites a NativeTLS connection can negotiate, mapped to OpenSSL's
 * own names, and the secure default selection: TLS 1.3 suites plus ECDHE with AEAD for TLS 1.2.
 * Of the suites the runtime OpenSSL has, those no JSSE application can use are left out: PSK and
 * SRP (JSSE has no API for them), DSS and static (EC)DH (no key manager key type NativeTLS asks
 * for), NULL encryption and anonymous ones (never negotiated, whatever jdk.tls.disabledAlgorithms
 * says). Names SunJSSE knows but never negotiates are accepted and ignored (see LegacySuites).
 */
public final class CipherSuites {
    /** SunJSSE lists this signalling value; OpenSSL always sends renegotiation_info instead. */
    static final String RENEGOTIATION_SCSV = "TLS_EMPTY_RENEGOTIATION_INFO_SCSV";

    private static final String[] PREFERRED = {
        "TLS_AES_256_GCM_SHA384",
        "TLS_AES_128_GCM_SHA256",
        "TLS_CHACHA20_POLY1305_SHA256",
        "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
        "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
        "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
        "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
        "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    };

    private static final CipherSuites INSTANCE = load();

    /** IANA name to OpenSSL name, supported order. */
    private final Map<String, String> openSslNames;
    private final Map<String, Boolean> tls13;
    private final String[] supported;
    private final String[] defaults;
    private final String defaultTls12List;
    private final String defaultTls13List;

    /**
     * Suites OpenSSL has but not in NativeTLS's FIPS library context: named by an application in
     * FIPS mode they are refused as not approved, not as unknown. Empty outside FIPS mode.
     */
    private final Set<String> notApproved;

    private static CipherSuites load() {
        try {
            String[][] table = SslNative.cipherSuiteTable(false);
            Set<String> outside = new HashSet<>();
            if (SslNative.ownLibraryContext()) {
                try {
                    for (String[] row : SslNative.cipherSuiteTable(true)) {
                        if (!row[0].isEmpty() && negotiable(row[0])) {
                            outside.add(row[0]);
                        }
                    }
                } catch (SSLException e) {
                    // the process's own context runs no TLS: then every other name is just unknown
                }
                for (String[] row : table) {
                    outside.remove(row[0]);
                }
            }
            return new CipherSuites(table, outside);
        } catch (SSLException e) {
            throw new IllegalStateException("OpenSSL's cipher suites could not be listed: " + e.getMessage(), e);
        }
    }

    CipherSuites(String[][] table) {
        this(table, Set.of());
    }

    CipherSuites(String[][] table, Set<String> notApproved) {
        this.notApproved = Set.copyOf(notApproved);
        Map<String, String> names = new LinkedHashMap<>();
        Map<String, Boolean> isTls13 = new LinkedHashMap<>();
        for (String preferred : PREFERRED) {
            for (String[] row : table) {
                if (row[0].equals(preferred)) {
                    names.put(row[0], row[1]);
                    isTls13.put(row[0], row[2].equals(Protocols.TLS13));
                }
            }
        }
        List<String> defaultNames = new ArrayList<>(names.keySet());
        for (String[] row : table) {
            if (!row[0].isEmpty() && !names.containsKey(row[0]) && negotiable(row[0])) {
                names.put(row[0], row[1]);
                isTls13.put(row[0], row[2].equals(Protocols.TLS13));
            }
        }
        List<String> all = new ArrayList<>(names.keySet());
        all.add(RENEGOTIATION_SCSV);
        this.openSslNames = Collections.unmodifiableMap(names);
        this.tls13 = Collections.unmodifiableMap(isTls13);
        this.supported = all.toArray(new String[0]);
        this.defaults = defaultNames.toArray(new String[0]);
        this.defaultTls12List = openSslList(defaults, false);
        this.defaultTls13List = openSslList(defaults, true);
    }

    /** Whether a JSSE application could negotiate the suite with this provider (see the class comment). */
    static boolean negotiable(String name) {
        return !(name.contains("_PSK_") || name.contains("_SRP_") || name.contains("_NULL_") || name.endsWith("_NULL")
            || name.contains("_anon_") || name.contains("_DSS_") || name.startsWith("TLS_ECDH_")
            || name.startsWith("TLS_DH_") || name.contains("_KRB5_"));
    }

    public static CipherSuites get() {
        return INSTANCE;
    }

    /** What getSupportedCipherSuites() lists: negotiable suites jdk.tls.disabledAlgorithms leaves, as SunJSSE's. */
    public String[] supported() {
        return DisabledAlgorithms.current().allowedSuites(supported).clone();
    }

    /** Whether setEnabledCipherSuites accepts the name (negotiable, or a legacy name SunJSSE knows). */
    public boolean isKnown(String name) {
        return openSslNames.containsKey(name) || RENEGOTIATION_SCSV.equals(name) || LegacySuites.NAMES.contains(name);
    }

    /** What a refusal of a suite or group FIPS mode does not offer says after its name. */
    public static final String NOT_APPROVED = " is not approved in FIPS mode (io.nativetls.fips=true):"
        + " OpenSSL's FIPS provider does not offer it";

    /** Whether OpenSSL has the suite but FIPS mode does not offer it (false outside FIPS mode). */
    public boolean notApprovedInFips(String name) {
        return name != null && notApproved.contains(name);
    }

    /** Whether a negotiable suite is a TLS 1.3 one; null for any other name. */
    public Boolean isTls13(String name) {
        return tls13.get(name);
    }

    /** Every negotiable suite, whatever the policy says. */
    String[] negotiable() {
        return supported.clone();
    }

    public String[] defaults() {
        return defaults.clone();
    }

    public String defaultTls12List() {
        return defaultTls12List;
    }

    public String defaultTls13List() {
        return defaultTls13List;
    }

    /**
     * Checks names as SunJSSE does: null or unknown names are an IllegalArgumentException; names
     * SunJSSE knows but NativeTLS never negotiates are kept (and never offered).
     */
    public String[] validate(String[] names) {
        if (names == null) {
            throw new IllegalArgumentException("cipher suites must not be null");
        }
        List<String> out = new ArrayList<>(names.length);
        for (String name : names) {
            if (notApprovedInFips(name)) {
                throw new IllegalArgumentException("Unsupported CipherSuite: " + name + NOT_APPROVED);
            }
            if (name == null || (!openSslNames.containsKey(name) && !RENEGOTIATION_SCSV.equals(name)
                && !LegacySuites.NAMES.contains(name))) {
                throw new IllegalArgumentException("Unsupported CipherSuite: " + name);
            }
            if (!out.contains(name)) {
                out.add(name);
            }
        }
        return out.toArray(new String[0]);
    }

    /**
     * {TLS 1.2 list, TLS 1.3 list} for the named suites. Most connections use the same enabled
     * suites as the one before, so the last answer is kept (one entry, replaced as a whole).
     */
    public String[] openSslLists(String[] names) {
        Object[] last = lastLists;
        if (last != null && java.util.Arrays.equals((String[]) last[0], names)) {
            return (String[]) last[1];
        }
        String[] lists = {openSslList(names, false), openSslList(names, true)};
        lastLists = new Object[] {names.clone(), lists};
        return lists;
    }

    private volatile Object[] lastLists;

    /** The OpenSSL list ("A:B:C") of the named suites of one protocol family, in the given order. */
    public String openSslList(String[] names, boolean forTls13) {
        StringBuilder sb = new StringBuilder();
        for (String name : names) {
            String openssl = openSslNames.get(name);
            if (openssl != null && tls13.get(name) == forTls13) {
                if (sb.length() > 0) {
                    sb.append(':');
                }
                sb.append(openssl);
            }
        }
        return sb.toString();
    }
}
