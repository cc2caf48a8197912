package io.nativetls.internal.ssl;

import io.nativetls.internal.jni.SslNative;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLException;

/**
 * Owns one native connection (an SSL and its buffers): its lifetime, and the calls the engine or
 * socket makes on it. The callbacks OpenSSL makes during its handshake go to a
 * {@link HandshakeCallbacks} of this connection, which asks the listener. Not thread-safe: the
 * engine or socket that owns it serialises every call, including {@link #close()}, under one lock.
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

        /**
         * The chain this side sends, once it is known: a server's when the key manager's choice
         * leaves one credential, a client's when it answers the certificate request. The handshake
         * session then shows it to trust managers and other callbacks, as SunJSSE's does.
         */
        void localCertificates(X509Certificate[] chain);

        /**
         * Client: the OCSP responses the server stapled (DER, the leaf's first), before the trust
         * manager sees the chain, so the handshake session shows them to it as SunJSSE's does.
         */
        void peerStatusResponses(List<byte[]> responses);

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

        /**
         * Text to append to the message of a handshake failure OpenSSL reported (say, what this
         * side enables when the peers share no protocol or suite), decided from its numbers; null
         * for none. Asked while the native call that failed is still running.
         */
        default String failureHint(NativeFailure failure) {
            return null;
        }
    }

    /** Problems refuseRecord answers with an alert (the native side's codes). */
    public static final int REFUSE_UNEXPECTED = SslNative.REFUSE_UNEXPECTED;
    public static final int REFUSE_VERSION = SslNative.REFUSE_VERSION;
    public static final int REFUSE_LENGTH = SslNative.REFUSE_LENGTH;

    public static final int ALPN_NONE = SslNative.ALPN_NONE;
    public static final int ALPN_FATAL = SslNative.ALPN_FATAL;

    /** ALPN protocol ids are bytes; JSSE presents them as ISO-8859-1 strings, as SunJSSE does. */
    public static byte[] alpnWire(String[] protocols) {
        return AlpnWire.encode(protocols);
    }

    /** Test builds check that no native call leaves errors behind on the thread's OpenSSL queue. */
    private static final boolean CHECK_ERROR_QUEUE = Boolean.getBoolean("io.nativetls.checkErrorQueue");

    private final SslContextHandle context;
    private final Cleaner.Cleanable cleanable;
    /** The target of this connection's callbacks, handed to every native call that runs OpenSSL. */
    private final HandshakeCallbacks callbacks;
    private long conn;
    /**
     * Native calls that run OpenSSL's state machine on this connection and have not returned:
     * a callback inside one may call back into the engine on the same thread (its lock is
     * reentrant), and must then neither start another such call nor free the connection.
     */
    private int activeCalls;
    /** close() was called from inside a native call: the connection is freed when it returns. */
    private boolean closeRequested;
    private final DirectAddresses directAddresses = new DirectAddresses();

    SslHandle(SslContextHandle context, long conn, boolean client, Transport transport, Listener listener) {
        this.context = context;
        this.conn = conn;
        this.callbacks = new HandshakeCallbacks(context, client, transport, listener);
        this.cleanable = NativeCleaner.CLEANER.register(this, () -> SslNative.connectionFree(conn));
    }

    /** Whether the connection is freed, or will be as soon as the native call now running returns. */
    public boolean isClosed() {
        return conn == 0 || closeRequested;
    }

    /**
     * Trust (client) and key questions of this connection's handshake become delegated tasks:
     * the handshake pauses (a result's {@link RecordResult#needsTask}) until {@link #pendingTask}
     * has run, and the next wrap, unwrap or handshake call resumes it.
     */
    public void delegateTasks() {
        callbacks.delegateTasks();
    }

    /** The task the paused handshake waits for, or null. */
    public HandshakeTask pendingTask() {
        return callbacks.task();
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
        Error e = callbacks.takeError();
        if (e != null) {
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

    /** See {@link SslNative#connectionSetMaxPacketSize}. */
    public void setMaxPacketSize(int packet, int maxFragmentLength) {
        SslNative.connectionSetMaxPacketSize(live(), packet, maxFragmentLength);
    }

    void disableExtensions(int extensions) {
        SslNative.connectionDisableExtensions(live(), extensions);
    }

    void requestStatus() throws SSLException {
        SslNative.connectionRequestStatus(live());
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
        return conn == 0 ? null : AlpnWire.id(SslNative.alpnSelected(conn));
    }

    public long handshake() throws SSLException {
        long handle = enter();
        try {
            return checked(SslNative.handshake(handle, callbacks));
        } catch (SSLException e) {
            throw withCause(checkedFailure(e));
        } finally {
            leave();
        }
    }

    public long wrap(ByteBuffer src, int srcLength, ByteBuffer dst) throws SSLException {
        long handle = enter();
        try {
            return checked(SslNative.wrap(handle, callbacks, address(src), array(src), offset(src), srcLength,
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
            return checked(SslNative.drain(handle, callbacks, address(dst), array(dst), offset(dst), dst.remaining()));
        } finally {
            leave();
        }
    }

    /** Feeds exactly one whole record (recordLength bytes at src's position) to OpenSSL. */
    public long unwrap(ByteBuffer src, int recordLength, ByteBuffer dst) throws SSLException {
        long handle = enter();
        try {
            return checked(SslNative.unwrap(handle, callbacks, address(src), array(src), offset(src), recordLength,
                address(dst), array(dst), offset(dst), dst.remaining()));
        } catch (SSLException e) {
            throw withCause(checkedFailure(e));
        } finally {
            leave();
        }
    }

    /** See {@link SslNative#refuseRecord}: the alert queued for a refused record header, or 0. */
    public int refuseRecord(int problem, boolean firstRecord) {
        return (int) checked(SslNative.refuseRecord(live(), callbacks, problem, firstRecord));
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

    /** TLS 1.3: a KeyUpdate requesting the peer's, waiting in the pending output; the packed flags. */
    public long keyUpdate() throws SSLException {
        long handle = enter();
        try {
            return checked(SslNative.keyUpdate(handle, callbacks));
        } catch (SSLException e) {
            throw withCause(e);
        } finally {
            leave();
        }
    }

    public long shutdown() {
        long handle = enter();
        try {
            return checked(SslNative.shutdown(handle, callbacks));
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

    public String[] sessionInfo() {
        return SslNative.sessionInfo(live());
    }

    /**
     * Everything the engine reads when the handshake completes, in one native call. The chains Java
     * already holds (verified in this handshake, or the one credential offered) are not fetched.
     */
    public HandshakeSummary handshakeSummary() {
        callbacks.handshakeCompleted();
        X509Certificate[] verified = callbacks.verifiedChain();
        List<Credential> offered = callbacks.offered();
        Object[] s = SslNative.handshakeSummary(live(), verified == null, offered.size() > 1);
        Object peer = verified != null ? verified.clone() : s[SslNative.SUMMARY_PEER_CHAIN];
        Object local = offered.size() == 1 ? offered.get(0).chain.clone()
            : offered.isEmpty() ? null : s[SslNative.SUMMARY_LOCAL_CHAIN];
        return new HandshakeSummary((String) s[SslNative.SUMMARY_PROTOCOL], (String) s[SslNative.SUMMARY_CIPHER_SUITE],
            (String) s[SslNative.SUMMARY_PEER_SIGNATURE_SCHEME], (byte[]) s[SslNative.SUMMARY_SESSION_ID], peer, local,
            AlpnWire.id((byte[]) s[SslNative.SUMMARY_APPLICATION_PROTOCOL]), (Boolean) s[SslNative.SUMMARY_RESUMED],
            (String) s[SslNative.SUMMARY_GROUP]);
    }

    /** The failure with the reason a callback gave, if one refused during this call. */
    private SSLException withCause(SSLException e) {
        return FailureCause.attach(e, callbacks.takeCause());
    }
}
