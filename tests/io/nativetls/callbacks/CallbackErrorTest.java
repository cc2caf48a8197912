package io.nativetls.callbacks;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.nativetls.internal.jni.SslNative;
import io.nativetls.testing.Contexts;
import io.nativetls.testing.Contexts.Impl;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A Java Error inside a callback (out of memory, a stack overflow, a failed assertion) is no
 * verdict on the peer: it must leave the wrap/unwrap (engine) or startHandshake (socket) call
 * that ran the handshake as itself, not as "certificate verify failed", and the connection must
 * be over, its native memory freed.
 */
class CallbackErrorTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static ExecutorService threads;

    @BeforeAll
    static void start() throws InterruptedException {
        threads = Executors.newCachedThreadPool();
        Contexts.client(Impl.NATIVE); // loads the native library
        earlierConnectionsFreed();
    }

    /**
     * Each case compares the process-wide connection count with the count before it: the
     * unreachable connections earlier test classes left to the Cleaner are freed first, so that
     * a case rarely sees one of them go (which would hide a leak of the same size).
     */
    private static void earlierConnectionsFreed() throws InterruptedException {
        long last = -1;
        for (int i = 0; i < 50; i++) {
            System.gc();
            Thread.sleep(20);
            long now = liveConnections();
            if (now == last) {
                return;
            }
            last = now;
        }
    }

    @AfterAll
    static void stop() {
        threads.shutdownNow();
    }

    /** The Errors: two thrown as made here (so the very instance can be checked), one real. */
    enum Failure {
        ASSERTION(() -> new AssertionError("a bug in the callback")),
        OUT_OF_MEMORY(() -> new OutOfMemoryError("key store cache")),
        STACK_OVERFLOW(null);

        final Supplier<Error> make;

        Failure(Supplier<Error> make) {
            this.make = make;
        }

        /** Throws this failure's Error; the real stack overflow recurses until the JVM raises it. */
        Error raise() {
            if (make == null) {
                recurse(0);
                throw new IllegalStateException("the recursion returned");
            }
            throw make.get();
        }

        private static int recurse(int depth) {
            return recurse(depth + 1) + 1;
        }
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Hook hook : new Hook[] {Hook.TRUST, Hook.KEY, Hook.ALPN, Hook.SNI}) {
            for (boolean client : new boolean[] {true, false}) {
                if (!hook.appliesTo(client, false)) {
                    continue;
                }
                for (String protocol : new String[] {"TLSv1.3", "TLSv1.2"}) {
                    for (boolean socket : new boolean[] {false, true}) {
                        for (Failure f : Failure.values()) {
                            out.add(Arguments.of(hook, client ? "client" : "server", protocol,
                                socket ? "socket" : "engine", f));
                        }
                    }
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2} {3} {4}")
    @MethodSource("cases")
    void theErrorLeavesTheCallThatRanTheHandshake(Hook hook, String role, String protocol, String transport,
                                                  Failure failure) throws Exception {
        boolean client = role.equals("client");
        Error[] thrown = new Error[1];
        Hook.Once once = new Hook.Once(target -> {
            try {
                failure.raise();
            } catch (Error e) {
                thrown[0] = e;
                throw e;
            }
        });
        long before = liveConnections();
        SSLContext tested = context(Impl.NATIVE, client, hook, once);
        SSLContext peer = context(Impl.SUN, !client, null, null);
        Throwable seen = transport.equals("socket") ? sockets(tested, peer, client, protocol, hook, once)
            : engines(tested, peer, client, protocol, hook, once);
        assertTrue(once.reached, "the callback ran");
        Class<? extends Error> expected = failure == Failure.STACK_OVERFLOW ? StackOverflowError.class : Error.class;
        assertTrue(expected.isInstance(seen), "what the call threw: " + seen);
        assertSame(thrown[0], seen, "the callback's own Error");
        // A leak shows as a count above the baseline. One below it is a connection an earlier test
        // left to the Cleaner (an idle HTTP client's, say) freed meanwhile, as in HandleAccountingTest.
        long after = settledConnections(before);
        assertTrue(after <= before, "native connections after the Error: " + after + ", before: " + before);
    }

    private static long liveConnections() {
        return SslNative.liveHandles()[SslNative.LIVE_CONNECTIONS];
    }

    /** The count once the Cleaner freed what the SunJSSE side's GC made unreachable (ours frees at once). */
    private static long settledConnections(long expected) throws InterruptedException {
        long now = liveConnections();
        for (int i = 0; i < 20 && now > expected; i++) {
            Thread.sleep(10);
            now = liveConnections();
        }
        return now;
    }

    private static SSLContext context(Impl impl, boolean client, Hook hook, Hook.Once once) {
        Hook.Once action = once != null ? once : new Hook.Once(t -> { });
        KeyManager[] km = {Hook.key(hook, action, client ? "client" : "server-ec")};
        TrustManager[] tm = {Hook.trust(hook, action)};
        return Contexts.create(impl, "TLS", km, tm);
    }

    private static void configure(SSLParameters p, boolean clientSide, boolean tested, boolean client,
                                  String protocol, Hook hook, Hook.Once once, Object self) {
        p.setProtocols(new String[] {protocol});
        if (clientSide) {
            p.setServerNames(Hook.SERVER_NAMES);
            p.setApplicationProtocols(new String[] {"h2"});
        } else {
            p.setNeedClientAuth(hook == Hook.TRUST && !client || hook == Hook.KEY && client);
            if (tested && hook == Hook.SNI) {
                p.setSNIMatchers(List.of(Hook.sniMatcher(once, () -> self)));
            }
            if (tested && hook == Hook.ALPN) {
                p.setApplicationProtocols(new String[] {"h2"});
            }
        }
    }

    /** Drives the pair until the tested engine throws an Error; returns it. */
    private static Throwable engines(SSLContext tested, SSLContext peer, boolean client, String protocol, Hook hook,
                                     Hook.Once once) throws Exception {
        SSLEngine mine = client ? tested.createSSLEngine("localhost", 443) : tested.createSSLEngine();
        SSLEngine theirs = client ? peer.createSSLEngine() : peer.createSSLEngine("localhost", 443);
        mine.setUseClientMode(client);
        theirs.setUseClientMode(!client);
        for (SSLEngine e : new SSLEngine[] {mine, theirs}) {
            SSLParameters p = e.getSSLParameters();
            configure(p, e.getUseClientMode(), e == mine, client, protocol, hook, once, mine);
            e.setSSLParameters(p);
        }
        if (!client && hook == Hook.ALPN) {
            mine.setHandshakeApplicationProtocolSelector((engine, offered) -> {
                once.run(engine);
                return "h2";
            });
        }
        ByteBuffer toTheirs = ByteBuffer.allocate(64 * 1024);
        ByteBuffer toMine = ByteBuffer.allocate(64 * 1024);
        ByteBuffer app = ByteBuffer.allocate(64 * 1024);
        for (int round = 0; round < 100; round++) {
            try {
                mine.wrap(ByteBuffer.allocate(0), toTheirs);
                toMine.flip();
                mine.unwrap(toMine, app);
                toMine.compact();
                // A manager in a delegated task: its Error leaves the next wrap or unwrap, which resumes.
                for (Runnable t = mine.getDelegatedTask(); t != null; t = mine.getDelegatedTask()) {
                    t.run();
                }
            } catch (Error e) {
                assertTrue(mine.isInboundDone() && mine.isOutboundDone(), "the engine is closed after the Error");
                return e;
            }
            theirs.wrap(ByteBuffer.allocate(0), toMine);
            toTheirs.flip();
            theirs.unwrap(toTheirs, app.clear());
            toTheirs.compact();
            for (Runnable t = theirs.getDelegatedTask(); t != null; t = theirs.getDelegatedTask()) {
                t.run();
            }
        }
        fail("the handshake ran without the Error leaving the engine");
        return null;
    }

    /** The tested socket's startHandshake must throw the Error, and the socket is closed then. */
    private static Throwable sockets(SSLContext tested, SSLContext peer, boolean client, String protocol, Hook hook,
                                     Hook.Once once) throws Exception {
        SSLContext serverCtx = client ? peer : tested;
        SSLContext clientCtx = client ? tested : peer;
        try (SSLServerSocket listener = (SSLServerSocket) serverCtx.getServerSocketFactory().createServerSocket(0, 1,
            LOOPBACK)) {
            listener.setSoTimeout(5_000);
            Future<Throwable> server = threads.submit(() -> {
                try (SSLSocket s = (SSLSocket) listener.accept()) {
                    return handshake(s, false, client, protocol, hook, once);
                }
            });
            Throwable clientResult;
            try (SSLSocket s = (SSLSocket) clientCtx.getSocketFactory().createSocket(LOOPBACK, listener.getLocalPort())) {
                clientResult = handshake(s, true, client, protocol, hook, once);
            }
            Throwable serverResult = server.get(30, TimeUnit.SECONDS);
            return client ? clientResult : serverResult;
        }
    }

    private static Throwable handshake(SSLSocket s, boolean clientSide, boolean client, String protocol, Hook hook,
                                       Hook.Once once) throws Exception {
        boolean tested = clientSide == client;
        s.setSoTimeout(5_000);
        SSLParameters p = s.getSSLParameters();
        configure(p, clientSide, tested, client, protocol, hook, once, s);
        s.setSSLParameters(p);
        if (tested && !clientSide && hook == Hook.ALPN) {
            s.setHandshakeApplicationProtocolSelector((sock, offered) -> {
                once.run(sock);
                return "h2";
            });
        }
        try {
            s.startHandshake();
            return null;
        } catch (Error e) {
            assertTrue(s.isClosed(), "the socket is closed after the Error");
            return e;
        } catch (java.io.IOException e) {
            return tested ? e : null; // the peer learns of it as the connection ends
        }
    }
}
