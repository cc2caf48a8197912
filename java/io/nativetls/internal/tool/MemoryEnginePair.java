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

    /** Engines without a peer host, so every handshake is a full one (no client session cache entry). */
    MemoryEnginePair(SSLContext clientContext, SSLContext serverContext, String[] protocols, String[] suites) {
        client = clientContext.createSSLEngine();
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
        toServer = ByteBuffer.allocateDirect(packet * 4);
        toClient = ByteBuffer.allocateDirect(packet * 4);
        scratch = ByteBuffer.allocateDirect(Math.max(client.getSession().getApplicationBufferSize(),
            server.getSession().getApplicationBufferSize()) * 2);
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

    /** Closes both engines (frees native state at once rather than at the next GC). */
    void close() {
        client.closeOutbound();
        server.closeOutbound();
        for (SSLEngine e : new SSLEngine[] {client, server}) {
            try {
                e.closeInbound();
            } catch (SSLException expected) {
                // no close_notify was exchanged; nothing more to read anyway
            }
        }
    }
}
