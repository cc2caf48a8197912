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

    /**
     * An engine for socket with the given settings, which it owns from then on; host and port
     * are what the session cache keys on and SNI names.
     */
    NativeSslEngine create(String host, int port, SSLSocket socket, EngineConfig settings) {
        return new NativeSslEngine(context, owner, host, port, socket, settings);
    }

    /** Fresh settings for the role, as a new engine of this context has them. */
    EngineConfig settings(boolean clientMode) {
        EngineConfig settings = new EngineConfig(owner.defaults());
        settings.setUseClientMode(clientMode);
        return settings;
    }

    /** What a socket of that role enables by default (jdk.tls.{client,server}.cipherSuites, else NativeTLS's). */
    String[] defaultCipherSuites(boolean client) {
        ContextDefaults d = owner.defaults();
        return (client ? d.clientSuites : d.serverSuites).clone();
    }

    /** The name the address was made with, else its literal: never a reverse lookup. */
    static String hostString(InetAddress address) {
        return new InetSocketAddress(address, 0).getHostString();
    }
}
