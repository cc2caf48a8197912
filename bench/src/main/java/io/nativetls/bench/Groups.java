package io.nativetls.bench;

/**
 * The key exchange groups: X25519 first (the only key share a TLS 1.3 client sends), P-256 second
 * (without it a TLS 1.2 client could not accept an ECDSA P-256 certificate).
 *
 * <p>The Java providers read {@code jdk.tls.namedGroups} (SunJSSE, BCJSSE, Netty); Conscrypt's
 * BoringSSL puts X25519 first by default; NativeTLS and the C program use OpenSSL, configured by
 * {@code bench/openssl-bench.cnf} (OPENSSL_CONF, set by run.sh) and by the program itself. Without
 * that file OpenSSL 3.5 would negotiate X25519MLKEM768 with itself. Which group was actually used
 * is read off the wire and printed by every benchmark's setup.
 */
public final class Groups {
    /** The value of jdk.tls.namedGroups every benchmark JVM gets. */
    public static final String JDK_NAMED_GROUPS = "x25519,secp256r1";
    public static final String JVM_ARG = "-Djdk.tls.namedGroups=" + JDK_NAMED_GROUPS;

    private Groups() {}

    /** IANA TLS supported-group code point to name. */
    public static String name(int id) {
        switch (id) {
            case -1: return "unknown";
            case 0x0017: return "secp256r1";
            case 0x0018: return "secp384r1";
            case 0x0019: return "secp521r1";
            case 0x001d: return "x25519";
            case 0x001e: return "x448";
            case 0x0100: return "ffdhe2048";
            case 0x0101: return "ffdhe3072";
            case 0x11eb: return "SecP256r1MLKEM768";
            case 0x11ec: return "X25519MLKEM768";
            case 0x6399: return "X25519Kyber768Draft00";
            default: return String.format("0x%04x", id);
        }
    }
}
