package io.nativetls.socket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.testing.Contexts.Impl;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIMatcher;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a server socket is given through setSSLParameters reaches every socket it accepts, as with
 * SunJSSE, and the accepted socket acts on it: with useCipherSuitesOrder the server's preference
 * decides the suite even when the client prefers another.
 */
@Timeout(60)
class ServerSocketParametersTest {
    private static final String[] SERVER_ORDER = {"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
        "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"};
    private static final String[] CLIENT_ORDER = {"TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
        "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"};

    /** Bound at creation, or created unbound, configured, then bound (as frameworks do). */
    static List<Arguments> serverSockets() {
        return List.of(Arguments.of(Impl.NATIVE, true), Arguments.of(Impl.NATIVE, false),
            Arguments.of(Impl.SUN, true), Arguments.of(Impl.SUN, false));
    }

    @ParameterizedTest(name = "{0} server socket, bound at creation {1}")
    @MethodSource("serverSockets")
    void acceptedSocketsGetTheServerSocketsParameters(Impl impl, boolean boundAtCreation) throws Exception {
        SSLContext server = SocketSupport.serverContext(impl);
        SSLContext client = SocketSupport.clientContext(Impl.SUN);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (SSLServerSocket listener = boundAtCreation ? SocketSupport.listen(server)
            : (SSLServerSocket) server.getServerSocketFactory().createServerSocket()) {
            listener.setSoTimeout(SocketSupport.SO_TIMEOUT_MS);
            SSLParameters p = listener.getSSLParameters();
            p.setCipherSuites(SERVER_ORDER);
            p.setProtocols(new String[] {"TLSv1.2"});
            p.setUseCipherSuitesOrder(true);
            p.setWantClientAuth(true);
            p.setApplicationProtocols(new String[] {"h2", "http/1.1"});
            p.setSNIMatchers(List.of(SNIHostName.createSNIMatcher("localhost|.*\\.example")));
            listener.setSSLParameters(p);
            if (!boundAtCreation) {
                listener.bind(new InetSocketAddress(SocketSupport.LOOPBACK, 0));
            }
            Future<SSLParameters[]> accepted = pool.submit(() -> {
                try (SSLSocket s = (SSLSocket) listener.accept()) {
                    s.startHandshake();
                    SSLParameters seen = s.getSSLParameters();
                    s.getOutputStream().write(s.getSession().getCipherSuite().getBytes("US-ASCII"));
                    s.getOutputStream().write('\n');
                    s.getOutputStream().flush();
                    return new SSLParameters[] {seen};
                }
            });
            try (SSLSocket c = SocketSupport.connect(client, listener.getLocalPort())) {
                SSLParameters cp = c.getSSLParameters();
                cp.setCipherSuites(CLIENT_ORDER);
                cp.setApplicationProtocols(new String[] {"http/1.1", "h2"});
                cp.setServerNames(List.of(new SNIHostName("a.example")));
                c.setSSLParameters(cp);
                c.startHandshake();
                assertEquals(SERVER_ORDER[0], c.getSession().getCipherSuite(), "the server's order decided");
                assertEquals("h2", c.getApplicationProtocol(), "the server's ALPN preference decided");
                assertEquals("TLSv1.2", c.getSession().getProtocol());
                // Read the server's report before closing, so its write never meets a closed socket.
                String line = new String(SocketSupport.readFully(c.getInputStream(), SERVER_ORDER[0].length() + 1),
                    java.nio.charset.StandardCharsets.US_ASCII);
                assertEquals(SERVER_ORDER[0] + "\n", line, "the suite the accepted socket negotiated");
            }
            SSLParameters seen = accepted.get(20, TimeUnit.SECONDS)[0];
            assertArrayEquals(SERVER_ORDER, seen.getCipherSuites());
            assertArrayEquals(new String[] {"TLSv1.2"}, seen.getProtocols());
            assertTrue(seen.getUseCipherSuitesOrder(), "useCipherSuitesOrder reached the accepted socket");
            assertTrue(seen.getWantClientAuth(), "wantClientAuth reached the accepted socket");
            assertArrayEquals(new String[] {"h2", "http/1.1"}, seen.getApplicationProtocols());
            SNIMatcher matcher = seen.getSNIMatchers().iterator().next();
            assertTrue(matcher.matches(new SNIHostName("b.example")), "the SNI matcher reached it");
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Whether a server honours its own suite order when nobody said, found by a handshake; the
     * context's supported parameters must say the same.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Impl.class)
    void supportedParametersReportTheServersSuiteOrder(Impl impl) throws Exception {
        SSLContext server = SocketSupport.serverContext(impl);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (SSLServerSocket listener = SocketSupport.listen(server)) {
            listener.setEnabledCipherSuites(SERVER_ORDER);
            listener.setEnabledProtocols(new String[] {"TLSv1.2"});
            Future<?> accepted = pool.submit(() -> {
                try (SSLSocket s = (SSLSocket) listener.accept()) {
                    s.startHandshake();
                    s.getOutputStream().write('x');
                    s.getOutputStream().flush();
                }
                return null;
            });
            boolean serverOrder;
            try (SSLSocket c = SocketSupport.connect(SocketSupport.clientContext(Impl.SUN), listener.getLocalPort())) {
                c.setEnabledCipherSuites(CLIENT_ORDER);
                c.startHandshake();
                serverOrder = c.getSession().getCipherSuite().equals(SERVER_ORDER[0]);
                c.getInputStream().read();
            }
            accepted.get(20, TimeUnit.SECONDS);
            assertEquals(serverOrder, server.getSupportedSSLParameters().getUseCipherSuitesOrder(),
                "the supported parameters say whether servers use their own order (they do: " + serverOrder + ")");
            assertEquals(serverOrder, listener.getSSLParameters().getUseCipherSuitesOrder());
        } finally {
            pool.shutdownNow();
        }
    }
}
