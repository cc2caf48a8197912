package io.nativetls.internal.jsse;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;

/**
 * The client or the server session cache of one SSLContext. It is the only session cache:
 * OpenSSL's internal one is off (see native/sessions.c), so size, timeout and invalidation act on
 * resumption directly. Clients find sessions by peer host and port; servers by session id (TLS
 * 1.2 without tickets) or by the token each ticket carries.
 *
 * <p>One lock per context, held for a map operation once or twice per handshake and never on the
 * record path or while calling user code.
 */
final class NativeSessionContext implements SSLSessionContext {
    /** Guarded by itself; in insertion order, so the oldest entry is evicted first. */
    private final LinkedHashMap<SessionId, NativeSslSession> byId = new LinkedHashMap<>();
    /** Clients: the newest session per peer. Guarded by byId. */
    private final Map<String, NativeSslSession> byPeer = new HashMap<>();
    private volatile int timeoutSeconds = 86400;
    private volatile int cacheSize = 20480;

    // ---- clients ------------------------------------------------------------------------------

    /**
     * Records an established, resumable client session under its id and its peer. The session it
     * replaces for that peer leaves the cache: it would never be offered again.
     */
    void rememberClient(NativeSslSession session) {
        if (!session.isValid() || session.resumption() == null) {
            return;
        }
        String peer = peerKey(session.getPeerHost(), session.getPeerPort());
        NativeSslSession replaced;
        synchronized (byId) {
            add(new SessionId(session.getId()), session);
            replaced = peer == null ? null : byPeer.put(peer, session);
            if (replaced != null && replaced != session) {
                removeLocked(replaced);
            }
        }
        if (replaced != null && replaced != session) {
            replaced.releaseResumption();
        }
    }

    /** The newest valid session with this peer, or null. */
    NativeSslSession findClient(String host, int port) {
        String peer = peerKey(host, port);
        if (peer == null) {
            return null;
        }
        synchronized (byId) {
            NativeSslSession session = byPeer.get(peer);
            return session != null && session.isValid() ? session : null;
        }
    }

    private static String peerKey(String host, int port) {
        return host == null || port <= 0 ? null : host.toLowerCase(Locale.ROOT) + ":" + port;
    }

    // ---- servers ------------------------------------------------------------------------------

    /** Records an established server session under its id (a TLS 1.2 session id, or its tickets' token). */
    void rememberServer(byte[] id, NativeSslSession session) {
        if (id.length > 0 && session.isValid()) {
            synchronized (byId) {
                add(new SessionId(id), session);
            }
        }
    }

    /**
     * The valid session with this id or ticket token, or null. Only cached sessions resume, so
     * invalidation, eviction and the current timeout also end resumption by ticket.
     */
    NativeSslSession findServer(byte[] id) {
        NativeSslSession session;
        synchronized (byId) {
            session = byId.get(new SessionId(id));
        }
        return session != null && session.isValid() ? session : null;
    }

    // ---- shared -------------------------------------------------------------------------------

    private void add(SessionId id, NativeSslSession session) {
        if (byId.putIfAbsent(id, session) == null) {
            session.cacheKeys.add(id);
            evictBeyond(cacheSize);
        }
    }

    private void evictBeyond(int limit) {
        Iterator<Map.Entry<SessionId, NativeSslSession>> oldest = byId.entrySet().iterator();
        while (limit > 0 && byId.size() > limit && oldest.hasNext()) {
            NativeSslSession session = oldest.next().getValue();
            oldest.remove();
            removeLocked(session);
            session.releaseResumption();
        }
    }

    /** Drops every trace of session; called when it is invalidated. */
    void remove(NativeSslSession session) {
        synchronized (byId) {
            removeLocked(session);
        }
        session.releaseResumption();
    }

    private void removeLocked(NativeSslSession session) {
        for (Object key : session.cacheKeys) {
            byId.remove(key, session);
        }
        session.cacheKeys.clear();
        String peer = peerKey(session.getPeerHost(), session.getPeerPort());
        if (peer != null) {
            byPeer.remove(peer, session);
        }
    }

    boolean expired(long creationTimeMillis) {
        int timeout = timeoutSeconds;
        return timeout > 0 && System.currentTimeMillis() - creationTimeMillis > timeout * 1000L;
    }

    @Override
    public SSLSession getSession(byte[] sessionId) {
        if (sessionId == null) {
            throw new NullPointerException("sessionId");
        }
        NativeSslSession session;
        synchronized (byId) {
            session = byId.get(new SessionId(sessionId));
        }
        return session != null && session.isValid() ? session : null;
    }

    @Override
    public Enumeration<byte[]> getIds() {
        List<byte[]> ids = new ArrayList<>();
        synchronized (byId) {
            for (Map.Entry<SessionId, NativeSslSession> e : byId.entrySet()) {
                if (e.getValue().isValid()) {
                    ids.add(e.getKey().bytes.clone());
                }
            }
        }
        return Collections.enumeration(ids);
    }

    @Override
    public void setSessionTimeout(int seconds) {
        if (seconds < 0) {
            throw new IllegalArgumentException("timeout must not be negative");
        }
        timeoutSeconds = seconds;
    }

    @Override
    public int getSessionTimeout() {
        return timeoutSeconds;
    }

    @Override
    public void setSessionCacheSize(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("cache size must not be negative");
        }
        cacheSize = size;
        synchronized (byId) {
            evictBeyond(size);
        }
    }

    @Override
    public int getSessionCacheSize() {
        return cacheSize;
    }

    /** Session id bytes as a map key. */
    static final class SessionId {
        final byte[] bytes;
        private final int hash;

        SessionId(byte[] bytes) {
            this.bytes = bytes.clone();
            this.hash = Arrays.hashCode(bytes);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof SessionId && Arrays.equals(bytes, ((SessionId) o).bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
