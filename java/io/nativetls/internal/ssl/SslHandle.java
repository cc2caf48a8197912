package io.nativetls.internal.ssl;

import io.nativetls.internal.jni.SslNative;
import java.io.ByteArrayInputStream;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.security.auth.x500.X500Principal;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLProtocolException;

/**
 * Owns one native connection (an SSL and its buffers) and is the target of the callbacks OpenSSL
 * makes during its handshake. Not thread-safe: the engine or socket that owns it serialises every
 * call, including {@link #close()}, under one lock.
 */
public final class SslHandle {
    /** What the owning engine or socket learns during the handshake. */
    public interface Listener {
        /** Called before the trust manager sees the chain, so the handshake session can show it. */
        void peerCertificates(X509Certificate[] chain, String protocol, String cipherSuite);

        /**
         * The signature algorithms the peer accepts (JDK names), before key or trust managers are
         * asked, since SunJSSE's check certificates against them through the handshake session.
         */
        void peerSignatureAlgorithms(String[] algorithms);

        /** A new resumable session (TLS 1.2 session, or a TLS 1.3 ticket); the listener owns handle. */
        void sessionCreated(SessionHandle handle, byte[] id, boolean tls13);

        /**
         * Server, TLS 1.2: the session a client asks to resume by id, or null for a full handshake.
         * serverName is the host name the ClientHello asks for, or null.
         */
        SessionHandle findSession(byte[] id, String serverName);

        /**
         * Server: whether a decrypted ticket carrying token, created at createdSeconds, may be used
         * by a ClientHello asking for serverName (or none: null).
         */
        boolean acceptTicket(byte[] token, long createdSeconds, String serverName);

        /** Server: what a ticket issued now carries to name its session when it comes back. */
        byte[] ticketToken();

        /**
         * Server, when the ClientHello arrives (before key managers are asked): the index of the
         * chosen protocol in the client's ALPN list, {@link #ALPN_NONE} to answer without ALPN, or
         * {@link #ALPN_FATAL} to fail with no_application_protocol. An empty list: the client
         * offered no ALPN.
         */
        int selectApplicationProtocol(List<String> offered);

        /** Server: the client asked for this host name; false fails with unrecognized_name. */
        boolean serverNameReceived(SNIHostName name);
    }

    /** Problems refuseRecord answers with an alert (the native side's codes). */
    public static final int REFUSE_UNEXPECTED = SslNative.REFUSE_UNEXPECTED;
    public static final int REFUSE_VERSION = SslNative.REFUSE_VERSION;
    public static final int REFUSE_LENGTH = SslNative.REFUSE_LENGTH;

    public static final int ALPN_NONE = SslNative.ALPN_NONE;
    public static final int ALPN_FATAL = SslNative.ALPN_FATAL;

    /** ALPN protocol ids are bytes; JSSE presents them as ISO-8859-1 strings, as SunJSSE does. */
    public static byte[] alpnWire(String[] protocols) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (String p : protocols) {
            byte[] id = p.getBytes(StandardCharsets.ISO_8859_1);
            if (id.length == 0 || id.length > 255) {
                throw new IllegalArgumentException("Invalid application protocol: \"" + p + "\"");
            }
            out.write(id.length);
            out.write(id, 0, id.length);
        }
        return out.toByteArray();
    }

    private static List<String> alpnList(byte[] wire) {
        List<String> out = new java.util.ArrayList<>();
        for (int at = 0; at < wire.length;) {
            int len = wire[at] & 0xff;
            if (len == 0 || at + 1 + len > wire.length) {
                break;
            }
            out.add(new String(wire, at + 1, len, StandardCharsets.ISO_8859_1));
            at += 1 + len;
        }
        return out;
    }

    private static final int TLS13_VERSION = 0x0304;

    /** Test builds check that no native call leaves errors behind on the thread's OpenSSL queue. */
    private static final boolean CHECK_ERROR_QUEUE = Boolean.getBoolean("io.nativetls.checkErrorQueue");
    private static final int X509_V_ERR_CERT_NOT_YET_VALID = 9;
    private static final int X509_V_ERR_CERT_HAS_EXPIRED = 10;
    private static final int X509_V_ERR_CERT_UNTRUSTED = 27;
    private static final int X509_V_ERR_APPLICATION_VERIFICATION = 50;
    private static final ThreadLocal<CertificateFactory> CERTIFICATE_FACTORY = ThreadLocal.withInitial(() -> {
        try {
            return CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("no X.509 certificate factory", e);
        }
    });

    private final SslContextHandle context;
    private final boolean client;
    private final Transport transport;
    private final Listener listener;
    private final Cleaner.Cleanable cleanable;
    private long conn;
    /**
     * Native calls that run OpenSSL's state machine on this connection and have not returned:
     * a callback inside one may call back into the engine on the same thread (its lock is
     * reentrant), and must then neither start another such call nor free the connection.
     */
    private int activeCalls;
    /** close() was called from inside a native call: the connection is freed when it returns. */
    private boolean closeRequested;
    /** An Error a callback met: rethrown from the native call that ran it, once that returns. */
    private Error callbackError;
    private Throwable pendingCause;
    private X509Certificate[] verifiedChain;
    private List<Credential> offered = List.of();
    private final DirectAddresses directAddresses = new DirectAddresses();

    SslHandle(SslContextHandle context, long conn, boolean client, Transport transport, Listener listener) {
        this.context = context;
        this.conn = conn;
        this.client = client;
        this.transport = transport;
        this.listener = listener;
        this.cleanable = NativeCleaner.CLEANER.register(this, () -> SslNative.connectionFree(conn));
    }

    /** Whether the connection is freed, or will be as soon as the native call now running returns. */
    public boolean isClosed() {
        return conn == 0 || closeRequested;
    }

    /** Whether a callback of this connection is running: its native call is still on the stack. */
    public boolean inCall() {
        return activeCalls > 0;
    }

    /** Throws IllegalStateException when called from inside one of this connection's callbacks. */
    public void checkNotInCall() {
        if (activeCalls > 0) {
            throw new IllegalStateException(REENTRANT_CALL);
        }
    }

    /** Why wrap, unwrap or a handshake step was refused: the caller is a callback of the same handshake. */
    public static final String REENTRANT_CALL = "wrap, unwrap and the handshake cannot be run from a callback of"
        + " the same connection's handshake (a trust or key manager, ALPN selector, SNI matcher or session"
        + " listener); do it after the call that ran the callback has returned";

    /**
     * Frees the native connection; later calls fail with IllegalStateException. From inside a
     * callback the free waits until the native call that made the callback has returned: OpenSSL
     * is still working on the connection then.
     */
    public void close() {
        if (activeCalls > 0) {
            closeRequested = true;
            return;
        }
        conn = 0;
        cleanable.clean();
    }

    /** Starts a native call that runs the handshake or the record layer; pairs with {@link #leave()}. */
    private long enter() {
        checkNotInCall();
        long handle = live();
        activeCalls++;
        return handle;
    }

    /** Ends a native call: carries out a close asked for meanwhile and rethrows a callback's Error. */
    private void leave() {
        activeCalls--;
        if (closeRequested) {
            closeRequested = false;
            close();
        }
        Error e = callbackError;
        if (e != null) {
            callbackError = null;
            pendingCause = null;
            throw e;
        }
    }

    private long live() {
        if (conn == 0) {
            throw new IllegalStateException("TLS connection already closed");
        }
        return conn;
    }

    public void configure(int protocols, String serverName, int clientAuth) {
        SslNative.connectionConfigure(live(), protocols, serverName, clientAuth);
    }

    void disableExtensions(int extensions) {
        SslNative.connectionDisableExtensions(live(), extensions);
    }

    void setCipherSuites(String tls12Ciphers, String tls13Suites) {
        SslNative.connectionSetCipherSuites(live(), tls12Ciphers, tls13Suites);
    }

    public void configureExtensions(byte[] alpnWire, boolean serverPreference, String signatureSchemes,
                                    String groups) {
        // Lists the SSL_CTX already has are not parsed again for each connection.
        SslNative.connectionSetExtensions(live(), alpnWire, serverPreference,
            signatureSchemes == null || signatureSchemes.equals(context.signatureSchemes) ? null : signatureSchemes,
            groups == null || groups.equals(context.groups) ? null : groups);
        checked(0);
    }

    /** The negotiated application protocol, or null if none has been (yet). */
    public String applicationProtocol() {
        byte[] id = conn == 0 ? null : SslNative.alpnSelected(conn);
        return id == null ? null : new String(id, StandardCharsets.ISO_8859_1);
    }

    public long handshake() throws SSLException {
        long handle = enter();
        try {
            return checked(SslNative.handshake(handle, this));
        } catch (SSLException e) {
            throw withCause(checkedFailure(e));
        } finally {
            leave();
        }
    }

    public long wrap(ByteBuffer src, int srcLength, ByteBuffer dst) throws SSLException {
        long handle = enter();
        try {
            return checked(SslNative.wrap(handle, this, address(src), array(src), offset(src), srcLength,
                address(dst), array(dst), offset(dst), dst.remaining()));
        } catch (SSLException e) {
            throw withCause(checkedFailure(e));
        } finally {
            leave();
        }
    }

    public long drain(ByteBuffer dst) {
        long handle = enter();
        try {
            return checked(SslNative.drain(handle, this, address(dst), array(dst), offset(dst), dst.remaining()));
        } finally {
            leave();
        }
    }

    /** Feeds exactly one whole record (recordLength bytes at src's position) to OpenSSL. */
    public long unwrap(ByteBuffer src, int recordLength, ByteBuffer dst) throws SSLException {
        long handle = enter();
        try {
            return checked(SslNative.unwrap(handle, this, address(src), array(src), offset(src), recordLength,
                address(dst), array(dst), offset(dst), dst.remaining()));
        } catch (SSLException e) {
            throw withCause(checkedFailure(e));
        } finally {
            leave();
        }
    }

    /** See {@link SslNative#refuseRecord}: the alert queued for a refused record header, or 0. */
    public int refuseRecord(int problem, boolean firstRecord) {
        return (int) checked(SslNative.refuseRecord(live(), this, problem, firstRecord));
    }

    private long address(ByteBuffer b) {
        return b.isDirect() ? directAddresses.of(b) : 0;
    }

    private static byte[] array(ByteBuffer b) {
        return b.isDirect() ? null : b.array();
    }

    /** Direct: the position (the native side adds the address); heap: the index in the array. */
    private static int offset(ByteBuffer b) {
        return b.isDirect() ? b.position() : b.arrayOffset() + b.position();
    }

    public long shutdown() {
        long handle = enter();
        try {
            return checked(SslNative.shutdown(handle, this));
        } finally {
            leave();
        }
    }

    private static long checked(long result) {
        if (CHECK_ERROR_QUEUE && !SslNative.errorQueueEmpty()) {
            throw new AssertionError("a native call left errors on this thread's OpenSSL error queue");
        }
        return result;
    }

    private static SSLException checkedFailure(SSLException e) {
        checked(0);
        return e;
    }

    public int pendingBytes() {
        return conn == 0 ? 0 : SslNative.pendingBytes(conn);
    }

    /** Offers a cached session to resume; false if it was released meanwhile. */
    public boolean offerSession(SessionHandle session) throws SSLException {
        long reference = session.acquire();
        if (reference == 0) {
            return false;
        }
        SslNative.connectionOfferSession(live(), reference);
        checked(0);
        return true;
    }

    public boolean sessionReused() {
        return SslNative.sessionReused(live());
    }

    public String[] sessionInfo() {
        return SslNative.sessionInfo(live());
    }

    public byte[] sessionId() {
        return SslNative.sessionId(live());
    }

    /** The peer's chain: as verified in this handshake, else as OpenSSL kept it (e.g. resumption). */
    public X509Certificate[] peerCertificates() throws SSLException {
        if (verifiedChain != null) {
            return verifiedChain.clone();
        }
        byte[][] der = SslNative.peerCertificates(live());
        return der == null ? null : decode(der);
    }

    /** The chain this side presented, or null. */
    public X509Certificate[] localCertificates() throws SSLException {
        if (offered.size() == 1) {
            return offered.get(0).chain.clone();
        }
        if (offered.isEmpty()) {
            return null;
        }
        byte[][] der = SslNative.localCertificates(live());
        return der == null ? null : decode(der);
    }

    /**
     * Attaches what a callback threw (the trust or key manager's reason) and repeats it in the
     * message, since that, not OpenSSL's summary, is what tells the user what to fix.
     */
    private SSLException withCause(SSLException e) {
        Throwable cause = pendingCause;
        pendingCause = null;
        if (cause == null || e.getCause() != null) {
            return e;
        }
        String message = e.getMessage() + "; caused by: " + cause;
        SSLException detailed = e instanceof SSLHandshakeException ? new SSLHandshakeException(message)
            : e instanceof SSLProtocolException ? new SSLProtocolException(message) : new SSLException(message);
        detailed.initCause(cause);
        return detailed;
    }

    /** The X509_V_ERR code whose alert says best why the trust manager refused. */
    private static int verifyError(Throwable refusal) {
        for (Throwable t = refusal; t != null; t = t.getCause()) {
            if (t instanceof CertificateExpiredException) {
                return X509_V_ERR_CERT_HAS_EXPIRED;
            }
            if (t instanceof CertificateNotYetValidException) {
                return X509_V_ERR_CERT_NOT_YET_VALID;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return refusal instanceof CertificateException ? X509_V_ERR_CERT_UNTRUSTED : X509_V_ERR_APPLICATION_VERIFICATION;
    }

    /** Client: the issuers the server's certificate request names (null when it names none). */
    private X500Principal[] requestedIssuers() {
        byte[][] names = SslNative.peerCaNames(live());
        if (names == null || names.length == 0) {
            return null;
        }
        List<X500Principal> out = new java.util.ArrayList<>(names.length);
        for (byte[] der : names) {
            if (der != null) {
                try {
                    out.add(new X500Principal(der));
                } catch (IllegalArgumentException e) {
                    // a name Java cannot parse cannot match any of its certificates
                }
            }
        }
        return out.toArray(new X500Principal[0]);
    }

    private static X509Certificate[] decode(byte[][] der) throws SSLException {
        try {
            CertificateFactory factory = CERTIFICATE_FACTORY.get();
            X509Certificate[] chain = new X509Certificate[der.length];
            for (int i = 0; i < der.length; i++) {
                chain[i] = (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der[i]));
            }
            return chain;
        } catch (CertificateException e) {
            throw new SSLHandshakeException("peer certificate cannot be parsed: " + e.getMessage());
        }
    }

    // ---- called by the native side, on the thread running the handshake --------------------

    /** A callback refused (or failed): its reason becomes the handshake failure's cause. */
    private void refused(Throwable t) {
        pendingCause = t;
        noteError(t);
    }

    /**
     * An Error (out of memory, stack overflow, a failed assertion) is not a verdict on the peer:
     * it leaves the native call as itself, as it would from SunJSSE, instead of as "certificate
     * verify failed". Kept until that call returns, since OpenSSL is still on the stack now.
     */
    private void noteError(Throwable t) {
        if (t instanceof Error && callbackError == null) {
            callbackError = (Error) t;
        }
    }

    /** What the native side found pending after an upcall (or while building one's arguments). */
    void upcallFailed(Throwable t) {
        refused(t);
    }

    /** Returns 0 when trusted, else the X509_V_ERR code OpenSSL turns into the alert. */
    int verifyPeer(byte[][] der, String authType, String protocol, String cipherSuite) {
        try {
            X509Certificate[] chain = decode(der);
            listener.peerSignatureAlgorithms(SignatureSchemes.jdkAlgorithms(SslNative.peerSignatureSchemes(live())));
            listener.peerCertificates(chain, protocol, cipherSuite);
            if (client) {
                context.verifier.verifyServer(chain, authType, transport);
            } else {
                context.verifier.verifyClient(chain, transport);
            }
            verifiedChain = chain;
            return 0;
        } catch (Throwable t) {
            refused(t);
            return verifyError(t);
        }
    }

    /** Takes the reference OpenSSL handed over; the listener keeps it or it is released now. */
    void sessionCreated(long session, byte[] id, int version) {
        SessionHandle handle = new SessionHandle(session);
        try {
            listener.sessionCreated(handle, id, version == TLS13_VERSION);
        } catch (Throwable t) {
            handle.release();
            noteError(t);
        }
    }

    /** A new reference for OpenSSL to the session with this id, or 0. */
    long findSession(byte[] id, String serverName) {
        try {
            SessionHandle handle = listener.findSession(id, serverName);
            return handle == null ? 0 : handle.acquire();
        } catch (Throwable t) {
            noteError(t);
            return 0;
        }
    }

    boolean acceptTicket(byte[] id, long createdSeconds, String serverName) {
        try {
            return listener.acceptTicket(id, createdSeconds, serverName);
        } catch (Throwable t) {
            noteError(t);
            return false;
        }
    }

    byte[] ticketToken() {
        try {
            return listener.ticketToken();
        } catch (Throwable t) {
            noteError(t);
            return null;
        }
    }

    int selectApplicationProtocol(byte[] offered) {
        try {
            return listener.selectApplicationProtocol(alpnList(offered));
        } catch (Throwable t) {
            refused(t);
            return ALPN_FATAL;
        }
    }

    boolean serverNameReceived(byte[] name) {
        try {
            return listener.serverNameReceived(new SNIHostName(name));
        } catch (Throwable t) {
            refused(t);
            return false;
        }
    }

    /** Native credential handles to load into this connection, or null to fail the handshake. */
    long[] selectCredentials() {
        try {
            int[] peerSchemes = SslNative.peerSignatureSchemes(live());
            listener.peerSignatureAlgorithms(SignatureSchemes.jdkAlgorithms(peerSchemes));
            List<Credential> chosen;
            if (client) {
                chosen = context.credentials.forClient(transport, requestedIssuers(), peerSchemes);
            } else if (Protocols.TLS13.equals(SslNative.sessionInfo(live())[0])) {
                // TLS 1.3 names no key type in its suites: the client's order of schemes picks the key.
                chosen = context.credentials.forServerTls13(transport, peerSchemes);
            } else {
                chosen = context.credentials.forServerTls12(transport, SslNative.serverKeyTypes(live()));
            }
            offered = chosen;
            long[] handles = new long[chosen.size()];
            for (int i = 0; i < handles.length; i++) {
                handles[i] = chosen.get(i).handle;
            }
            return handles;
        } catch (Throwable t) {
            refused(t);
            return null;
        }
    }
}
