package io.nativetls.internal.jsse;

import io.nativetls.internal.ssl.SessionHandle;
import io.nativetls.internal.ssl.SignatureSchemes;
import java.security.Principal;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSessionBindingEvent;
import javax.net.ssl.SSLSessionBindingListener;
import javax.net.ssl.SSLSessionContext;

/**
 * An SSLSession as JSSE users see it. The same class serves as the placeholder before a handshake
 * (invalid, SSL_NULL_WITH_NULL_NULL, with the real buffer sizes, since frameworks size their
 * buffers from it), as the handshake session trust managers read, and as the final session.
 */
final class NativeSslSession extends ExtendedSSLSession {
    /**
     * jsse.SSLEngine.acceptLargeFragments, read once as SunJSSE reads it: sessions then report
     * SunJSSE's larger sizes, so applications that size their buffers for peers sending oversized
     * records keep working. OpenSSL itself still refuses a record over 2^14 bytes of plaintext.
     */
    private static final boolean LARGE_FRAGMENTS = Boolean.getBoolean("jsse.SSLEngine.acceptLargeFragments");
    /** SunJSSE's sizes with acceptLargeFragments: 2^15 of plaintext, plus header and expansion. */
    private static final int LARGE_PACKET_BUFFER_SIZE = 33093;
    private static final int LARGE_APPLICATION_BUFFER_SIZE = 33088;
    static final String NULL_SUITE = "SSL_NULL_WITH_NULL_NULL";


    /** Per thread: one shared SecureRandom would be a lock every server handshake takes. */
    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(NativeSslSession::newRandom);

    private final NativeSessionContext sessionContext;
    /** The context's keys for this session (its id, or the ids of its tickets); kept by the context. */
    final Set<Object> cacheKeys = ConcurrentHashMap.newKeySet();
    private volatile SessionHandle resumption;
    private volatile String identification = "";
    private byte[] token;
    private final String peerHost;
    private final int peerPort;
    private final long creationTime = System.currentTimeMillis();
    private final Map<String, Object> values = new ConcurrentHashMap<>();
    private volatile long lastAccessedTime = creationTime;
    private volatile boolean valid;
    private volatile byte[] id = new byte[0];
    private volatile String protocol = "NONE";
    private volatile String cipherSuite = NULL_SUITE;
    private volatile X509Certificate[] peerCertificates;
    private volatile X509Certificate[] localCertificates;
    private volatile List<SNIServerName> requestedServerNames = List.of();
    private volatile String[] peerSignatureAlgorithms = new String[0];
    /** The OCSP responses the server stapled (client sessions; kept by resumptions, as SunJSSE's). */
    private volatile List<byte[]> statusResponses = List.of();
    /** TLS name of the scheme the peer signed the handshake that made this session with, or null. */
    private volatile String peerSignatureScheme;
    /** IANA name of the key exchange group of the latest handshake on this session, or null (none yet). */
    private volatile String group;

    NativeSslSession(NativeSessionContext sessionContext, String peerHost, int peerPort) {
        this.sessionContext = sessionContext;
        this.peerHost = peerHost;
        this.peerPort = peerPort;
    }

    void negotiating(String negotiatedProtocol, String suite) {
        if (negotiatedProtocol != null) {
            this.protocol = negotiatedProtocol;
        }
        if (suite != null) {
            this.cipherSuite = suite;
        }
    }

    void peerCertificates(X509Certificate[] chain) {
        this.peerCertificates = chain;
    }

    void localCertificates(X509Certificate[] chain) {
        this.localCertificates = chain;
    }

    void statusResponses(List<byte[]> responses) {
        this.statusResponses = List.copyOf(responses);
    }

    void peerSignatureAlgorithms(String[] algorithms) {
        this.peerSignatureAlgorithms = algorithms.clone();
    }

    void peerSignatureScheme(String scheme) {
        this.peerSignatureScheme = scheme;
    }

    /** See {@link #peerSignatureScheme(String)}; null when the peer signed nothing. */
    String peerSignatureScheme() {
        return peerSignatureScheme;
    }

    /**
     * The key exchange group a completed handshake on this session used (a TLS 1.2 resumption
     * reports the one of the handshake that made it, as OpenSSL does); null: none or not yet.
     */
    void group(String name) {
        this.group = name;
    }

    /** See {@link #group(String)}. */
    String group() {
        return group;
    }

    /** The peer's certificate chain, or null when it sent none. */
    X509Certificate[] peerChain() {
        X509Certificate[] chain = peerCertificates;
        return chain == null || chain.length == 0 ? null : chain;
    }

    void requestedServerNames(List<SNIServerName> names) {
        this.requestedServerNames = List.copyOf(names);
    }

    /**
     * The session is complete. An empty native id (TLS 1.3 before its ticket) becomes a random
     * one, as SunJSSE's TLS 1.3 sessions have, so the session can be found in its context.
     */
    void established(byte[] sessionId, String endpointIdentification) {
        byte[] chosen = sessionId.length > 0 ? sessionId : token();
        this.id = chosen.clone();
        this.identification = endpointIdentification == null ? "" : endpointIdentification;
        this.valid = true;
    }

    private static SecureRandom newRandom() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (java.security.NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }

    /** Random bytes that name this session in the tickets a server issues for it. */
    synchronized byte[] token() {
        if (token == null) {
            token = new byte[32];
            RANDOM.get().nextBytes(token);
        }
        return token.clone();
    }

    /** The endpoint identification the peer was checked with when this session was made. */
    String identification() {
        return identification;
    }

    /** The native session a new connection offers to resume this one, or null. */
    SessionHandle resumption() {
        SessionHandle r = resumption;
        return r == null || r.isReleased() ? null : r;
    }

    /** Replaces the native session to resume with (a client's newest ticket); the old one is released. */
    void resumption(SessionHandle handle) {
        SessionHandle old = resumption;
        resumption = handle;
        if (old != null && old != handle) {
            old.release();
        }
        if (!valid && id.length > 0) {
            handle.release(); // invalidated meanwhile: never offered again
        }
    }

    void releaseResumption() {
        SessionHandle old = resumption;
        if (old != null) {
            old.release();
        }
    }

    /** A handshake resumed this session: it was used now. */
    void accessed() {
        lastAccessedTime = System.currentTimeMillis();
    }

    @Override
    public byte[] getId() {
        return id.clone();
    }

    @Override
    public SSLSessionContext getSessionContext() {
        return sessionContext;
    }

    @Override
    public long getCreationTime() {
        return creationTime;
    }

    @Override
    public long getLastAccessedTime() {
        return lastAccessedTime;
    }

    @Override
    public void invalidate() {
        valid = false;
        sessionContext.remove(this);
    }

    @Override
    public boolean isValid() {
        return valid && !sessionContext.expired(creationTime);
    }

    @Override
    public void putValue(String name, Object value) {
        if (name == null || value == null) {
            throw new IllegalArgumentException("name and value must not be null");
        }
        Object old = values.put(name, value);
        if (old instanceof SSLSessionBindingListener) {
            ((SSLSessionBindingListener) old).valueUnbound(new SSLSessionBindingEvent(this, name));
        }
        if (value instanceof SSLSessionBindingListener) {
            ((SSLSessionBindingListener) value).valueBound(new SSLSessionBindingEvent(this, name));
        }
    }

    @Override
    public Object getValue(String name) {
        if (name == null) {
            throw new IllegalArgumentException("name must not be null");
        }
        return values.get(name);
    }

    @Override
    public void removeValue(String name) {
        if (name == null) {
            throw new IllegalArgumentException("name must not be null");
        }
        Object old = values.remove(name);
        if (old instanceof SSLSessionBindingListener) {
            ((SSLSessionBindingListener) old).valueUnbound(new SSLSessionBindingEvent(this, name));
        }
    }

    @Override
    public String[] getValueNames() {
        return values.keySet().toArray(new String[0]);
    }

    @Override
    public Certificate[] getPeerCertificates() throws SSLPeerUnverifiedException {
        X509Certificate[] chain = peerCertificates;
        if (chain == null || chain.length == 0) {
            throw new SSLPeerUnverifiedException("peer not authenticated");
        }
        return chain.clone();
    }

    @Override
    public Certificate[] getLocalCertificates() {
        X509Certificate[] chain = localCertificates;
        return chain == null ? null : chain.clone();
    }

    @Override
    @SuppressWarnings({"deprecation", "removal"})
    public javax.security.cert.X509Certificate[] getPeerCertificateChain() throws SSLPeerUnverifiedException {
        throw new UnsupportedOperationException("javax.security.cert is deprecated; use getPeerCertificates()");
    }

    @Override
    public Principal getPeerPrincipal() throws SSLPeerUnverifiedException {
        return ((X509Certificate) getPeerCertificates()[0]).getSubjectX500Principal();
    }

    @Override
    public Principal getLocalPrincipal() {
        X509Certificate[] chain = localCertificates;
        return chain == null || chain.length == 0 ? null : chain[0].getSubjectX500Principal();
    }

    @Override
    public String getCipherSuite() {
        return cipherSuite;
    }

    @Override
    public String getProtocol() {
        return protocol;
    }

    @Override
    public String getPeerHost() {
        return peerHost;
    }

    @Override
    public int getPeerPort() {
        return peerPort;
    }

    @Override
    public int getPacketBufferSize() {
        return LARGE_FRAGMENTS ? LARGE_PACKET_BUFFER_SIZE : RecordFraming.MAX_RECORD;
    }

    @Override
    public int getApplicationBufferSize() {
        return LARGE_FRAGMENTS ? LARGE_APPLICATION_BUFFER_SIZE : RecordFraming.MAX_PLAINTEXT;
    }

    @Override
    public String[] getLocalSupportedSignatureAlgorithms() {
        // SunJSSE's trust managers check the peer's chain against these: ML-DSA-65 must be among
        // them (where OpenSSL has it) for an ML-DSA-signed chain to pass.
        return SignatureSchemes.localJdkAlgorithms();
    }

    @Override
    public String[] getPeerSupportedSignatureAlgorithms() {
        return peerSignatureAlgorithms.clone();
    }

    @Override
    public List<SNIServerName> getRequestedServerNames() {
        return requestedServerNames;
    }

    @Override
    public List<byte[]> getStatusResponses() {
        List<byte[]> responses = statusResponses;
        if (responses.isEmpty()) {
            return Collections.emptyList();
        }
        // Copies, as SunJSSE hands out: the caller may change what it gets.
        List<byte[]> copies = new java.util.ArrayList<>(responses.size());
        for (byte[] r : responses) {
            copies.add(r.clone());
        }
        return Collections.unmodifiableList(copies);
    }

    @Override
    public String toString() {
        return "NativeSslSession[" + protocol + ", " + cipherSuite + ", " + peerHost + ":" + peerPort + "]";
    }

}
