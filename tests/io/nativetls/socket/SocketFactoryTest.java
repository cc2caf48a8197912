package io.nativetls.socket;

import static io.nativetls.socket.SocketSupport.LOOPBACK;
import static io.nativetls.socket.SocketSupport.SO_TIMEOUT_MS;
import static io.nativetls.socket.SocketSupport.clientContext;
import static io.nativetls.socket.SocketSupport.readFully;
import static io.nativetls.socket.SocketSupport.serverContext;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.testing.Contexts;
import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.TestPki;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every way the socket factories make sockets, and what each kind of socket inherits. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SocketFactoryTest {
    private static final byte[] HELLO = "hello over TLS".getBytes(StandardCharsets.US_ASCII);
    private static final ExecutorService EXECUTOR = Executors.newCachedThreadPool();

    private static SSLContext client;
    private static SSLSocketFactory factory;

    @BeforeAll
    static void contexts() {
        client = clientContext(Impl.NATIVE);
        factory = client.getSocketFactory();
    }

    @AfterAll
    static void stop() {
        EXECUTOR.shutdownNow();
    }

    /** Sends HELLO through s, expects it echoed, and returns s. */
    private static SSLSocket echoHello(Socket socket) throws IOException {
        SSLSocket s = assertInstanceOf(SSLSocket.class, socket);
        s.setSoTimeout(SO_TIMEOUT_MS);
        s.getOutputStream().write(HELLO);
        assertArrayEquals(HELLO, readFully(s.getInputStream(), HELLO.length));
        return s;
    }

    private interface Maker {
        Socket make(int port) throws IOException;
    }

    private static void checkForm(Maker maker, String expectedPeerHost) throws Exception {
        try (SocketSupport.Server srv = SocketSupport.Server.echo(serverContext(Impl.NATIVE), 1)) {
            try (SSLSocket s = echoHello(maker.make(srv.port()))) {
                assertTrue(s.getUseClientMode());
                assertEquals(expectedPeerHost, s.getSession().getPeerHost());
                assertEquals(srv.port(), s.getSession().getPeerPort());
                assertEquals(srv.port(), s.getPort());
                assertEquals(LOOPBACK, s.getInetAddress());
                assertTrue(s.isConnected());
                assertTrue(s.isBound());
                assertNull(s.getChannel());
            }
            srv.finish();
        }
    }

    @Test
    void hostAndPort() throws Exception {
        checkForm(port -> factory.createSocket("localhost", port), "localhost");
        checkForm(port -> factory.createSocket("127.0.0.1", port), "127.0.0.1");
    }

    @Test
    void addressAndPortKeepsTheNameWithoutReverseLookup() throws Exception {
        checkForm(port -> factory.createSocket(LOOPBACK, port), LOOPBACK.getHostName());
        InetAddress named = InetAddress.getByAddress("named.example", new byte[] {127, 0, 0, 1});
        checkForm(port -> factory.createSocket(named, port), "named.example");
        InetAddress literal = InetAddress.getByName("127.0.0.1");
        checkForm(port -> factory.createSocket(literal, port), "127.0.0.1");
    }

    @Test
    void hostPortAndLocalAddress() throws Exception {
        checkForm(port -> {
            Socket s = factory.createSocket("127.0.0.1", port, LOOPBACK, 0);
            assertEquals(LOOPBACK, s.getLocalAddress());
            assertTrue(s.getLocalPort() > 0);
            return s;
        }, "127.0.0.1");
    }

    @Test
    void addressPortAndLocalAddress() throws Exception {
        checkForm(port -> {
            Socket s = factory.createSocket(LOOPBACK, port, LOOPBACK, 0);
            assertEquals(LOOPBACK, s.getLocalAddress());
            assertEquals(new InetSocketAddress(LOOPBACK, port), s.getRemoteSocketAddress());
            return s;
        }, LOOPBACK.getHostName());
    }

    @Test
    void unconnectedThenConnectKeepsSettingsMadeBefore() throws Exception {
        try (SocketSupport.Server srv = SocketSupport.Server.echo(serverContext(Impl.NATIVE), 1)) {
            SSLSocket s = (SSLSocket) factory.createSocket();
            try (s) {
                assertFalse(s.isConnected());
                assertThrows(SocketException.class, s::getInputStream);
                assertThrows(SocketException.class, s::startHandshake);
                s.setEnabledProtocols(new String[] {"TLSv1.2"});
                s.setSoTimeout(SO_TIMEOUT_MS);
                s.connect(new InetSocketAddress("127.0.0.1", srv.port()), SO_TIMEOUT_MS);
                assertTrue(s.isConnected());
                assertEquals(SO_TIMEOUT_MS, s.getSoTimeout());
                echoHello(s);
                assertEquals("TLSv1.2", s.getSession().getProtocol());
                assertEquals("127.0.0.1", s.getSession().getPeerHost());
                assertArrayEquals(new String[] {"TLSv1.2"}, s.getEnabledProtocols());
            }
            assertTrue(s.isClosed());
            srv.finish();
        }
    }

    @Test
    void layeredWithoutAutoCloseLeavesThePlainSocketOpen() throws Exception {
        try (SocketSupport.Server srv = SocketSupport.Server.echo(serverContext(Impl.NATIVE), 1);
            Socket plain = SocketSupport.plainConnect(srv.port())) {
            SSLSocket s = (SSLSocket) factory.createSocket(plain, "localhost", srv.port(), false);
            echoHello(s);
            assertEquals("localhost", s.getSession().getPeerHost());
            s.close();
            assertTrue(s.isClosed());
            assertFalse(plain.isClosed(), "autoClose=false must leave the plain socket open");
            // The server saw our close_notify, ended its echo loop and closed: whatever records we left
            // unread (TLS 1.3 tickets, the server's close_notify) and then a plain EOF, no "Socket closed".
            byte[] rest = plain.getInputStream().readAllBytes();
            assertTrue(rest.length < 4096, "only a few records were left: " + rest.length);
            assertEquals(-1, plain.getInputStream().read());
            srv.finish();
        }
    }

    @Test
    void layeredWithAutoCloseClosesThePlainSocket() throws Exception {
        try (SocketSupport.Server srv = SocketSupport.Server.echo(serverContext(Impl.NATIVE), 1);
            Socket plain = SocketSupport.plainConnect(srv.port())) {
            SSLSocket s = (SSLSocket) factory.createSocket(plain, null, srv.port(), true);
            echoHello(s);
            assertEquals(new InetSocketAddress(plain.getInetAddress(), 0).getHostString(), s.getSession().getPeerHost(),
                "no host given: the address's name as made, never a reverse lookup");
            s.close();
            assertTrue(plain.isClosed());
            srv.finish();
        }
    }

    @ParameterizedTest(name = "{0} client")
    @EnumSource(Impl.class)
    void serverSocketOverConsumedClientHelloBytes(Impl clientImpl) throws Exception {
        SSLSocketFactory serverFactory = serverContext(Impl.NATIVE).getSocketFactory();
        try (ServerSocket listener = SocketSupport.plainListener()) {
            Future<String> server = EXECUTOR.submit(() -> {
                try (Socket plain = listener.accept()) {
                    plain.setSoTimeout(SO_TIMEOUT_MS);
                    // Sniff the record header, as a port-sharing server would, then hand over.
                    byte[] header = readFully(plain.getInputStream(), 5);
                    assertEquals(22, header[0], "a handshake record");
                    try (SSLSocket s = (SSLSocket) serverFactory.createSocket(plain,
                        new ByteArrayInputStream(header), true)) {
                        assertFalse(s.getUseClientMode());
                        SocketSupport.Server.echo(s);
                        return s.getSession().getProtocol();
                    }
                }
            });
            try (SSLSocket s = SocketSupport.connect(clientContext(clientImpl), listener.getLocalPort())) {
                echoHello(s);
            }
            assertEquals("TLSv1.3", server.get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void serverSocketFactoryForms() throws Exception {
        SSLServerSocketFactory ssf = serverContext(Impl.NATIVE).getServerSocketFactory();
        SSLServerSocket unbound = (SSLServerSocket) ssf.createServerSocket();
        assertFalse(unbound.isBound());
        unbound.bind(new InetSocketAddress(LOOPBACK, 0));
        List<ServerSocket> sockets = List.of(unbound, ssf.createServerSocket(0), ssf.createServerSocket(0, 10),
            ssf.createServerSocket(0, 10, LOOPBACK));
        for (ServerSocket ss : sockets) {
            SSLServerSocket listener = assertInstanceOf(SSLServerSocket.class, ss);
            listener.setSoTimeout(SO_TIMEOUT_MS);
            assertFalse(listener.getUseClientMode());
            assertTrue(listener.getEnabledProtocols().length > 0);
            try (SocketSupport.Server srv = new SocketSupport.Server(listener, 1, SocketSupport.Server::echo);
                SSLSocket s = SocketSupport.connect(client, srv.port())) {
                echoHello(s);
                s.close();
                srv.finish();
                assertEquals(1, srv.accepted());
            }
        }
    }

    @Test
    void acceptedSocketsInheritTheServerSocketSettings() throws Exception {
        SSLServerSocket listener = SocketSupport.listen(serverContext(Impl.NATIVE));
        listener.setNeedClientAuth(true);
        listener.setEnabledProtocols(new String[] {"TLSv1.2"});
        assertTrue(listener.getNeedClientAuth());
        SSLContext withKey = Contexts.create(Impl.NATIVE, "TLS", TestPki.get().keyManagers("client"),
            TestPki.get().trustManagers());
        try (SocketSupport.Server srv = new SocketSupport.Server(listener, 2, s -> {
            assertTrue(s.getNeedClientAuth());
            assertArrayEquals(new String[] {"TLSv1.2"}, s.getEnabledProtocols());
            SocketSupport.Server.echo(s);
        })) {
            try (SSLSocket s = SocketSupport.connect(withKey, srv.port())) {
                echoHello(s);
                assertEquals("TLSv1.2", s.getSession().getProtocol());
            }
            try (SSLSocket s = SocketSupport.connect(client, srv.port())) {
                assertThrows(SSLHandshakeException.class, () -> {
                    s.startHandshake();
                    // TLS 1.2: the server's refusal arrives before our handshake can complete.
                });
            }
            Exception serverSide = assertThrows(Exception.class, srv::finish);
            assertInstanceOf(SSLHandshakeException.class, serverSide, "the second client had no certificate");
        }
    }

    @Test
    void cipherSuiteLists() {
        SSLServerSocketFactory ssf = serverContext(Impl.NATIVE).getServerSocketFactory();
        List<String> supported = Arrays.asList(factory.getSupportedCipherSuites());
        String[] defaults = factory.getDefaultCipherSuites();
        assertTrue(defaults.length > 0);
        assertTrue(supported.containsAll(Arrays.asList(defaults)));
        assertArrayEquals(client.createSSLEngine().getEnabledCipherSuites(), defaults);
        assertArrayEquals(defaults, ssf.getDefaultCipherSuites());
        assertArrayEquals(factory.getSupportedCipherSuites(), ssf.getSupportedCipherSuites());
        assertTrue(supported.contains("TLS_AES_128_GCM_SHA256"));
    }

    @Test
    void readingFromTheStreamStartsTheHandshake() throws Exception {
        try (SocketSupport.Server srv = new SocketSupport.Server(SocketSupport.listen(serverContext(Impl.NATIVE)), 1,
            s -> s.getOutputStream().write(HELLO));
            SSLSocket s = SocketSupport.connect(client, srv.port())) {
            InputStream in = s.getInputStream();
            assertArrayEquals(HELLO, readFully(in, HELLO.length));
            assertEquals("TLSv1.3", s.getSession().getProtocol());
            srv.finish();
        }
    }
}
