package io.nativetls.internal.jni;

/**
 * What the native side calls during a native call on a connection (the {@code callbacks} argument
 * of {@link SslNative#handshake} and the record methods), on the thread of that call. JNI_OnLoad
 * looks these methods up on this interface, so whatever implements it may live in any package.
 *
 * <p>Each callback gets everything it needs as arguments (it makes no native call back into the
 * connection), returns a verdict and never throws: an implementation keeps what it caught and
 * answers as for a refusal. An Error the native side finds pending after a callback (or while
 * building its arguments) is handed to {@link #upcallFailed}.
 */
public interface NativeCallbacks {
    /**
     * The peer's chain (DER, leaf first) to verify; authType is the TLS 1.2 client's key exchange
     * (null for a server), peerSchemes the signature schemes the peer accepts (TLS code points).
     * statusResponse is the OCSP response a server stapled to its leaf (client only), else null.
     * mayPause: the handshake can stop here for a delegated task (answer
     * {@link SslNative#CALLBACK_RETRY}); false where OpenSSL cannot pause (the check that waited
     * for a stapled response). Returns 0 when trusted, else the X509_V_ERR code OpenSSL turns into the alert
     * ({@link SslNative#X509_V_ERR_CERT_HAS_EXPIRED} and its neighbours).
     */
    int verifyPeer(byte[][] chain, String authType, String protocol, String cipherSuite, int[] peerSchemes,
                   byte[] statusResponse, boolean mayPause);

    /**
     * Server, a client asked for the certificate's status: the DER OCSP response to staple for
     * the chosen leaf (DER), or null to send none.
     */
    byte[] stapledResponse(byte[] leaf);

    /**
     * The native credential handles to load, or null to fail the handshake. version is the
     * protocol being negotiated (0x0303, 0x0304); issuers (client only) the DER names of the
     * server's certificate request, null when it names none; keyTypes (server, TLS 1.2 only) the
     * key types of the suites both sides enable, in the order a suite is chosen, else null.
     */
    long[] selectCredentials(int[] peerSchemes, int version, byte[][] issuers, String[] keyTypes);

    /** A new session: the callee owns the reference (release with {@link SslNative#sessionFree}). */
    void sessionCreated(long session, byte[] id, int version);

    /** Server, TLS 1.2: a new reference to the session with this id for OpenSSL, or 0. */
    long findSession(byte[] id, String serverName);

    /** Server: whether a decrypted ticket carrying token, created at createdSeconds, may be used. */
    boolean acceptTicket(byte[] token, long createdSeconds, String serverName);

    /** Server: the token a ticket issued now carries. */
    byte[] ticketToken();

    /**
     * Server: the index of the protocol chosen from the client's ALPN list (wire format without
     * the length prefix; empty when it offered none), or {@link SslNative#ALPN_NONE} /
     * {@link SslNative#ALPN_FATAL}.
     */
    int selectApplicationProtocol(byte[] offered);

    /** Server: the host name the client asked for (ASCII); false fails with unrecognized_name. */
    boolean serverNameReceived(byte[] name);

    /** A Throwable found pending after a callback, taken off the thread. */
    void upcallFailed(Throwable thrown);

    /**
     * The exception a failed handshake or record operation throws (kind: {@link SslNative#FAILURE_HANDSHAKE}
     * and its neighbours): message is OpenSSL's account ("TLS handshake failed: reason; ...;
     * alert sent: ..."), libraries and reasons the numbers of each error queue entry, in order,
     * alertSent and alertReceived the last alerts (level &lt;&lt; 8 | description, 0 for none).
     * Null makes the native side throw message as the kind's exception.
     */
    Throwable failure(int kind, String message, int[] libraries, int[] reasons, int alertSent, int alertReceived);
}
