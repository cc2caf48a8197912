package io.nativetls.callbacks;

import io.nativetls.testing.Contexts;
import io.nativetls.testing.Contexts.Impl;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;

/**
 * One handshake in which a callback of the side under test calls a method of its own engine or
 * socket. The side under test is made by the provider given; its peer is always SunJSSE, so the
 * same scenario run with NativeTLS and with SunJSSE under test differs only in the provider that
 * is asked to cope.
 */
record Scenario(Impl impl, boolean client, String protocol, boolean socket, Hook hook, Call call) {
    /** Long enough for any handshake here; reached only where a scenario leaves a side waiting. */
    static final int SO_TIMEOUT_MS = 3_000;
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    /** What the callback's call returned, and how the handshake ended for the side under test. */
    record Outcome(String call, String ending, boolean reached) {
        @Override
        public String toString() {
            return call + " -> " + ending;
        }
    }

    @Override
    public String toString() {
        return (client ? "client" : "server") + " " + protocol + " " + (socket ? "socket" : "engine") + " " + hook
            + " " + call;
    }

    Outcome run(ExecutorService threads) throws Exception {
        AtomicReference<String> callResult = new AtomicReference<>("not called");
        Hook.Once once = new Hook.Once(target -> callResult.set(call.on(target)));
        SSLContext tested = context(impl, client, once);
        SSLContext peer = context(Impl.SUN, !client, null);
        String ending = socket ? sockets(tested, peer, once, threads) : engines(tested, peer, once);
        if (once.reached) {
            once.done.await(5, TimeUnit.SECONDS); // SunJSSE runs HandshakeCompletedListeners on a thread of their own
        }
        return new Outcome(callResult.get(), ending, once.reached);
    }

    /** The managers of one side; the hook is installed only where once is given (the side under test). */
    private SSLContext context(Impl which, boolean clientSide, Hook.Once once) {
        Hook h = once != null ? hook : null;
        Hook.Once action = once != null ? once : new Hook.Once(t -> { });
        KeyManager[] km = {Hook.key(h, action, clientSide ? "client" : "server-ec")};
        TrustManager[] tm = {Hook.trust(h, action)};
        return Contexts.create(which, "TLS", km, tm);
    }

    /** Settings both sides get; the side under test also gets the hooks that live in its parameters. */
    private void configure(Object target, boolean clientSide, boolean tested, Hook.Once once,
                           AtomicReference<Object> self) {
        SSLParameters p = target instanceof SSLEngine ? ((SSLEngine) target).getSSLParameters()
            : ((SSLSocket) target).getSSLParameters();
        p.setProtocols(new String[] {protocol});
        boolean clientAuth = hook.needsClientAuth(client);
        if (clientSide) {
            p.setServerNames(Hook.SERVER_NAMES);
            p.setApplicationProtocols(new String[] {"h2", "http/1.1"});
        } else {
            p.setNeedClientAuth(clientAuth);
            if (tested && hook == Hook.SNI) {
                p.setSNIMatchers(List.of(Hook.sniMatcher(once, self::get)));
            }
        }
        if (target instanceof SSLEngine) {
            SSLEngine e = (SSLEngine) target;
            e.setSSLParameters(p);
            if (tested && !clientSide && hook == Hook.ALPN) {
                e.setHandshakeApplicationProtocolSelector((engine, offered) -> {
                    once.run(engine);
                    return "h2";
                });
            }
        } else {
            SSLSocket s = (SSLSocket) target;
            s.setSSLParameters(p);
            if (tested && !clientSide && hook == Hook.ALPN) {
                s.setHandshakeApplicationProtocolSelector((sock, offered) -> {
                    once.run(sock);
                    return "h2";
                });
            }
            if (tested && hook == Hook.COMPLETED) {
                s.addHandshakeCompletedListener(event -> once.run(event.getSocket()));
            }
        }
    }

    // ---- engines ------------------------------------------------------------------------------

    private String engines(SSLContext tested, SSLContext peer, Hook.Once once) {
        SSLEngine mine = client ? tested.createSSLEngine("localhost", 443) : tested.createSSLEngine();
        SSLEngine theirs = client ? peer.createSSLEngine() : peer.createSSLEngine("localhost", 443);
        mine.setUseClientMode(client);
        theirs.setUseClientMode(!client);
        AtomicReference<Object> self = new AtomicReference<>(mine);
        configure(mine, client, true, once, self);
        configure(theirs, !client, false, once, self);
        Side me = new Side(mine);
        Side other = new Side(theirs);
        me.begin();
        other.begin();
        for (int round = 0; round < 200; round++) {
            boolean progress = me.wrapInto(other) | other.wrapInto(me) | me.unwrap() | other.unwrap();
            if (!progress) {
                break;
            }
        }
        String ending = me.ending();
        me.close();
        other.close();
        return ending;
    }

    /** One engine of the in-memory pair: keeps going after a failure so its alert reaches the peer. */
    private static final class Side {
        final SSLEngine engine;
        ByteBuffer inbound = ByteBuffer.allocate(0);
        final ByteBuffer net;
        final ByteBuffer app;
        Throwable failure;
        boolean finished;

        Side(SSLEngine engine) {
            this.engine = engine;
            this.net = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
            this.app = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize() * 2);
        }

        void begin() {
            try {
                engine.beginHandshake();
            } catch (Exception | Error e) {
                fail(e);
            }
        }

        private void note(SSLEngineResult r) {
            if (r.getHandshakeStatus() == HandshakeStatus.FINISHED) {
                finished = true;
            }
            for (Runnable t = engine.getDelegatedTask(); t != null; t = engine.getDelegatedTask()) {
                t.run();
            }
        }

        private void fail(Throwable t) {
            if (failure == null) {
                failure = t;
            }
        }

        boolean wrapInto(Side to) {
            boolean progress = false;
            for (int i = 0; i < 20 && !engine.isOutboundDone(); i++) {
                if (failure == null && engine.getHandshakeStatus() != HandshakeStatus.NEED_WRAP) {
                    break;
                }
                net.clear();
                try {
                    SSLEngineResult r = engine.wrap(ByteBuffer.allocate(0), net);
                    note(r);
                    // As Netty's loop: a wrap that produced nothing but left a task (now run) is no end.
                    if (r.bytesProduced() == 0 && r.getHandshakeStatus() != HandshakeStatus.NEED_TASK) {
                        break;
                    }
                } catch (Exception | Error e) {
                    fail(e);
                    progress = true;
                    continue;
                }
                net.flip();
                ByteBuffer grown = ByteBuffer.allocate(to.inbound.remaining() + net.remaining());
                to.inbound = grown.put(to.inbound).put(net).flip();
                progress = true;
            }
            return progress;
        }

        boolean unwrap() {
            boolean progress = false;
            for (int i = 0; i < 50 && inbound.hasRemaining() && !engine.isInboundDone(); i++) {
                app.clear();
                try {
                    SSLEngineResult r = engine.unwrap(inbound, app);
                    note(r);
                    if (r.bytesConsumed() == 0 || r.getStatus() == Status.BUFFER_UNDERFLOW) {
                        break;
                    }
                } catch (Exception | Error e) {
                    fail(e);
                    return true;
                }
                progress = true;
            }
            return progress;
        }

        /** Frees what the scenario left open, as an application would after it. */
        void close() {
            engine.closeOutbound();
            try {
                engine.closeInbound();
            } catch (Exception e) {
                // no close_notify came: expected, the scenario is over
            }
        }

        String ending() {
            if (failure != null) {
                return "failed " + failure.getClass().getSimpleName();
            }
            if (engine.isInboundDone() || engine.isOutboundDone()) {
                return "closed";
            }
            return finished ? "completed" : "stalled " + engine.getHandshakeStatus();
        }
    }

    // ---- sockets ------------------------------------------------------------------------------

    private String sockets(SSLContext tested, SSLContext peer, Hook.Once once, ExecutorService threads)
        throws Exception {
        SSLContext serverCtx = client ? peer : tested;
        SSLContext clientCtx = client ? tested : peer;
        AtomicReference<Object> self = new AtomicReference<>();
        try (SSLServerSocket listener = (SSLServerSocket) serverCtx.getServerSocketFactory().createServerSocket(0,
            1, LOOPBACK)) {
            listener.setSoTimeout(SO_TIMEOUT_MS);
            Future<String> server = threads.submit(() -> {
                try (SSLSocket s = (SSLSocket) listener.accept()) {
                    if (!client) {
                        self.set(s);
                    }
                    return converse(s, false, !client, once, self);
                }
            });
            String clientEnding;
            try (SSLSocket s = (SSLSocket) clientCtx.getSocketFactory().createSocket(LOOPBACK,
                listener.getLocalPort())) {
                if (client) {
                    self.set(s);
                }
                clientEnding = converse(s, true, client, once, self);
            }
            String serverEnding = server.get(30, TimeUnit.SECONDS);
            return client ? clientEnding : serverEnding;
        }
    }

    /** Handshake, then one byte each way (the client speaks first); how it ended for this socket. */
    private String converse(SSLSocket s, boolean clientSide, boolean tested, Hook.Once once,
                            AtomicReference<Object> self) {
        try {
            s.setSoTimeout(SO_TIMEOUT_MS);
            configure(s, clientSide, tested, once, self);
            s.startHandshake();
            InputStream in = s.getInputStream();
            if (clientSide) {
                s.getOutputStream().write(42);
                s.getOutputStream().flush();
                return in.read() == 42 ? "completed" : "closed";
            }
            int b = in.read();
            if (b < 0) {
                return "closed";
            }
            s.getOutputStream().write(b);
            s.getOutputStream().flush();
            return "completed";
        } catch (IOException | RuntimeException | Error e) {
            return "failed " + e.getClass().getSimpleName();
        }
    }
}
