package io.nativetls.internal.ssl;

import java.security.cert.X509Certificate;

/**
 * What a completed handshake negotiated, read from OpenSSL in one native call
 * ({@link SslHandle#handshakeSummary()}) instead of one call per item. Immutable; the chains are
 * copied on the way out.
 */
public final class HandshakeSummary {
    private final String protocol;
    private final String cipherSuite;
    private final String peerSignatureScheme;
    private final byte[] sessionId;
    private final X509Certificate[] peerCertificates;
    private final X509Certificate[] localCertificates;
    private final String applicationProtocol;
    private final boolean resumed;

    HandshakeSummary(String protocol, String cipherSuite, String peerSignatureScheme, byte[] sessionId,
                     X509Certificate[] peerCertificates, X509Certificate[] localCertificates,
                     String applicationProtocol, boolean resumed) {
        this.protocol = protocol;
        this.cipherSuite = cipherSuite;
        this.peerSignatureScheme = peerSignatureScheme;
        this.sessionId = sessionId;
        this.peerCertificates = peerCertificates;
        this.localCertificates = localCertificates;
        this.applicationProtocol = applicationProtocol;
        this.resumed = resumed;
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
    public X509Certificate[] peerCertificates() {
        return peerCertificates == null ? null : peerCertificates.clone();
    }

    /** As {@link SslHandle#localCertificates()}: the chain this side presented, or null. */
    public X509Certificate[] localCertificates() {
        return localCertificates == null ? null : localCertificates.clone();
    }

    /** As {@link SslHandle#applicationProtocol()}: the negotiated protocol, or null for none. */
    public String applicationProtocol() {
        return applicationProtocol;
    }

    /** As {@link SslHandle#sessionReused()}. */
    public boolean resumed() {
        return resumed;
    }
}
