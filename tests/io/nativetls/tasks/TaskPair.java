package io.nativetls.tasks;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;

/**
 * Drives two engines in memory one call at a time, the way an event loop with a task executor
 * does, and records what each side reported: every result's status, each NEED_TASK pause and
 * the tasks it handed out. Tasks run on the executor (the driver waits for them), after
 * {@code lateCalls} wraps and unwraps that must move nothing: the engine has to wait.
 */
final class TaskPair {
    /** One engine and what it said. */
    static final class Side {
        final String name;
        final SSLEngine engine;
        ByteBuffer inbound = ByteBuffer.allocate(0);
        final List<HandshakeStatus> statuses = new ArrayList<>();
        int pauses;
        int tasks;
        int lateCallsMade;
        Exception failure;

        Side(String name, SSLEngine engine) {
            this.name = name;
            this.engine = engine;
        }
    }

    final Side client;
    final Side server;
    private final ExecutorService executor;
    private final int lateCalls;

    TaskPair(SSLEngine client, SSLEngine server, ExecutorService executor, int lateCalls) {
        client.setUseClientMode(true);
        server.setUseClientMode(false);
        this.client = new Side("client", client);
        this.server = new Side("server", server);
        this.executor = executor;
        this.lateCalls = lateCalls;
    }

    /**
     * Runs the handshake until both sides are done or one failed (its failure is kept, and it keeps
     * wrapping so that its alert reaches the peer); true when both completed.
     */
    boolean handshake() throws Exception {
        client.engine.beginHandshake();
        server.engine.beginHandshake();
        for (int round = 0; round < 5000; round++) {
            boolean progress = step(client, server) | step(server, client);
            if (done(client) && done(server)) {
                return client.failure == null && server.failure == null;
            }
            if (!progress) {
                if (client.failure != null || server.failure != null) {
                    return false;
                }
                throw new AssertionError("handshake stalled: client " + client.engine.getHandshakeStatus() + " "
                    + client.statuses + ", server " + server.engine.getHandshakeStatus() + " " + server.statuses);
            }
        }
        throw new AssertionError("handshake did not end in 5000 rounds");
    }

    /** Drives both sides until s says NEED_TASK; returns the task it hands out, not run. */
    Runnable untilTask(Side s) throws Exception {
        return until(() -> s.engine.getHandshakeStatus() == HandshakeStatus.NEED_TASK) ? s.engine.getDelegatedTask() : null;
    }

    /** Drives both sides until reached says so (checked before each call); false if the handshake ended first. */
    boolean until(java.util.function.BooleanSupplier reached) throws Exception {
        client.engine.beginHandshake();
        server.engine.beginHandshake();
        for (int round = 0; round < 500; round++) {
            boolean progress = false;
            for (Side[] turn : new Side[][] {{client, server}, {server, client}}) {
                if (reached.getAsBoolean()) {
                    return true;
                }
                progress |= step(turn[0], turn[1]);
            }
            if (!progress || (done(client) && done(server))) {
                return reached.getAsBoolean();
            }
        }
        throw new AssertionError("not reached in 500 rounds");
    }

    private static boolean done(Side s) {
        HandshakeStatus hs = s.engine.getHandshakeStatus();
        return s.failure != null || (hs == HandshakeStatus.NOT_HANDSHAKING && !s.inbound.hasRemaining());
    }

    /** One call on s (or running its tasks); whether anything moved. */
    private boolean step(Side s, Side peer) throws Exception {
        HandshakeStatus hs = s.engine.getHandshakeStatus();
        if (s.failure != null) {
            return s.engine.isOutboundDone() ? false : wrap(s, peer) > 0;
        }
        try {
            switch (hs) {
                case NEED_TASK:
                    if (s.lateCallsMade < lateCalls) {
                        s.lateCallsMade++;
                        waitingCallsMoveNothing(s);
                        return true;
                    }
                    s.pauses++;
                    s.lateCallsMade = 0;
                    runTasks(s);
                    return true;
                case NEED_WRAP:
                    wrap(s, peer);
                    return true; // a wrap that produces nothing still moves the handshake on
                case NEED_UNWRAP:
                case NEED_UNWRAP_AGAIN:
                    return unwrap(s) > 0;
                default:
                    return unwrap(s) > 0; // what comes after the handshake (TLS 1.3 tickets)
            }
        } catch (SSLException e) {
            s.failure = e;
            return true;
        }
    }

    /** While a task waits, wrap and unwrap answer OK, move no byte, and still say NEED_TASK. */
    private void waitingCallsMoveNothing(Side s) throws SSLException {
        ByteBuffer net = ByteBuffer.allocate(s.engine.getSession().getPacketBufferSize());
        SSLEngineResult w = s.engine.wrap(ByteBuffer.wrap(new byte[100]), net);
        check(w.getStatus() == Status.OK && w.getHandshakeStatus() == HandshakeStatus.NEED_TASK
            && w.bytesConsumed() == 0 && w.bytesProduced() == 0 && net.position() == 0, s.name + " wrap while a task waits: " + w);
        int before = s.inbound.remaining();
        ByteBuffer app = ByteBuffer.allocate(s.engine.getSession().getApplicationBufferSize());
        SSLEngineResult u = s.engine.unwrap(s.inbound, app);
        check(u.getStatus() == Status.OK && u.getHandshakeStatus() == HandshakeStatus.NEED_TASK
            && u.bytesConsumed() == 0 && u.bytesProduced() == 0 && s.inbound.remaining() == before,
            s.name + " unwrap while a task waits: " + u);
        check(s.engine.getHandshakeStatus() == HandshakeStatus.NEED_TASK, s.name + " status while a task waits");
    }

    private void runTasks(Side s) throws Exception {
        List<Runnable> handed = new ArrayList<>();
        for (Runnable t = s.engine.getDelegatedTask(); t != null; t = s.engine.getDelegatedTask()) {
            handed.add(t);
            check(handed.size() < 100, s.name + " hands out tasks without end");
        }
        check(!handed.isEmpty(), s.name + " said NEED_TASK and handed out no task");
        s.tasks += handed.size();
        for (Runnable t : handed) {
            if (executor == null) {
                t.run();
            } else {
                executor.submit(t).get(10, TimeUnit.SECONDS);
            }
        }
    }

    private int wrap(Side s, Side peer) throws SSLException {
        ByteBuffer net = ByteBuffer.allocate(s.engine.getSession().getPacketBufferSize());
        SSLEngineResult r;
        try {
            r = s.engine.wrap(ByteBuffer.allocate(0), net);
        } catch (SSLException e) {
            if (s.failure == null) {
                s.failure = e;
            }
            return 1;
        }
        note(s, r);
        net.flip();
        ByteBuffer grown = ByteBuffer.allocate(peer.inbound.remaining() + net.remaining());
        peer.inbound = grown.put(peer.inbound).put(net).flip();
        return r.bytesProduced();
    }

    private int unwrap(Side s) throws SSLException {
        if (!s.inbound.hasRemaining()) {
            return 0;
        }
        ByteBuffer app = ByteBuffer.allocate(s.engine.getSession().getApplicationBufferSize());
        SSLEngineResult r = s.engine.unwrap(s.inbound, app);
        note(s, r);
        return r.bytesConsumed();
    }

    private static void note(Side s, SSLEngineResult r) {
        HandshakeStatus hs = r.getHandshakeStatus();
        if (s.statuses.isEmpty() || s.statuses.get(s.statuses.size() - 1) != hs) {
            s.statuses.add(hs);
        }
    }

    /** Application data both ways after the handshake: nothing lost nor changed on the way. */
    void exchange(byte[] data) throws SSLException {
        check(java.util.Arrays.equals(data, send(client, server, data)), "client to server data");
        check(java.util.Arrays.equals(data, send(server, client, data)), "server to client data");
    }

    private static byte[] send(Side from, Side to, byte[] data) throws SSLException {
        ByteBuffer src = ByteBuffer.wrap(data);
        ByteBuffer net = ByteBuffer.allocate(data.length + 64 * 1024);
        for (int i = 0; i < 1000 && src.hasRemaining(); i++) {
            from.engine.wrap(src, net);
        }
        net.flip();
        ByteBuffer all = ByteBuffer.allocate(to.inbound.remaining() + net.remaining());
        all.put(to.inbound).put(net).flip();
        ByteBuffer app = ByteBuffer.allocate(data.length + to.engine.getSession().getApplicationBufferSize());
        for (int i = 0; i < 10_000 && all.hasRemaining(); i++) {
            SSLEngineResult r = to.engine.unwrap(all, app);
            if (r.getStatus() != Status.OK) {
                break;
            }
        }
        to.inbound = all;
        byte[] out = new byte[app.flip().remaining()];
        app.get(out);
        return out;
    }

    static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }
}
