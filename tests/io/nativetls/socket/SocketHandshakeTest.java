package io.nativetls.socket;

import static io.nativetls.socket.SocketSupport.SO_TIMEOUT_MS;
import static io.nativetls.socket.SocketSupport.clientContext;
import static io.nativetls.socket.SocketSupport.readFully;
import static io.nativetls.socket.SocketSupport.serverContext;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.testing.ForwardingTrustManager;
import io.nativetls.testing.Contexts;
import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.TestPki;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.HandshakeCompletedEvent;
import javax.net.ssl.HandshakeCompletedListener;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Handshake events, what trust managers see of the socket, and handshakes that must fail. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SocketHandshakeTest {
    private static final ExecutorService EXECUTOR = Executors.newCachedThreadPool();

    @AfterAll
    static void stop() {
        EXECUTOR.shutdownNow();
    }

    @Test
    void listenersHearOfTheHandshakeOnce() throws Exception {
        List<HandshakeCompletedEvent> events = new CopyOnWriteArrayList<>();
        AtomicInteger removedCalls = new AtomicInteger();
        try (SocketSupport.Server srv = SocketSupport.Server.echo(serverContext(Impl.NATIVE), 1);
            SSLSocket s = SocketSupport.connect(clientContext(Impl.NATIVE), srv.port())) {
            HandshakeCompletedListener removed = e -> removedCalls.incrementAndGet();
            s.addHandshakeCompletedListener(events::add);
            s.addHandshakeCompletedListener(removed);
            s.removeHandshakeCompletedListener(removed);
            assertThrows(IllegalArgumentException.class, () -> s.removeHandshakeCompletedListener(removed));
            assertThrows(IllegalArgumentException.class, () -> s.addHandshakeCompletedListener(null));
            s.startHandshake();
            s.startHandshake();
            s.getOutputStream().write(1);
            assertEquals(1, s.getInputStream().read());
            s.getSession();
            for (int i = 0; i < 100 && events.isEmpty(); i++) {
                Thread.sleep(50);
            }
            Thread.sleep(100);
            assertEquals(1, events.size());
            assertEquals(0, removedCalls.get());
            HandshakeCompletedEvent e = events.get(0);
            assertSame(s, e.getSocket());
            assertSame(s.getSession(), e.getSession());
            assertEquals(s.getSession().getCipherSuite(), e.getCipherSuite());
            assertEquals(TestPki.get().certificate("server-ec"), e.getPeerCertificates()[0]);
        }
    }

    /** Wraps the test trust manager and records what the handshake showed it. */
    private static final class WatchingTrustManager extends ForwardingTrustManager {
        final List<Object> sockets = new CopyOnWriteArrayList<>();
        final List<SSLSession> handshakeSessions = new CopyOnWriteArrayList<>();
        final List<String> peerHosts = new CopyOnWriteArrayList<>();

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
            sockets.add(socket);
            SSLSession hs = ((SSLSocket) socket).getHandshakeSession();
            if (hs != null) {
                handshakeSessions.add(hs);
                peerHosts.add(hs.getPeerHost());
            }
            delegate.checkServerTrusted(chain, authType, socket);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
            throw new CertificateException("a socket's trust check must not be given an engine");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("a socket's trust check must be given the socket");
        }



    }

    @Test
    void trustManagersSeeTheSocketAndItsHandshakeSession() throws Exception {
        WatchingTrustManager tm = new WatchingTrustManager();
        SSLContext ctx = Contexts.create(Impl.NATIVE, "TLS", null, new X509TrustManager[] {tm});
        try (SocketSupport.Server srv = SocketSupport.Server.echo(serverContext(Impl.NATIVE), 1);
            SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("localhost", srv.port())) {
            s.setSoTimeout(SO_TIMEOUT_MS);
            SSLParameters p = s.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            s.setSSLParameters(p);
            assertNull(s.getHandshakeSession());
            s.startHandshake();
            assertEquals(1, tm.sockets.size());
            assertSame(s, tm.sockets.get(0));
            assertEquals(1, tm.handshakeSessions.size(), "getHandshakeSession() inside the trust check");
            assertEquals(List.of("localhost"), tm.peerHosts);
            assertNull(s.getHandshakeSession(), "no handshake session once it is done");
        }
    }

    @Test
    void hostnameVerificationThroughTheSocketRejectsTheWrongName() throws Exception {
        SSLContext ctx = clientContext(Impl.NATIVE);
        InetAddress wrongName = InetAddress.getByAddress("wrong.example", new byte[] {127, 0, 0, 1});
        try (SocketSupport.Server srv = new SocketSupport.Server(SocketSupport.listen(serverContext(Impl.NATIVE)), 1,
            SSLSocket::startHandshake);
            SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(wrongName, srv.port())) {
            s.setSoTimeout(SO_TIMEOUT_MS);
            SSLParameters p = s.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            s.setSSLParameters(p);
            SSLHandshakeException e = assertThrows(SSLHandshakeException.class, s::startHandshake);
            assertTrue(String.valueOf(e.getCause()).contains("wrong.example")
                || String.valueOf(e.getMessage()).contains("wrong.example"), String.valueOf(e));
            assertFalse(s.getSession().isValid());
            assertThrows(SSLException.class, srv::finish);
        }
    }

    @Test
    void anUntrustedServerFailsTheHandshake() throws Exception {
        try (SocketSupport.Server srv = new SocketSupport.Server(
            SocketSupport.listen(Contexts.server(Impl.NATIVE, "rogue")), 1, SSLSocket::startHandshake);
            SSLSocket s = SocketSupport.connect(clientContext(Impl.NATIVE), srv.port())) {
            assertThrows(SSLHandshakeException.class, s::startHandshake);
            assertTrue(s.isClosed(), "as SunJSSE, a failed handshake closes the socket");
            assertThrows(java.net.SocketException.class, s::getInputStream);
            assertEquals("SSL_NULL_WITH_NULL_NULL", s.getSession().getCipherSuite(), "the null session");
            assertThrows(SSLException.class, srv::finish);
        }
    }

    @Test
    void aPlaintextClientFailsQuicklyInsteadOfHanging() throws Exception {
        try (SocketSupport.Server srv = new SocketSupport.Server(SocketSupport.listen(serverContext(Impl.NATIVE)), 1,
            SSLSocket::startHandshake);
            Socket plain = SocketSupport.plainConnect(srv.port())) {
            plain.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();
            assertInstanceOf(SSLException.class, assertThrows(Exception.class, srv::finish));
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(SO_TIMEOUT_MS / 2000),
                "failed at once, not after the read timeout");
        }
    }

    @Test
    void getSessionRunsTheHandshake() throws Exception {
        try (SocketSupport.Server srv = SocketSupport.Server.echo(serverContext(Impl.NATIVE), 1);
            SSLSocket s = SocketSupport.connect(clientContext(Impl.NATIVE), srv.port())) {
            SSLSession session = s.getSession();
            assertTrue(session.isValid());
            assertEquals("TLSv1.3", session.getProtocol());
            s.getOutputStream().write(7);
            assertEquals(7, s.getInputStream().read());
        }
    }

    @Test
    void aReaderWaitsForAHandshakeRunningOnAnotherThread() throws Exception {
        byte[] data = "data".getBytes(StandardCharsets.US_ASCII);
        try (SocketSupport.Server srv = new SocketSupport.Server(SocketSupport.listen(serverContext(Impl.NATIVE)), 1,
            s -> s.getOutputStream().write(data));
            SSLSocket s = SocketSupport.connect(clientContext(Impl.NATIVE), srv.port())) {
            Future<byte[]> reader = EXECUTOR.submit(() -> readFully(s.getInputStream(), data.length));
            Future<?> handshaker = EXECUTOR.submit(() -> {
                s.startHandshake();
                return null;
            });
            handshaker.get(10, TimeUnit.SECONDS);
            assertArrayEquals(data, reader.get(10, TimeUnit.SECONDS));
            srv.finish();
        }
    }

    @Test
    void applicationProtocolSelectorIsShownTheSocket() throws Exception {
        SSLSocket s = (SSLSocket) clientContext(Impl.NATIVE).getSocketFactory().createSocket();
        try (s) {
            assertNull(s.getHandshakeApplicationProtocolSelector());
            java.util.function.BiFunction<SSLSocket, List<String>, String> selector = (sock, offered) -> {
                assertSame(s, sock);
                return offered.isEmpty() ? null : offered.get(0);
            };
            s.setHandshakeApplicationProtocolSelector(selector);
            assertSame(selector, s.getHandshakeApplicationProtocolSelector());
            assertNotNull(s.getSSLParameters());
        }
    }
}
