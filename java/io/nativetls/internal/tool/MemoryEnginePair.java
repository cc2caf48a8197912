package io.nativetls.internal.tool;

import java.nio.ByteBuffer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * A client and a server SSLEngine joined by two in-memory buffers, for the benchmark: no sockets,
 * so what is measured is the TLS implementation alone.
 */
final class MemoryEnginePair {
    private static final int MAX_STEPS = 1_000;

    final SSLEngine client;
    final SSLEngine server;
    private final ByteBuffer toServer;
    private final ByteBuffer toClient;
    private final ByteBuffer scratch;

    /**
     * The in-memory link's buffers, made once and reused by every pair on one thread, as the JMH
     * suite's link is: a few hundred KiB of new direct memory per connection would be measured too.
     */
    static final class Wire {
        private ByteBuffer toServer;
        private ByteBuffer toClient;
        private ByteBuffer scratch;

        /** Empty buffers at least this large (packet: a record; app: a record's plaintext). */
        void prepare(int packet, int app) {
            if (toServer == null || toServer.capacity() < packet * 4 || scratch.capacity() < app * 2) {
                toServer = ByteBuffer.allocateDirect(packet * 4);
                toClient = ByteBuffer.allocateDirect(packet * 4);
                scratch = ByteBuffer.allocateDirect(app * 2);
            }
            toServer.clear();
            toClient.clear();
            scratch.clear();
        }
    }

    /**
     * Engines for one connection. Not resumable: the client has no peer host, so every handshake is a
     * full one (no client session cache entry). Resumable: the client names localhost:443, so its
     * context's cache offers the session of the connection before.
     */
    MemoryEnginePair(Wire wire, SSLContext clientContext, SSLContext serverContext, String[] protocols,
                     String[] suites, boolean resumable) {
        client = resumable ? clientContext.createSSLEngine("localhost", 443) : clientContext.createSSLEngine();
        client.setUseClientMode(true);
        server = serverContext.createSSLEngine();
        server.setUseClientMode(false);
        for (SSLEngine e : new SSLEngine[] {client, server}) {
            e.setEnabledProtocols(protocols);
            if (suites != null) {
                e.setEnabledCipherSuites(suites);
            }
        }
        int packet = Math.max(client.getSession().getPacketBufferSize(), server.getSession().getPacketBufferSize());
        wire.prepare(packet, Math.max(client.getSession().getApplicationBufferSize(),
            server.getSession().getApplicationBufferSize()));
        toServer = wire.toServer;
        toClient = wire.toClient;
        scratch = wire.scratch;
    }

    void handshake() throws SSLException {
        client.beginHandshake();
        server.beginHandshake();
        for (int i = 0; i < MAX_STEPS; i++) {
            step(client, toServer, toClient);
            step(server, toClient, toServer);
            if (done(client) && done(server)) {
                return;
            }
        }
        throw new SSLException("the in-memory handshake did not finish in " + MAX_STEPS + " steps");
    }

    private static boolean done(SSLEngine e) {
        HandshakeStatus hs = e.getHandshakeStatus();
        return hs == HandshakeStatus.NOT_HANDSHAKING || hs == HandshakeStatus.FINISHED;
    }

    private void step(SSLEngine engine, ByteBuffer out, ByteBuffer in) throws SSLException {
        switch (engine.getHandshakeStatus()) {
            case NEED_TASK:
                Runnable task;
                while ((task = engine.getDelegatedTask()) != null) {
                    task.run();
                }
                break;
            case NEED_WRAP:
                check(engine.wrap(ByteBuffer.allocate(0), out));
                break;
            case NEED_UNWRAP:
            case NEED_UNWRAP_AGAIN:
                in.flip();
                try {
                    scratch.clear();
                    check(engine.unwrap(in, scratch));
                } finally {
                    in.compact();
                }
                break;
            default:
                break;
        }
    }

    private static void check(SSLEngineResult r) throws SSLException {
        if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW || r.getStatus() == SSLEngineResult.Status.CLOSED) {
            throw new SSLException("unexpected " + r.getStatus() + " during the in-memory handshake");
        }
    }

    /**
     * Sends src from the client to the server: wrap into records, unwrap into dst (cleared first).
     * Returns the plaintext bytes that arrived.
     */
    int transfer(ByteBuffer src, ByteBuffer dst) throws SSLException {
        dst.clear();
        toServer.clear();
        while (src.hasRemaining()) {
            SSLEngineResult w = client.wrap(src, toServer);
            if (w.getStatus() != SSLEngineResult.Status.OK) {
                throw new SSLException("wrap: " + w.getStatus());
            }
        }
        toServer.flip();
        while (toServer.hasRemaining()) {
            SSLEngineResult u = server.unwrap(toServer, dst);
            if (u.getStatus() != SSLEngineResult.Status.OK) {
                throw new SSLException("unwrap: " + u.getStatus());
            }
        }
        return dst.position();
    }

    /**
     * One byte from the server to the client after the handshake: in TLS 1.3 the client reads the
     * server's tickets on the way, which the next connection needs to resume.
     */
    void respond() throws SSLException {
        ByteBuffer one = ByteBuffer.wrap(new byte[] {'.'});
        // After what the handshake left unread (the tickets): the client must read those first.
        while (one.hasRemaining()) {
            SSLEngineResult w = server.wrap(one, toClient);
            if (w.getStatus() != SSLEngineResult.Status.OK) {
                throw new SSLException("wrap: " + w.getStatus());
            }
        }
        toClient.flip();
        scratch.clear();
        while (toClient.hasRemaining() && scratch.position() == 0) {
            SSLEngineResult u = client.unwrap(toClient, scratch);
            if (u.getStatus() != SSLEngineResult.Status.OK) {
                throw new SSLException("unwrap: " + u.getStatus());
            }
        }
        toClient.compact();
        if (scratch.position() != 1) {
            throw new SSLException("the server's byte did not arrive");
        }
    }

    /**
     * Closes the connection as an application does: the client's close_notify, the server's answer,
     * each read by the other side (a session is then kept as resumable). If the exchange cannot
     * finish, both engines are closed anyway, so their native state is freed at once.
     */
    void close() {
        try {
            client.closeOutbound();
            for (int i = 0; i < MAX_STEPS && !(client.isInboundDone() && server.isInboundDone()
                && client.isOutboundDone() && server.isOutboundDone()); i++) {
                closeStep(client, toServer, toClient);
                closeStep(server, toClient, toServer);
            }
        } catch (SSLException e) {
            // the peer already went away: nothing more to exchange
        }
        for (SSLEngine e : new SSLEngine[] {client, server}) {
            e.closeOutbound();
            try {
                e.closeInbound();
            } catch (SSLException expected) {
                // no close_notify arrived; nothing more to read anyway
            }
        }
    }

    private void closeStep(SSLEngine engine, ByteBuffer out, ByteBuffer in) throws SSLException {
        if (!engine.isOutboundDone()) {
            engine.wrap(ByteBuffer.allocate(0), out);
        }
        in.flip();
        try {
            while (in.hasRemaining() && !engine.isInboundDone()) {
                scratch.clear();
                SSLEngineResult r = engine.unwrap(in, scratch);
                if (r.bytesConsumed() == 0) {
                    break;
                }
            }
        } finally {
            in.compact();
        }
    }
}
