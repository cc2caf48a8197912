package io.nativetls.internal.jsse;

import io.nativetls.internal.ssl.SslContextHandle;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import javax.net.ssl.SSLSocket;

/**
 * Makes the engines that sockets and server sockets of one context run their TLS in, so both
 * factories share the context's SSL_CTX and session caches.
 */
final class SocketEngines {
    private final SslContextHandle context;
    private final NativeSslContextSpi owner;

    SocketEngines(SslContextHandle context, NativeSslContextSpi owner) {
        this.context = context;
        this.owner = owner;
    }

    /** An engine for socket; host and port are what the session cache keys on and SNI names. */
    NativeSslEngine create(String host, int port, SSLSocket socket) {
        return new NativeSslEngine(context, owner, host, port, socket);
    }

    /** An engine holding settings only (never started), for server sockets and unconnected sockets. */
    NativeSslEngine settings(boolean clientMode) {
        NativeSslEngine engine = new NativeSslEngine(context, owner, null, -1);
        engine.setUseClientMode(clientMode);
        return engine;
    }

    /** What a socket of that role enables by default (jdk.tls.{client,server}.cipherSuites, else NativeTLS's). */
    String[] defaultCipherSuites(boolean client) {
        ContextDefaults d = owner.defaults();
        return (client ? d.clientSuites : d.serverSuites).clone();
    }

    /** Copies what a user set on one engine onto a fresh one before its handshake. */
    static void copySettings(NativeSslEngine from, NativeSslEngine to) {
        to.setUseClientMode(from.getUseClientMode());
        to.setSSLParameters(from.getSSLParameters());
        to.setEnableSessionCreation(from.getEnableSessionCreation());
        to.setHandshakeApplicationProtocolSelector(from.getHandshakeApplicationProtocolSelector());
    }

    /** The name the address was made with, else its literal: never a reverse lookup. */
    static String hostString(InetAddress address) {
        return new InetSocketAddress(address, 0).getHostString();
    }
}
