package io.nativetls.bench;

/**
 * The connection configurations the benchmarks use: one protocol, one cipher suite, one server
 * key type. Key exchange is X25519 for all of them (see {@link Groups}).
 */
public enum Tls {
    /** Full handshakes and TLS 1.3 ticket resumption. */
    TLS13_ECDSA_P256("TLSv1.3", "TLS_AES_128_GCM_SHA256", Pki.KeyType.EC_P256),
    TLS13_RSA_2048("TLSv1.3", "TLS_AES_128_GCM_SHA256", Pki.KeyType.RSA_2048),
    /** Full handshakes, TLS 1.2 session-id resumption, and bulk. */
    TLS12_ECDHE_ECDSA_AES128_GCM("TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", Pki.KeyType.EC_P256),
    /** Bulk. */
    TLS13_AES_128_GCM("TLSv1.3", "TLS_AES_128_GCM_SHA256", Pki.KeyType.EC_P256),
    TLS13_AES_256_GCM("TLSv1.3", "TLS_AES_256_GCM_SHA384", Pki.KeyType.EC_P256),
    TLS13_CHACHA20_POLY1305("TLSv1.3", "TLS_CHACHA20_POLY1305_SHA256", Pki.KeyType.EC_P256);

    public final String protocol;
    public final String suite;
    public final Pki.KeyType keyType;
    final String[] protocols;
    final String[] suites;

    Tls(String protocol, String suite, Pki.KeyType keyType) {
        this.protocol = protocol;
        this.suite = suite;
        this.keyType = keyType;
        this.protocols = new String[] {protocol};
        this.suites = new String[] {suite};
    }

    public boolean isTls13() {
        return protocol.equals("TLSv1.3");
    }

    /** The protocols to enable on an engine (a fresh array: engines may keep it). */
    public String[] protocols() {
        return protocols.clone();
    }

    /** The cipher suites to enable on an engine. */
    public String[] suites() {
        return suites.clone();
    }
}
