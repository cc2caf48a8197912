package io.nativetls.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.testing.Contexts;
import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.EnginePair;
import io.nativetls.testing.ForwardingTrustManager;
import io.nativetls.testing.Matrix;
import io.nativetls.testing.TestPki;
import java.net.InetAddress;
import java.net.Socket;
import java.security.Principal;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The handshake session shows the certificates this side sends while the handshake still runs:
 * a server's once it has chosen them (its trust manager, checking the client's certificate, sees
 * them), a client's once it has sent them. NativeTLS beside SunJSSE (same peer, same keys), and
 * the absolute outcome: the key manager's chain for the key in use.
 */
@Timeout(60)
class HandshakeLocalCertificatesTest {
    private static final String SERVER_KEY = "server-ec";
    private static final String CLIENT_KEY = "client";

    static List<Arguments> cases() {
        return Matrix.list(Matrix.PROTOCOLS, Impl.values());
    }

    /** What a trust manager saw of its own side's certificates in the handshake session. */
    static final class Seen {
        volatile Certificate[] local;
        volatile Principal principal;
        volatile boolean checked;

        void record(SSLSession handshake) {
            checked = true;
            local = handshake == null ? null : handshake.getLocalCertificates();
            principal = handshake == null ? null : handshake.getLocalPrincipal();
        }
    }

    /** Records the handshake session's local certificates when the client's chain is checked. */
    static final class ServerWatcher extends ForwardingTrustManager {
        final Seen seen = new Seen();

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
            seen.record(engine.getHandshakeSession());
            super.checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
            seen.record(((SSLSocket) socket).getHandshakeSession());
            super.checkClientTrusted(chain, authType, socket);
        }
    }

    private static SSLContext server(Impl impl, ServerWatcher watcher) {
        return Contexts.create(impl, "TLS", TestPki.get().keyManagers(SERVER_KEY), new TrustManager[] {watcher});
    }

    private static SSLContext client(Impl impl) {
        TestPki pki = TestPki.get();
        return Contexts.create(impl, "TLS", pki.keyManagers(CLIENT_KEY), pki.trustManagers());
    }

    private static EnginePair pair(SSLContext client, SSLContext server, String protocol) {
        SSLEngine c = client.createSSLEngine("localhost", 443);
        c.setUseClientMode(true);
        c.setEnabledProtocols(new String[] {protocol});
        SSLEngine s = server.createSSLEngine();
        s.setUseClientMode(false);
        s.setNeedClientAuth(true);
        return new EnginePair(c, s);
    }

    private static void assertSent(String key, Certificate[] local, Principal principal, String who) {
        assertNotNull(local, who + ": local certificates during the handshake");
        X509Certificate expected = TestPki.get().certificate(key);
        assertEquals(expected, local[0], who + ": the chain sent");
        assertEquals(expected.getSubjectX500Principal(), principal, who + ": the local principal");
    }

    /** Server, engine: what its trust manager sees while checking the client's certificate. */
    private static Seen serverTrustManagerSees(Impl serverImpl, Impl clientImpl, String protocol) throws Exception {
        ServerWatcher watcher = new ServerWatcher();
        pair(client(clientImpl), server(serverImpl, watcher), protocol).handshake();
        assertTrue(watcher.seen.checked, "the server's trust manager was asked about the client");
        return watcher.seen;
    }

    @ParameterizedTest(name = "{0}, client {1}")
    @MethodSource("cases")
    void serverTrustManagerSeesTheServersCertificates(String protocol, Impl clientImpl) throws Exception {
        Seen sun = serverTrustManagerSees(Impl.SUN, clientImpl, protocol);
        Seen nat = serverTrustManagerSees(Impl.NATIVE, clientImpl, protocol);
        assertSent(SERVER_KEY, sun.local, sun.principal, "SunJSSE server");
        assertSent(SERVER_KEY, nat.local, nat.principal, "NativeTLS server");
        assertArrayEquals(sun.local, nat.local, "the same chain as SunJSSE's");
    }

    /**
     * The handshake session's local certificates as last seen between the engine calls, while
     * the side still handshakes (for a client: after its certificate went out), and before it
     * had any: {before the first call, last seen}.
     */
    private static Certificate[][] lastSeenWhileHandshaking(EnginePair pair, boolean clientSide) throws Exception {
        SSLEngine engine = clientSide ? pair.client.engine : pair.server.engine;
        pair.client.engine.beginHandshake();
        pair.server.engine.beginHandshake();
        SSLSession initial = engine.getHandshakeSession();
        Certificate[] before = initial == null ? null : initial.getLocalCertificates();
        Certificate[] last = null;
        for (int i = 0; i < 100 && pair.pump(); i++) {
            SSLSession hs = engine.getHandshakeSession();
            if (hs != null) {
                last = hs.getLocalCertificates();
            }
        }
        assertNull(engine.getHandshakeSession(), "the handshake completed");
        return new Certificate[][] {before, last};
    }

    /**
     * TLS 1.2 only: a TLS 1.3 client sends its certificate with its Finished, in the call that
     * ends its handshake, so no point between calls has it sent and the handshake still running
     * (SunJSSE shows nothing there).
     */
    @ParameterizedTest(name = "TLSv1.2, server {0}")
    @MethodSource("impls")
    void clientShowsTheCertificateItSentBeforeTheHandshakeEnds(Impl serverImpl) throws Exception {
        String protocol = "TLSv1.2";
        Certificate[][] sun = lastSeenWhileHandshaking(pair(client(Impl.SUN), server(serverImpl, new ServerWatcher()),
            protocol), true);
        Certificate[][] nat = lastSeenWhileHandshaking(pair(client(Impl.NATIVE),
            server(serverImpl, new ServerWatcher()), protocol), true);
        assertNull(sun[0], "SunJSSE client, before the handshake");
        assertNull(nat[0], "NativeTLS client, before the handshake");
        X509Certificate expected = TestPki.get().certificate(CLIENT_KEY);
        assertNotNull(sun[1], "SunJSSE client: shown while handshaking");
        assertEquals(expected, sun[1][0]);
        assertNotNull(nat[1], "NativeTLS client: shown while handshaking");
        assertEquals(expected, nat[1][0]);
        assertArrayEquals(sun[1], nat[1], "the same chain as SunJSSE's");
    }

    @ParameterizedTest(name = "{0}, client {1}")
    @MethodSource("cases")
    void serverShowsItsCertificateBetweenEngineCalls(String protocol, Impl clientImpl) throws Exception {
        Certificate[][] sun = lastSeenWhileHandshaking(pair(client(clientImpl), server(Impl.SUN, new ServerWatcher()),
            protocol), false);
        Certificate[][] nat = lastSeenWhileHandshaking(pair(client(clientImpl),
            server(Impl.NATIVE, new ServerWatcher()), protocol), false);
        X509Certificate expected = TestPki.get().certificate(SERVER_KEY);
        assertNotNull(sun[1], "SunJSSE server: shown while handshaking");
        assertEquals(expected, sun[1][0]);
        assertNotNull(nat[1], "NativeTLS server: shown while handshaking");
        assertArrayEquals(sun[1], nat[1], "the same chain as SunJSSE's");
    }

    /** Sockets: the server socket's trust manager sees the server's chain through the socket. */
    private static Seen serverSocketTrustManagerSees(Impl serverImpl, String protocol) throws Exception {
        ServerWatcher watcher = new ServerWatcher();
        SSLContext server = server(serverImpl, watcher);
        SSLContext client = client(Impl.NATIVE);
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (SSLServerSocket listener = (SSLServerSocket) server.getServerSocketFactory().createServerSocket(0, 1,
            loopback)) {
            listener.setNeedClientAuth(true);
            CompletableFuture<Void> accepted = CompletableFuture.runAsync(() -> {
                try (SSLSocket s = (SSLSocket) listener.accept()) {
                    s.setSoTimeout(20_000);
                    s.startHandshake();
                    s.getInputStream().read(); // until the client closes
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            try (SSLSocket c = (SSLSocket) client.getSocketFactory().createSocket(loopback, listener.getLocalPort())) {
                c.setSoTimeout(20_000);
                c.setEnabledProtocols(new String[] {protocol});
                c.startHandshake();
                c.getOutputStream().flush();
            }
            accepted.get(20, TimeUnit.SECONDS);
        }
        assertTrue(watcher.seen.checked, "the server's trust manager was asked about the client");
        return watcher.seen;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("protocols")
    void serverSocketTrustManagerSeesTheServersCertificates(String protocol) throws Exception {
        Seen sun = serverSocketTrustManagerSees(Impl.SUN, protocol);
        Seen nat = serverSocketTrustManagerSees(Impl.NATIVE, protocol);
        assertSent(SERVER_KEY, sun.local, sun.principal, "SunJSSE server socket");
        assertSent(SERVER_KEY, nat.local, nat.principal, "NativeTLS server socket");
        assertArrayEquals(sun.local, nat.local, "the same chain as SunJSSE's");
    }

    static List<Impl> impls() {
        return List.of(Impl.values());
    }

    static List<String> protocols() {
        return List.of(Matrix.PROTOCOLS);
    }
}
