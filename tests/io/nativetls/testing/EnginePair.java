package io.nativetls.testing;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Random;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;

/**
 * Drives a client and a server SSLEngine against each other in memory, the way Netty and Jetty
 * drive them, and checks the JSSE contract on every call: exact bytesConsumed/bytesProduced,
 * nothing moved on BUFFER_OVERFLOW or BUFFER_UNDERFLOW, FINISHED reported once per side.
 * Buffers can be heap or direct, destinations can start tiny (forcing overflow and growth), and
 * the receiver can be shown the wire one byte at a time (forcing underflow).
 *
 * <p>{@link #settle} runs a handshake that may fail instead: it keeps going after one side throws,
 * so that side's alert reaches the other, and records each side's first exception.
 */
public final class EnginePair {
    /** How the pair moves bytes. */
    public static final class Options {
        public boolean direct;
        /** Initial wrap destination size; 0 means the session's packet buffer size. */
        public int netCapacity;
        /** Initial unwrap destination size; 0 means the session's application buffer size. */
        public int appCapacity;
        /** How many new wire bytes the receiver sees per underflow. */
        public int chunk = Integer.MAX_VALUE;

        public Options direct(boolean d) {
            this.direct = d;
            return this;
        }

        public Options netCapacity(int n) {
            this.netCapacity = n;
            return this;
        }

        public Options appCapacity(int n) {
            this.appCapacity = n;
            return this;
        }

        public Options chunk(int n) {
            this.chunk = n;
            return this;
        }
    }

    /** One side: an engine, what it sends, what it has received. */
    public final class Side {
        public final SSLEngine engine;
        final String name;
        ByteBuffer appOut;
        ByteBuffer netOut;
        ByteBuffer netIn;
        ByteBuffer appIn;
        ByteBuffer wireIn = ByteBuffer.allocate(64 * 1024).flip();
        public int finished;
        public int overflows;
        public int underflows;
        public long received;
        public boolean sawClosed;
        /** The first exception this side threw while {@link #settle} ran, if any. */
        public Exception failure;
        /** Delegated tasks this side handed out. */
        public int tasks;
        MessageDigest digest = sha256();

        Side(String name, SSLEngine engine) {
            this.name = name;
            this.engine = engine;
            int net = options.netCapacity > 0 ? options.netCapacity : engine.getSession().getPacketBufferSize();
            int app = options.appCapacity > 0 ? options.appCapacity : engine.getSession().getApplicationBufferSize();
            netOut = allocate(net);
            netIn = allocate(Math.max(net, 16));
            appIn = allocate(app);
            appOut = allocate(0);
        }

        private void fail(Exception e) {
            if (failure == null) {
                failure = e;
            }
        }
    }

    private final Options options;
    public final Side client;
    public final Side server;
    private int steps;
    /** While settle runs: the exceptions it records; others propagate. Null: every exception propagates. */
    private Class<? extends Exception> recorded;

    public EnginePair(SSLEngine client, SSLEngine server, Options options) {
        this.options = options;
        client.setUseClientMode(true);
        server.setUseClientMode(false);
        this.client = new Side("client", client);
        this.server = new Side("server", server);
    }

    public EnginePair(SSLEngine client, SSLEngine server) {
        this(client, server, new Options());
    }

    // JUnit's assertions are not on the class path of the probe JVMs that use this driver too.
    private static void expect(long expected, long actual, String what) {
        if (expected != actual) {
            throw new AssertionError(what + " ==> expected: <" + expected + "> but was: <" + actual + ">");
        }
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError(what);
        }
    }

    private static void fail(String what) {
        throw new AssertionError(what);
    }

    private ByteBuffer allocate(int n) {
        return options.direct ? ByteBuffer.allocateDirect(n) : ByteBuffer.allocate(n);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs the handshake to completion; both sides must report FINISHED exactly once. */
    public void handshake() throws SSLException {
        client.engine.beginHandshake();
        server.engine.beginHandshake();
        for (int i = 0; i < 1_000_000; i++) {
            boolean progress = pump();
            if (!handshaking(client) && !handshaking(server) && !client.wireIn.hasRemaining()
                && !server.wireIn.hasRemaining() && client.netIn.position() == 0 && server.netIn.position() == 0) {
                checkFinishedCount(client);
                checkFinishedCount(server);
                return;
            }
            if (!progress) {
                fail("handshake stalled: client " + client.engine.getHandshakeStatus() + ", server "
                    + server.engine.getHandshakeStatus());
            }
        }
        fail("handshake did not finish");
    }

    /**
     * Runs a handshake that may fail until nothing moves, and returns whether both sides completed it
     * without an exception. Exceptions of type recorded (from beginHandshake, wrap, unwrap and
     * delegated tasks) are kept as each side's {@link Side#failure} instead of thrown; a side that
     * failed keeps wrapping, which sends its alert. Any other exception propagates and fails the test.
     */
    public boolean settle(Class<? extends Exception> recorded) {
        this.recorded = recorded;
        try {
            begin(client);
            begin(server);
            for (int round = 0; round < 10_000; round++) {
                if (!pump()) {
                    return client.failure == null && server.failure == null && !handshaking(client)
                        && !handshaking(server);
                }
            }
            throw new AssertionError("handshake driver did not settle in 10 000 rounds");
        } catch (SSLException e) {
            throw new AssertionError("an exception settle was told not to record", e);
        } finally {
            this.recorded = null;
        }
    }

    private void begin(Side s) throws SSLException {
        try {
            s.engine.beginHandshake();
        } catch (SSLException | RuntimeException e) {
            record(s, e);
        }
    }

    /** Keeps e as s's failure if settle records its type; otherwise throws it on. */
    private void record(Side s, Exception e) throws SSLException {
        if (recorded != null && recorded.isInstance(e)) {
            s.fail(e);
        } else if (e instanceof SSLException) {
            throw (SSLException) e;
        } else if (e instanceof RuntimeException) {
            throw (RuntimeException) e;
        } else {
            throw new AssertionError(e);
        }
    }

    /** For assertion messages: each side's engine and what it threw. */
    public String describe() {
        return "client " + client.engine + ": " + Causes.describe(client.failure) + "; server " + server.engine
            + ": " + Causes.describe(server.failure);
    }

    /** NativeTLS reports FINISHED exactly once; SunJSSE also reports it for TLS 1.3 tickets. */
    private static void checkFinishedCount(Side s) {
        if (s.engine.getClass().getName().startsWith("io.nativetls.")) {
            expect(1, s.finished, s.name + " FINISHED count");
        } else {
            check(s.finished >= 1, s.name + " FINISHED count " + s.finished);
        }
    }

    private static boolean handshaking(Side s) {
        HandshakeStatus hs = s.engine.getHandshakeStatus();
        return hs != HandshakeStatus.NOT_HANDSHAKING && hs != HandshakeStatus.FINISHED;
    }

    /** Sends bytesEachWay pseudo-random bytes in both directions at once and compares digests. */
    public void exchange(int bytesEachWay, long seed) throws SSLException {
        byte[] c2s = new byte[bytesEachWay];
        byte[] s2c = new byte[bytesEachWay];
        new Random(seed).nextBytes(c2s);
        new Random(seed + 1).nextBytes(s2c);
        client.appOut = allocate(c2s.length).put(c2s).flip();
        server.appOut = allocate(s2c.length).put(s2c).flip();
        long clientStart = client.received;
        long serverStart = server.received;
        client.digest.reset();
        server.digest.reset();
        for (int i = 0; i < 10_000_000; i++) {
            if (server.received - serverStart == c2s.length && client.received - clientStart == s2c.length
                && !client.appOut.hasRemaining() && !server.appOut.hasRemaining()) {
                check(Arrays.equals(sha256().digest(c2s), server.digest.digest()), "client to server data");
                check(Arrays.equals(sha256().digest(s2c), client.digest.digest()), "server to client data");
                return;
            }
            if (!pump()) {
                fail("exchange stalled: server got " + (server.received - serverStart) + " of " + c2s.length
                    + ", client got " + (client.received - clientStart) + " of " + s2c.length);
            }
        }
        fail("exchange did not finish");
    }

    /** closeOutbound on the initiator, then pumps until both sides are closed in both directions. */
    public void close(Side initiator) throws SSLException {
        initiator.engine.closeOutbound();
        for (int i = 0; i < 100_000; i++) {
            boolean progress = pump();
            if (client.engine.isOutboundDone() && server.engine.isOutboundDone() && client.engine.isInboundDone()
                && server.engine.isInboundDone()) {
                return;
            }
            if (!progress) {
                fail("close stalled: client in/out " + client.engine.isInboundDone() + "/"
                    + client.engine.isOutboundDone() + ", server " + server.engine.isInboundDone() + "/"
                    + server.engine.isOutboundDone());
            }
        }
        fail("close did not finish");
    }

    /** One round: each side wraps what it can, then each side unwraps what reached it. */
    public boolean pump() throws SSLException {
        steps++;
        boolean progress = false;
        progress |= wrap(client, server);
        progress |= wrap(server, client);
        progress |= unwrap(server);
        progress |= unwrap(client);
        return progress;
    }

    private boolean wrap(Side from, Side to) throws SSLException {
        boolean progress = false;
        for (int i = 0; i < 1000; i++) {
            SSLEngine e = from.engine;
            if (e.isOutboundDone()) {
                break;
            }
            boolean wantsWrap = e.getHandshakeStatus() == HandshakeStatus.NEED_WRAP;
            // A side that failed keeps wrapping: that sends its alert.
            if (!wantsWrap && from.failure == null && !(from.appOut.hasRemaining() && !handshaking(from))) {
                break;
            }
            int srcPos = from.appOut.position();
            int dstPos = from.netOut.position();
            SSLEngineResult r;
            try {
                r = e.wrap(from.appOut, from.netOut);
            } catch (SSLException | RuntimeException x) {
                boolean first = from.failure == null;
                record(from, x);
                if (!first || !(x instanceof SSLException)) {
                    break; // a second failure, or not an SSLException: this side is done
                }
                progress = true;
                continue;
            }
            expect(r.bytesConsumed(), from.appOut.position() - srcPos, from.name + " wrap bytesConsumed");
            expect(r.bytesProduced(), from.netOut.position() - dstPos, from.name + " wrap bytesProduced");
            if (r.getHandshakeStatus() == HandshakeStatus.FINISHED) {
                from.finished++;
            }
            boolean ranTasks = runTasks(from) > 0;
            if (r.getStatus() == Status.BUFFER_OVERFLOW) {
                expect(0, r.bytesConsumed() + r.bytesProduced(), "nothing moves on BUFFER_OVERFLOW");
                if (recorded != null && options.netCapacity == 0) {
                    throw new AssertionError("wrap overflowed a packet-buffer-sized destination");
                }
                from.overflows++;
                if (from.netOut.position() > 0) {
                    ship(from, to);
                } else {
                    from.netOut = allocate(e.getSession().getPacketBufferSize());
                }
                progress = true;
                continue;
            }
            if (r.bytesProduced() > 0) {
                ship(from, to);
            }
            if (r.bytesConsumed() + r.bytesProduced() == 0) {
                // As Netty's loop: a wrap that moved nothing but left a task (now run) is no end.
                progress |= ranTasks;
                if (ranTasks) {
                    continue;
                }
                break;
            }
            progress = true;
        }
        return progress;
    }

    private void ship(Side from, Side to) {
        from.netOut.flip();
        ByteBuffer wire = to.wireIn;
        if (wire.capacity() - wire.limit() < from.netOut.remaining()) {
            ByteBuffer grown = ByteBuffer.allocate(Math.max(wire.capacity() * 2, wire.remaining()
                + from.netOut.remaining() + 1024));
            grown.put(wire).flip();
            wire = grown;
        } else if (wire.position() > 0) {
            wire.compact().flip();
        }
        int end = wire.limit();
        wire.limit(end + from.netOut.remaining());
        wire.position(end);
        wire.put(from.netOut);
        wire.position(0);
        to.wireIn = wire;
        from.netOut.clear();
    }

    /** Moves up to chunk bytes from the wire into what the engine is shown. */
    private boolean reveal(Side s) {
        if (!s.wireIn.hasRemaining()) {
            return false;
        }
        if (!s.netIn.hasRemaining()) {
            ByteBuffer grown = allocate(Math.max(s.netIn.capacity() * 2, s.engine.getSession().getPacketBufferSize()));
            s.netIn.flip();
            grown.put(s.netIn);
            s.netIn = grown;
        }
        int n = (int) Math.min(Math.min(options.chunk, s.wireIn.remaining()), s.netIn.remaining());
        ByteBuffer slice = s.wireIn.duplicate();
        slice.limit(slice.position() + n);
        s.netIn.put(slice);
        s.wireIn.position(s.wireIn.position() + n);
        return true;
    }

    private boolean unwrap(Side s) throws SSLException {
        boolean progress = false;
        for (int i = 0; i < 1_000_000; i++) {
            SSLEngine e = s.engine;
            if (e.isInboundDone()) {
                break;
            }
            if (s.netIn.position() == 0 && !reveal(s)) {
                break;
            }
            s.netIn.flip();
            int srcPos = s.netIn.position();
            int dstPos = s.appIn.position();
            SSLEngineResult r;
            int consumed;
            try {
                r = e.unwrap(s.netIn, s.appIn);
                consumed = s.netIn.position() - srcPos;
            } catch (SSLException | RuntimeException x) {
                boolean first = s.failure == null;
                record(s, x);
                return first;
            } finally {
                s.netIn.compact();
            }
            expect(r.bytesConsumed(), consumed, s.name + " unwrap bytesConsumed");
            expect(r.bytesProduced(), s.appIn.position() - dstPos, s.name + " unwrap bytesProduced");
            if (r.getHandshakeStatus() == HandshakeStatus.FINISHED) {
                s.finished++;
            }
            progress |= runTasks(s) > 0;
            switch (r.getStatus()) {
                case BUFFER_UNDERFLOW:
                    expect(0, r.bytesConsumed() + r.bytesProduced(), "nothing moves on BUFFER_UNDERFLOW");
                    s.underflows++;
                    if (!reveal(s)) {
                        return progress;
                    }
                    progress = true;
                    continue;
                case BUFFER_OVERFLOW:
                    expect(0, r.bytesConsumed() + r.bytesProduced(), "nothing moves on BUFFER_OVERFLOW");
                    s.overflows++;
                    if (s.appIn.position() > 0) {
                        deliver(s);
                    } else {
                        s.appIn = allocate(e.getSession().getApplicationBufferSize());
                    }
                    progress = true;
                    continue;
                case CLOSED:
                    s.sawClosed = true;
                    deliver(s);
                    if (recorded == null) {
                        // As Netty does: the peer closed, so close our side too (SunJSSE waits for this).
                        e.closeOutbound();
                    }
                    return true;
                default:
                    deliver(s);
            }
            if (r.bytesConsumed() + r.bytesProduced() > 0) {
                progress = true;
            }
            if (e.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                break;
            }
        }
        return progress;
    }

    private void deliver(Side s) {
        s.appIn.flip();
        s.received += s.appIn.remaining();
        s.digest.update(s.appIn);
        s.appIn.clear();
    }

    /** Runs the tasks s hands out; how many. A task run is progress even when no byte moved. */
    private int runTasks(Side s) throws SSLException {
        int ran = 0;
        Runnable task;
        while ((task = s.engine.getDelegatedTask()) != null) {
            s.tasks++;
            ran++;
            try {
                task.run();
            } catch (RuntimeException e) {
                record(s, e);
            }
        }
        return ran;
    }
}
