package io.nativetls.internal.ssl;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * The engine or the socket a connection belongs to: key and trust managers are told which one
 * (their engine and socket methods differ), and read its parameters and handshake session.
 */
public final class Transport {
    final SSLEngine engine;
    final SSLSocket socket;

    private Transport(SSLEngine engine, SSLSocket socket) {
        this.engine = engine;
        this.socket = socket;
    }

    public static Transport of(SSLEngine engine) {
        return new Transport(engine, null);
    }

    /** A socket whose TLS runs in an engine: managers see the socket, as they would with SunJSSE. */
    public static Transport of(SSLSocket socket) {
        return new Transport(null, socket);
    }

    SSLParameters parameters() {
        return engine != null ? engine.getSSLParameters() : socket.getSSLParameters();
    }

    SSLSession handshakeSession() {
        return engine != null ? engine.getHandshakeSession() : socket.getHandshakeSession();
    }

    String peerHost() {
        if (engine != null) {
            return engine.getPeerHost();
        }
        SSLSession hs = socket.getHandshakeSession();
        return hs != null ? hs.getPeerHost() : null;
    }
}
