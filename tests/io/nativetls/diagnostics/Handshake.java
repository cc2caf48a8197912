package io.nativetls.diagnostics;

import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * Runs a client and a server engine against each other in memory until neither moves, keeping
 * each side's first exception; after one side fails it keeps wrapping, so its alert reaches the
 * other side, which then fails with its own, received-alert exception.
 */
public final class Handshake {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    /** One engine, what reached it and has not been read yet, and how it failed. */
    public static final class Side {
        public final SSLEngine engine;
        public SSLException failure;
        private ByteBuffer inbound = ByteBuffer.allocate(0);
        private final ByteBuffer net;
        private final ByteBuffer app;

        Side(SSLEngine engine) {
            this.engine = engine;
            this.net = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
            this.app = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
        }
    }

    public final Side client;
    public final Side server;

    public Handshake(SSLEngine client, SSLEngine server) {
        client.setUseClientMode(true);
        server.setUseClientMode(false);
        this.client = new Side(client);
        this.server = new Side(server);
    }

    /** Returns whether both sides finished the handshake without an exception. */
    public boolean run() {
        begin(client);
        begin(server);
        for (int round = 0; round < 1000; round++) {
            boolean progress = wrap(client, server) | wrap(server, client) | unwrap(server) | unwrap(client);
            if (!progress) {
                return client.failure == null && server.failure == null && done(client) && done(server);
            }
        }
        throw new AssertionError("handshake did not settle in 1000 rounds");
    }

    private static void begin(Side s) {
        try {
            s.engine.beginHandshake();
        } catch (SSLException e) {
            s.failure = e;
        }
    }

    private static boolean done(Side s) {
        HandshakeStatus hs = s.engine.getHandshakeStatus();
        return hs == HandshakeStatus.NOT_HANDSHAKING || hs == HandshakeStatus.FINISHED;
    }

    private static boolean wrap(Side from, Side to) {
        boolean progress = false;
        for (int i = 0; i < 50 && !from.engine.isOutboundDone(); i++) {
            // A failed side keeps wrapping: that sends its alert.
            if (from.failure == null && from.engine.getHandshakeStatus() != HandshakeStatus.NEED_WRAP) {
                break;
            }
            SSLEngineResult r;
            try {
                r = from.engine.wrap(EMPTY, from.net);
            } catch (SSLException e) {
                if (from.failure == null) {
                    from.failure = e;
                }
                progress = true;
                continue;
            }
            runTasks(from.engine);
            if (r.bytesProduced() == 0) {
                break;
            }
            from.net.flip();
            ByteBuffer grown = ByteBuffer.allocate(to.inbound.remaining() + from.net.remaining());
            grown.put(to.inbound).put(from.net).flip();
            to.inbound = grown;
            from.net.clear();
            progress = true;
        }
        return progress;
    }

    private static boolean unwrap(Side s) {
        boolean progress = false;
        for (int i = 0; i < 200 && s.inbound.hasRemaining() && !s.engine.isInboundDone(); i++) {
            SSLEngineResult r;
            try {
                r = s.engine.unwrap(s.inbound, s.app);
            } catch (SSLException e) {
                if (s.failure == null) {
                    s.failure = e;
                }
                return true;
            }
            runTasks(s.engine);
            s.app.clear();
            if (r.bytesConsumed() + r.bytesProduced() == 0) {
                break;
            }
            progress = true;
        }
        return progress;
    }

    private static void runTasks(SSLEngine e) {
        Runnable task;
        while ((task = e.getDelegatedTask()) != null) {
            task.run();
        }
    }

    /** Every message in t's cause chain, joined, for assertions on what a user would read. */
    public static String describe(Throwable t) {
        StringBuilder out = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            out.append(c.getClass().getName()).append(": ").append(c.getMessage()).append(" | ");
        }
        return out.toString();
    }
}
