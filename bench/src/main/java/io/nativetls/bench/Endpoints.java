package io.nativetls.bench;

import javax.net.ssl.SSLEngine;

/**
 * A provider's client and server side for one {@link Tls} configuration: the contexts are made
 * once and shared by every thread; each call makes a new engine in its mode, with the
 * configuration's protocol and cipher suite enabled.
 */
public interface Endpoints extends AutoCloseable {
    /**
     * A client engine. With a null host the engine has no peer identity, so no provider looks up
     * or offers a cached session: every handshake is a full one. With a host and port the
     * provider's client session cache applies.
     */
    SSLEngine client(String host, int port);

    SSLEngine server();

    /** Gives back what an engine holds beyond the garbage collector's reach (Netty's engines). */
    default void release(SSLEngine engine) {}

    @Override
    default void close() {}
}
