package io.nativetls.bench;

import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;

/**
 * Connects a client and a server SSLEngine in memory: what one side wraps goes into a buffer the
 * other side unwraps from, with no sockets and no copies in between. One link per thread; its
 * buffers are reused for every connection it carries, so the measured work is the engines' own.
 *
 * <p>The same code drives every provider. Delegated tasks run inline on the calling thread.
 */
public final class MemoryLink {
    private static final int NET_CAPACITY = 64 * 1024;
    private static final int APP_CAPACITY = 64 * 1024;
    private static final int MAX_ROUNDS = 64;
    /** -Dbench.trace=true prints every wrap and unwrap (to debug a provider that stalls). */
    private static final boolean TRACE = Boolean.getBoolean("bench.trace");

    private final boolean direct;
    private final ByteBuffer empty = ByteBuffer.allocate(0);
    /** Client to server wire, in write mode (wrap appends; the server unwraps from it flipped). */
    private final ByteBuffer c2s;
    /** Server to client wire. */
    private final ByteBuffer s2c;
    private final ByteBuffer clientApp;
    private final ByteBuffer serverApp;
    /**
     * Whether the last result of each side asked for a wrap. Followed as well as
     * getHandshakeStatus(): Netty's engine reports NOT_HANDSHAKING from getHandshakeStatus() once
     * its handshake is done even while its last Finished is still to be wrapped, and says
     * NEED_WRAP only in the result.
     */
    private boolean clientWantsWrap;
    private boolean serverWantsWrap;

    public MemoryLink(boolean direct) {
        this.direct = direct;
        c2s = allocate(NET_CAPACITY);
        s2c = allocate(NET_CAPACITY);
        clientApp = allocate(APP_CAPACITY);
        serverApp = allocate(APP_CAPACITY);
    }

    public ByteBuffer allocate(int n) {
        return direct ? ByteBuffer.allocateDirect(n) : ByteBuffer.allocate(n);
    }

    /**
     * Runs a handshake to completion, including what the server sends right after it (TLS 1.3
     * tickets), so both wires end empty. When {@code flight} is not null the server's first flight
     * is read into it (see {@link Wire}).
     */
    public void handshake(SSLEngine client, SSLEngine server, Wire.ServerFlight flight) throws SSLException {
        c2s.clear();
        s2c.clear();
        clientWantsWrap = false;
        serverWantsWrap = false;
        client.beginHandshake();
        server.beginHandshake();
        boolean inspecting = flight != null;
        for (int round = 0; round < MAX_ROUNDS; round++) {
            boolean progress = wrap(client, c2s, true);
            progress |= unwrap(server, c2s, serverApp, false);
            progress |= wrap(server, s2c, false);
            if (inspecting && s2c.position() > 0) {
                ByteBuffer view = s2c.duplicate().flip();
                inspecting = !Wire.inspectServerFlight(view, flight);
            }
            progress |= unwrap(client, s2c, clientApp, true);
            if (!clientWantsWrap && !serverWantsWrap && idle(client) && idle(server) && c2s.position() == 0
                && s2c.position() == 0) {
                return;
            }
            if (!progress) {
                throw new SSLException("handshake stalled: " + state(client, server));
            }
        }
        throw new SSLException("handshake did not finish in " + MAX_ROUNDS + " rounds: " + state(client, server));
    }

    /** The client closes; the server answers with its own close_notify; both end closed both ways. */
    public void close(SSLEngine client, SSLEngine server) throws SSLException {
        c2s.clear();
        s2c.clear();
        client.closeOutbound();
        for (int round = 0; round < MAX_ROUNDS; round++) {
            boolean progress = flushClosing(client, c2s);
            progress |= unwrap(server, c2s, serverApp, false);
            if (server.isInboundDone() && !server.isOutboundDone()) {
                server.closeOutbound();
            }
            progress |= flushClosing(server, s2c);
            progress |= unwrap(client, s2c, clientApp, true);
            if (client.isOutboundDone() && server.isOutboundDone() && client.isInboundDone() && server.isInboundDone()) {
                // BCJSSE's client is done both ways as soon as it sent its close_notify, so the
                // server's answer may be left on the wire, unread.
                return;
            }
            if (!progress) {
                throw new SSLException("close stalled: " + state(client, server));
            }
        }
        throw new SSLException("close did not finish: " + state(client, server));
    }

    /**
     * One bulk operation: {@code from} wraps all of src (position to limit), {@code to} unwraps all
     * of it. Returns the number of application bytes {@code to} received.
     */
    public int transfer(SSLEngine from, SSLEngine to, ByteBuffer src) throws SSLException {
        ByteBuffer wire = c2s;
        ByteBuffer app = serverApp;
        wire.clear();
        while (src.hasRemaining()) {
            SSLEngineResult r = from.wrap(src, wire);
            if (r.getStatus() != Status.OK || r.bytesConsumed() == 0) {
                throw new SSLException("wrap during transfer: " + r);
            }
        }
        wire.flip();
        int received = 0;
        while (wire.hasRemaining()) {
            SSLEngineResult r = to.unwrap(wire, app);
            if (r.getStatus() != Status.OK || r.bytesConsumed() == 0) {
                throw new SSLException("unwrap during transfer: " + r);
            }
            received += r.bytesProduced();
            app.clear();
        }
        wire.clear();
        return received;
    }

    private static boolean idle(SSLEngine e) {
        HandshakeStatus hs = e.getHandshakeStatus();
        return hs == HandshakeStatus.NOT_HANDSHAKING || hs == HandshakeStatus.FINISHED;
    }

    private void wantsWrap(boolean client, boolean wants) {
        if (client) {
            clientWantsWrap = wants;
        } else {
            serverWantsWrap = wants;
        }
    }

    /** Wraps while the engine asks to. */
    private boolean wrap(SSLEngine e, ByteBuffer out, boolean client) throws SSLException {
        boolean progress = false;
        for (int i = 0; i < 32; i++) {
            HandshakeStatus hs = e.getHandshakeStatus();
            if (hs == HandshakeStatus.NEED_TASK) {
                runTasks(e);
                progress = true;
                continue;
            }
            if ((hs != HandshakeStatus.NEED_WRAP && !(client ? clientWantsWrap : serverWantsWrap)) || e.isOutboundDone()) {
                break;
            }
            SSLEngineResult r = e.wrap(empty, out);
            trace(client, "wrap", r, e);
            if (r.getStatus() == Status.BUFFER_OVERFLOW) {
                throw new SSLException("wrap overflowed a " + out.capacity() + "-byte buffer: " + r);
            }
            if (r.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                runTasks(e);
            }
            wantsWrap(client, r.getHandshakeStatus() == HandshakeStatus.NEED_WRAP && r.bytesProduced() > 0);
            if (r.bytesProduced() == 0) {
                break;
            }
            progress = true;
        }
        return progress;
    }

    /** Wraps whatever a closing engine still has to send (its close_notify). */
    private boolean flushClosing(SSLEngine e, ByteBuffer out) throws SSLException {
        boolean progress = false;
        for (int i = 0; i < 8 && !e.isOutboundDone(); i++) {
            SSLEngineResult r = e.wrap(empty, out);
            if (r.getStatus() == Status.BUFFER_OVERFLOW) {
                throw new SSLException("wrap overflowed a " + out.capacity() + "-byte buffer: " + r);
            }
            if (r.bytesProduced() == 0) {
                break;
            }
            progress = true;
        }
        return progress;
    }

    /**
     * Unwraps everything that reached the engine, discarding any application data. When the wire
     * is drained while the engine still says NEED_UNWRAP, it is given one more unwrap with nothing
     * in it: Netty's engine, having read the client's Finished, completes its side of the handshake
     * (and writes its tickets) only on a further call, as Netty's SslHandler makes one.
     */
    private boolean unwrap(SSLEngine e, ByteBuffer in, ByteBuffer app, boolean client) throws SSLException {
        if (in.position() == 0) {
            return false;
        }
        boolean progress = false;
        in.flip();
        try {
            boolean nudged = false;
            while (!e.isInboundDone()) {
                if (!in.hasRemaining()) {
                    if (nudged || e.getHandshakeStatus() != HandshakeStatus.NEED_UNWRAP) {
                        break;
                    }
                    nudged = true;
                }
                SSLEngineResult r = e.unwrap(in, app);
                trace(client, "unwrap", r, e);
                app.clear();
                if (r.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                    runTasks(e);
                }
                if (r.getStatus() == Status.BUFFER_OVERFLOW) {
                    throw new SSLException("unwrap overflowed a " + app.capacity() + "-byte buffer: " + r);
                }
                boolean wants = r.getHandshakeStatus() == HandshakeStatus.NEED_WRAP;
                if (r.bytesConsumed() == 0 && r.bytesProduced() == 0) {
                    if (wants || r.getHandshakeStatus() == HandshakeStatus.FINISHED) {
                        wantsWrap(client, wants);
                        progress = true;
                    }
                    break;
                }
                progress = true;
                wantsWrap(client, wants);
                if (r.getStatus() != Status.OK || wants || e.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                    break;
                }
            }
        } finally {
            in.compact();
        }
        return progress;
    }

    private static void trace(boolean client, String op, SSLEngineResult r, SSLEngine e) {
        if (TRACE) {
            System.out.println("[trace] " + (client ? "client" : "server") + " " + op + ": " + r.getStatus() + " "
                + r.getHandshakeStatus() + " consumed=" + r.bytesConsumed() + " produced=" + r.bytesProduced()
                + " -> getHandshakeStatus()=" + e.getHandshakeStatus());
        }
    }

    private static void runTasks(SSLEngine e) {
        Runnable task;
        while ((task = e.getDelegatedTask()) != null) {
            task.run();
        }
    }

    private String state(SSLEngine client, SSLEngine server) {
        return "client " + describe(client) + ", server " + describe(server) + ", wire c2s " + c2s.position()
            + " bytes, s2c " + s2c.position() + " bytes";
    }

    private static String describe(SSLEngine e) {
        return e.getHandshakeStatus() + (e.isInboundDone() ? " inboundDone" : "")
            + (e.isOutboundDone() ? " outboundDone" : "");
    }
}
