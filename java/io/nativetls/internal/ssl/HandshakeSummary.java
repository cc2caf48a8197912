package io.nativetls.internal.ssl;

import java.security.cert.X509Certificate;
import javax.net.ssl.SSLException;

/**
 * What a completed handshake negotiated, read from OpenSSL in one native call
 * ({@link SslHandle#handshakeSummary()}) instead of one call per item. Immutable. A chain Java did
 * not already hold stays DER until asked for: a resumed handshake, whose session already has its
 * chains, then pays for no certificate parsing.
 */
public final class HandshakeSummary {
    private final String protocol;
    private final String cipherSuite;
    private final String peerSignatureScheme;
    private final byte[] sessionId;
    /** Each chain is either known (X509Certificate[]) or DER from OpenSSL (byte[][]); null for none. */
    private final Object peerCertificates;
    private final Object localCertificates;
    private final String applicationProtocol;
    private final boolean resumed;
    private final String group;

    HandshakeSummary(String protocol, String cipherSuite, String peerSignatureScheme, byte[] sessionId,
                     Object peerCertificates, Object localCertificates,
                     String applicationProtocol, boolean resumed, String group) {
        this.protocol = protocol;
        this.cipherSuite = cipherSuite;
        this.peerSignatureScheme = peerSignatureScheme;
        this.sessionId = sessionId;
        this.peerCertificates = peerCertificates;
        this.localCertificates = localCertificates;
        this.applicationProtocol = applicationProtocol;
        this.resumed = resumed;
        this.group = group;
    }

    /** "TLSv1.3" or "TLSv1.2", as {@code SslHandle.sessionInfo()[0]}. */
    public String protocol() {
        return protocol;
    }

    /** The IANA name of the suite, as {@code sessionInfo()[1]}. */
    public String cipherSuite() {
        return cipherSuite;
    }

    /** The TLS name of the scheme the peer signed this handshake with, or null; as {@code sessionInfo()[2]}. */
    public String peerSignatureScheme() {
        return peerSignatureScheme;
    }

    /** OpenSSL's session id (empty for none), as {@link SslHandle#sessionId()}. */
    public byte[] sessionId() {
        return sessionId.clone();
    }

    /** As {@link SslHandle#peerCertificates()}: the chain verified in this handshake, else OpenSSL's; or null. */
    public X509Certificate[] peerCertificates() throws SSLException {
        return chain(peerCertificates);
    }

    /** As {@link SslHandle#localCertificates()}: the chain this side presented, or null. */
    public X509Certificate[] localCertificates() throws SSLException {
        return chain(localCertificates);
    }

    private static X509Certificate[] chain(Object held) throws SSLException {
        if (held == null) {
            return null;
        }
        return held instanceof X509Certificate[] ? ((X509Certificate[]) held).clone()
            : CertificateDecoder.chain((byte[][]) held);
    }

    /** As {@link SslHandle#applicationProtocol()}: the negotiated protocol, or null for none. */
    public String applicationProtocol() {
        return applicationProtocol;
    }

    /** As {@link SslHandle#sessionReused()}. */
    public boolean resumed() {
        return resumed;
    }

    /**
     * The IANA name of the key exchange group (x25519, secp384r1, X25519MLKEM768, ...); for a TLS 1.2
     * resumption, the group of the handshake that made the session. Null when there was none (RSA
     * key exchange).
     */
    public String group() {
        return group;
    }
}
