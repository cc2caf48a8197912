package io.nativetls.internal.jsse;

import io.nativetls.internal.ssl.SessionHandle;
import io.nativetls.internal.ssl.SslHandle;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLException;

/**
 * What one engine does with sessions: the handshake session trust and key managers read while
 * the handshake runs, the cached session a client offers, the one a server agrees to resume, the
 * final session users see, and publishing what OpenSSL made to the context's caches. Whether a
 * cached session may be used at all is {@link ResumptionRules}'; this class applies the answer.
 *
 * <p>Guarded by the owning engine's lock, except the handshake session, which callbacks and other
 * threads read without it.
 */
final class EngineSessions {
    private final NativeSslContextSpi owner;
    private final EngineConfig config;
    private final String peerHost;
    private final int peerPort;

    private NativeSslSession session;
    private NativeSslSession nullSession;
    private volatile NativeSslSession handshakeSession;
    /** Client: the cached session offered to resume, if any. */
    private NativeSslSession offered;
    /**
     * The native session OpenSSL made during the handshake (client: to offer next time; server:
     * a TLS 1.2 session a client may ask for by id), kept once the final session object is known.
     */
    private SessionHandle newSession;
    private byte[] newSessionId;
    /** Server: the cached session the client's ticket or session id names, if still resumable. */
    private NativeSslSession resumeCandidate;
    /** Server: a ticket was issued in this handshake, so the session is known by its token. */
    private boolean ticketIssued;

    EngineSessions(NativeSslContextSpi owner, EngineConfig config, String peerHost, int peerPort) {
        this.owner = owner;
        this.config = config;
        this.peerHost = peerHost;
        this.peerPort = peerPort;
    }

    /** The final session; null before the handshake completed. */
    NativeSslSession current() {
        return session;
    }

    /** What getSession shows: the final session, else an invalid placeholder (the same one each time). */
    NativeSslSession shown() {
        if (session != null) {
            return session;
        }
        if (nullSession == null) {
            nullSession = new NativeSslSession(cache(), peerHost, peerPort);
        }
        return nullSession;
    }

    /** The session being negotiated; null when no handshake runs. */
    NativeSslSession handshake() {
        return handshakeSession;
    }

    // ---- the handshake starts -----------------------------------------------------------------

    /** The handshake starts, asking for serverName (client) or none (null). */
    void begin(String serverName) {
        NativeSslSession hs = new NativeSslSession(cache(), peerHost, peerPort);
        if (serverName != null) {
            hs.requestedServerNames(List.of(new SNIHostName(serverName)));
        }
        handshakeSession = hs;
    }

    /** Client: offers the newest session with this peer, if this engine could have made it. */
    void offerCached(SslHandle ssl, String serverName) throws SSLException {
        NativeSslSession cached = cache().findClient(peerHost, peerPort);
        if (cached == null) {
            return;
        }
        SessionHandle resumption = cached.resumption();
        if (resumption == null || !ResumptionRules.clientMayOffer(cached, config, serverName)) {
            return;
        }
        if (ssl.offerSession(resumption)) {
            offered = cached;
        }
    }

    // ---- during the handshake (callbacks) -----------------------------------------------------

    void peerCertificates(X509Certificate[] chain, String protocol, String cipherSuite) {
        NativeSslSession hs = handshakeSession;
        if (hs != null) {
            hs.negotiating(protocol, cipherSuite);
            hs.peerCertificates(chain);
        }
    }

    void peerSignatureAlgorithms(String[] algorithms) {
        NativeSslSession hs = handshakeSession;
        if (hs != null) {
            hs.peerSignatureAlgorithms(algorithms);
        }
    }

    /** Client: the server's stapled OCSP responses, shown by the handshake session (and kept by the final one). */
    void peerStatusResponses(List<byte[]> responses) {
        NativeSslSession hs = handshakeSession;
        if (hs != null) {
            hs.statusResponses(responses);
        }
    }

    /** The chain this side sends, shown by the handshake session from now on. */
    void localCertificates(X509Certificate[] chain) {
        NativeSslSession hs = handshakeSession;
        if (hs != null) {
            hs.localCertificates(chain);
        } else if (session != null) {
            session.localCertificates(chain); // TLS 1.3 post-handshake authentication: sent now
        }
    }

    /** Server: the name the client asked for, shown by the handshake session (and kept by the final one). */
    void serverNameRequested(SNIHostName name) {
        NativeSslSession hs = handshakeSession;
        if (hs != null) {
            hs.requestedServerNames(List.of(name));
        }
    }

    /** Server, TLS 1.2: the session a client asks for by id, if it may be resumed. */
    SessionHandle find(byte[] id, String serverName) {
        NativeSslSession found = owner.sessionContext(false).findServer(id);
        if (found != null && !ResumptionRules.serverMayResume(found, config, serverName)) {
            found = null;
        }
        resumeCandidate = found;
        return found == null ? null : found.resumption();
    }

    /** Server: whether the session a ticket names may be resumed. */
    boolean acceptTicket(byte[] token, long createdSeconds, String serverName) {
        NativeSessionContext cache = owner.sessionContext(false);
        NativeSslSession found = cache.findServer(token);
        if (found == null || cache.expired(createdSeconds * 1000)
            || !ResumptionRules.serverMayResume(found, config, serverName)) {
            return false;
        }
        resumeCandidate = found;
        return true;
    }

    /**
     * Server: the token a ticket issued now carries, naming the session it resumes or makes; a
     * TLS 1.2 server issuing one also sends it as the session id (see native/sessions.c).
     */
    byte[] ticketToken() {
        ticketIssued = true;
        NativeSslSession target = resumeCandidate != null ? resumeCandidate : handshakeSession;
        return target != null ? target.token() : null;
    }

    /**
     * OpenSSL made a resumable session (the handle is ours now); established: the handshake has
     * completed already (TLS 1.3 tickets come after it), so it can be published at once.
     */
    void created(SessionHandle handle, byte[] id, boolean tls13, boolean established) {
        if (!config.clientMode && (tls13 || id.length == 0 || ticketIssued)) {
            handle.release(); // tickets carry these sessions (their id is the token); the server keeps nothing native
            return;
        }
        releaseNew();
        newSession = handle;
        newSessionId = id;
        if (established && session != null && session.isValid()) {
            publish();
        }
    }

    // ---- the handshake completes --------------------------------------------------------------

    /**
     * The existing session object a resumed handshake (reused: OpenSSL says so) continues, so
     * users see the same SSLSession; null for a full handshake, or if that object was invalidated.
     */
    NativeSslSession resumed(boolean reused) {
        if (!reused) {
            return null;
        }
        NativeSslSession found = config.clientMode ? offered : resumeCandidate;
        return found != null && found.isValid() ? found : null;
    }

    /** A full handshake: the handshake session becomes the new session, with what OpenSSL negotiated. */
    NativeSslSession made(String protocol, String cipherSuite, String peerSignatureScheme, X509Certificate[] peer,
                          X509Certificate[] local, byte[] nativeId) {
        NativeSslSession s = handshakeSession;
        s.negotiating(protocol, cipherSuite);
        s.peerSignatureScheme(peerSignatureScheme);
        s.peerCertificates(peer);
        s.localCertificates(local);
        // A server session known by its tickets' token (or without an id) is named by that token.
        boolean byToken = !config.clientMode && (ticketIssued || nativeId.length == 0);
        s.established(byToken ? s.token() : nativeId, config.endpointIdentification);
        return s;
    }

    /**
     * s is the connection's session from now on. Only a resumed session counts as accessed now:
     * a new one reports its creation time until it is used again, as SunJSSE's do. group: the
     * key exchange group the handshake's summary names (a TLS 1.3 resumption exchanges a new key).
     */
    void established(NativeSslSession s, String group) {
        s.group(group);
        if (s != handshakeSession) {
            s.accessed();
        }
        session = s;
        handshakeSession = null;
        offered = null;
    }

    /** Hands what OpenSSL reported during the handshake (or after it: TLS 1.3 tickets) to the cache. */
    void publish() {
        NativeSessionContext cache = cache();
        SessionHandle handle = newSession;
        byte[] handleId = newSessionId;
        newSession = null;
        newSessionId = null;
        if (config.clientMode) {
            if (handle != null) {
                session.resumption(handle);
            }
            cache.rememberClient(session);
            return;
        }
        cache.rememberServer(session.getId(), session);
        if (handle != null) {
            if (Arrays.equals(handleId, session.getId())) {
                session.resumption(handle); // a TLS 1.2 session clients may ask for by id
            } else {
                handle.release();
            }
        }
    }

    // ---- the connection ends ------------------------------------------------------------------

    /** After a failure nothing of this connection may be resumed. */
    void invalidate() {
        NativeSslSession hs = handshakeSession;
        if (hs != null) {
            hs.invalidate();
        }
        if (session != null) {
            session.invalidate();
        }
        if (offered != null) {
            offered.invalidate();
            offered = null;
        }
        releaseNew();
        handshakeSession = null;
    }

    /** A native session reported but never handed to a cache (the connection failed or ended first). */
    void releaseNew() {
        if (newSession != null) {
            newSession.release();
            newSession = null;
        }
    }

    private NativeSessionContext cache() {
        return owner.sessionContext(config.clientMode);
    }
}
