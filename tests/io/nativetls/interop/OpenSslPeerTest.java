package io.nativetls.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.nativetls.testing.SavedProperty;
import io.nativetls.testing.Matrix;
import io.nativetls.internal.tool.EngineStream;
import io.nativetls.testing.ChildProcess;
import io.nativetls.testing.Closer;
import io.nativetls.testing.Contexts;
import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.Contexts;
import io.nativetls.testing.Tags;
import io.nativetls.testing.TestPki;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * NativeTLS against a real OpenSSL peer: the {@code openssl s_server} and {@code s_client} command
 * line tools, over TCP on 127.0.0.1, with the engine driven by {@link EngineStream}.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
@Tag(Tags.INTEROP)
class OpenSslPeerTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int SOCKET_TIMEOUT_MS = 10_000;

    @RegisterExtension
    final Closer cleanup = new Closer();
    private final Random random = new Random();

    static Stream<Arguments> protocolsAndKeys() {
        return Matrix.of(new String[] {"TLSv1.3", "TLSv1.2"}, new String[] {"server-rsa", "server-ec"});
    }

    /** s_server's flag for just this protocol: -tls1_3 or -tls1_2. */
    private static String onlyFlag(String protocol) {
        switch (protocol) {
            case "TLSv1.3":
                return "-tls1_3";
            case "TLSv1.2":
                return "-tls1_2";
            default:
                throw new IllegalArgumentException(protocol);
        }
    }

    private ChildProcess startServer(String key, String... more) throws Exception {
        TestPki pki = TestPki.get();
        List<String> args = new ArrayList<>(List.of("-cert", key + ".pem", "-key", key + ".key"));
        args.addAll(List.of(more));
        return cleanup.later(ChildProcess.opensslServer(pki.dir, args, WAIT));
    }

    /** A NativeTLS client engine over a fresh connection to 127.0.0.1:port. */
    private EngineStream connectNativeClient(int port, String... protocols) throws IOException {
        return connectNativeClientSocket(port, protocols).stream;
    }

    private static final class Connection {
        final Socket socket;
        final EngineStream stream;

        Connection(Socket socket, EngineStream stream) {
            this.socket = socket;
            this.stream = stream;
        }
    }

    private Connection connectNativeClientSocket(int port, String... protocols) throws IOException {
        Socket socket = cleanup.later(new Socket());
        socket.connect(new InetSocketAddress(InetAddress.getByName(ChildProcess.LOOPBACK), port),
            SOCKET_TIMEOUT_MS);
        socket.setSoTimeout(SOCKET_TIMEOUT_MS);
        SSLEngine engine = Contexts.client(Impl.NATIVE).createSSLEngine("localhost", port);
        engine.setUseClientMode(true);
        if (protocols.length > 0) {
            engine.setEnabledProtocols(protocols);
        }
        return new Connection(socket, new EngineStream(engine, socket));
    }

    /** A line of random hex after a prefix (no command letter of s_server/s_client starts it). */
    private String randomLine(String prefix, int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return prefix + HexFormat.of().formatHex(b) + "\n";
    }

    /** Reads up to and including the next '\n' (bounded by max bytes and the socket timeout). */
    private static String readLine(EngineStream stream, int max) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        byte[] one = new byte[1];
        while (line.size() < max) {
            int n = stream.read(one, 0, 1);
            if (n < 0) {
                fail("end of stream after " + line.size() + " bytes of a line: "
                    + line.toString(StandardCharsets.ISO_8859_1));
            }
            line.write(one[0]);
            if (one[0] == '\n') {
                return line.toString(StandardCharsets.ISO_8859_1);
            }
        }
        throw new AssertionError("no end of line in " + max + " bytes");
    }

    private static void write(EngineStream stream, String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        stream.write(b, 0, b.length);
    }

    private static void assertNegotiated(String protocol, SSLSession session) {
        assertEquals(protocol, session.getProtocol());
        String suite = session.getCipherSuite();
        assertNotNull(suite);
        assertTrue(suite.startsWith("TLS_"), "cipher suite is not an IANA name: " + suite);
    }

    /** The key algorithm JCA names for the test key. */
    private static String keyAlgorithm(String key) {
        return key.equals("server-rsa") ? "RSA" : "EC";
    }

    // ---------------------------------------------------------------------------------------------
    // NativeTLS client, openssl s_server

    @ParameterizedTest(name = "NativeTLS client, s_server {0}, {1}")
    @MethodSource("protocolsAndKeys")
    void nativeClientTalksToOpenSslServer(String protocol, String key) throws Exception {
        ChildProcess server = startServer(key, onlyFlag(protocol));
        EngineStream client = connectNativeClient(server.port());
        client.handshake();

        SSLSession session = client.engine().getSession();
        assertNegotiated(protocol, session);
        Certificate[] peer = session.getPeerCertificates();
        assertEquals(TestPki.get().certificate(key), peer[0], "the server certificate s_server presented");
        assertEquals(keyAlgorithm(key), peer[0].getPublicKey().getAlgorithm());

        // client -> s_server: s_server prints the application data it receives on stdout
        String toServer = randomLine("from-client-", 32);
        write(client, toServer);
        assertTrue(server.awaitOutput(toServer, WAIT), "s_server did not print the client's line "
            + toServer + server.describe());

        // s_server stdin -> client
        String toClient = randomLine("to-client-", 32);
        server.write(toClient);
        assertEquals(toClient, readLine(client, 4096), "line sent from s_server's stdin");

        // close_notify: s_server reports a clean close with DONE (an EOF without it would be an ERROR)
        int mark = server.output().length();
        client.close();
        assertTrue(server.awaitOutput("DONE", mark, WAIT), "s_server did not see a clean close"
            + server.describe());
    }

    @ParameterizedTest(name = "NativeTLS client, s_server -rev {0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void nativeClientGetsLinesReversedByOpenSslServer(String protocol) throws Exception {
        ChildProcess server = startServer("server-ec", onlyFlag(protocol), "-rev");
        EngineStream client = connectNativeClient(server.port());
        client.handshake();
        assertNegotiated(protocol, client.engine().getSession());

        // many lines written at once (several records in flight), then all read back reversed
        List<String> lines = new ArrayList<>();
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < 64; i++) {
            String line = randomLine("line-" + i + "-", 200);
            lines.add(line);
            all.append(line);
        }
        write(client, all.toString());
        for (String line : lines) {
            String body = line.substring(0, line.length() - 1);
            String reversed = new StringBuilder(body).reverse() + "\n";
            String got = readLine(client, 4096);
            assertEquals(reversed, got, "reversed line from s_server -rev" + server.describe());
        }
        client.close();
    }

    // ---------------------------------------------------------------------------------------------
    // NativeTLS server, openssl s_client

    private static final Pattern NEW_SESSION = Pattern.compile("New, (TLSv[0-9.]+), Cipher is (\\S+)");

    @ParameterizedTest(name = "NativeTLS server, s_client {0}, {1}")
    @MethodSource("protocolsAndKeys")
    void openSslClientTalksToNativeServer(String protocol, String key) throws Exception {
        TestPki pki = TestPki.get();
        ServerSocket listener = cleanup.later(new ServerSocket(0, 1, InetAddress.getByName(ChildProcess.LOOPBACK)));
        listener.setSoTimeout(SOCKET_TIMEOUT_MS);
        ChildProcess client = cleanup.later(ChildProcess.openssl(pki.dir, List.of("s_client",
            "-connect", ChildProcess.LOOPBACK + ":" + listener.getLocalPort(),
            "-CAfile", "ca.pem", "-verify_return_error", "-verify_hostname", "localhost",
            onlyFlag(protocol), "-servername", "localhost")));

        Socket socket = cleanup.later(listener.accept());
        socket.setSoTimeout(SOCKET_TIMEOUT_MS);
        SSLEngine engine = Contexts.server(Impl.NATIVE, key).createSSLEngine();
        engine.setUseClientMode(false);
        EngineStream server = new EngineStream(engine, socket);
        server.handshake();
        assertNegotiated(protocol, engine.getSession());
        assertArrayEquals(new Certificate[] {pki.certificate(key), pki.certificate("ca")},
            engine.getSession().getLocalCertificates(), "the chain the server presented");

        // server -> s_client: s_client prints the application data it receives on stdout
        String toClient = randomLine("from-server-", 32);
        write(server, toClient);
        assertTrue(client.awaitOutput(toClient, WAIT), "s_client did not print the server's line "
            + toClient + client.describe());

        // s_client's summary of the handshake ends with the verification result
        assertTrue(client.awaitOutput("Verify return code: ", WAIT), "no handshake summary" + client.describe());
        String out = client.output();
        Matcher m = NEW_SESSION.matcher(out);
        assertTrue(m.find(), "no 'New, <protocol>, Cipher is' line" + client.describe());
        assertEquals(protocol, m.group(1), "protocol s_client reports" + client.describe());
        if (protocol.equals("TLSv1.3")) {
            // TLS 1.3 suite names are the same in OpenSSL and IANA spelling
            assertEquals(engine.getSession().getCipherSuite(), m.group(2));
        }
        assertTrue(out.contains("Verify return code: 0 (ok)"), "s_client did not verify the server"
            + client.describe());

        // s_client stdin -> server
        String toServer = randomLine("from-client-", 32);
        client.write(toServer);
        assertEquals(toServer, readLine(server, 4096), "line sent from s_client's stdin");

        // end of s_client's stdin: it sends close_notify and the server reads the end of the stream
        client.closeStdin();
        byte[] rest = new byte[1];
        assertEquals(-1, server.read(rest, 0, 1), "the server did not read the end of the stream");
        assertTrue(engine.isInboundDone(), "close_notify from s_client ends the inbound side");
    }

    // ---------------------------------------------------------------------------------------------
    // handshake failures with a real peer

    @ParameterizedTest(name = "NativeTLS client rejects untrusted s_server certificate, {0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void nativeClientRejectsUntrustedServer(String protocol) throws Exception {
        ChildProcess server = startServer("rogue", onlyFlag(protocol));
        Connection connection = connectNativeClientSocket(server.port());
        EngineStream client = connection.stream;

        SSLHandshakeException e = assertThrows(SSLHandshakeException.class, client::handshake,
            () -> "handshake with an untrusted server certificate" + server.describe());
        assertTrue(hasCause(e, CertificateException.class),
            () -> "no CertificateException from the trust manager in the cause chain of " + chain(e));

        // the failed engine still has its fatal alert to wrap; s_server reports the alert it receives
        sendPendingRecords(client.engine(), connection.socket);
        assertTrue(server.awaitOutput("SSL alert number", WAIT),
            "s_server did not receive the client's alert" + server.describe());
    }

    /** Wraps what an engine still has to send (after a failure: its alert) and sends it. */
    private static void sendPendingRecords(SSLEngine engine, Socket socket) throws IOException {
        ByteBuffer empty = ByteBuffer.allocate(0);
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        for (int i = 0; i < 8; i++) {
            SSLEngineResult r = engine.wrap(empty, out);
            if (r.bytesProduced() == 0) {
                break;
            }
        }
        out.flip();
        assertTrue(out.hasRemaining(), "the engine produced no alert after the failed handshake");
        socket.getOutputStream().write(out.array(), out.arrayOffset() + out.position(), out.remaining());
        socket.getOutputStream().flush();
    }

    @Test
    void nativeTls12ClientFailsAgainstTls13OnlyServer() throws Exception {
        ChildProcess server = startServer("server-ec", "-tls1_3");
        EngineStream client = connectNativeClient(server.port(), "TLSv1.2");

        assertThrows(SSLHandshakeException.class, client::handshake,
            () -> "TLSv1.2-only client against a TLSv1.3-only server" + server.describe());
        assertTrue(server.awaitOutput("unsupported protocol", WAIT),
            "s_server should fail the handshake for the protocol version" + server.describe());
    }

    // ---------------------------------------------------------------------------------------------
    // post-handshake messages

    @Test
    void tls13KeyUpdateFromOpenSslServerIsHandledTransparently() throws Exception {
        ChildProcess server = startServer("server-ec", "-tls1_3");
        EngineStream client = connectNativeClient(server.port());
        client.handshake();
        for (int round = 0; round < 3; round++) {
            // "K": s_server sends KeyUpdate asking the client to update its keys too
            server.write("K\n");
            pauseForStdinRead();
            String toClient = randomLine("after-update-" + round + "-", 32);
            server.write(toClient);
            assertEquals(toClient, readLine(client, 4096), "data after the server's KeyUpdate");
            String toServer = randomLine("reply-" + round + "-", 32);
            write(client, toServer);
            assertTrue(server.awaitOutput(toServer, WAIT), "s_server could not read data under the client's new keys"
                + server.describe());
        }
        client.close();
    }

    @Test
    void namedGroupsPropertyChoosesTheKeyExchangeGroup() throws Exception {
        TestPki pki = TestPki.get();
        javax.net.ssl.SSLContext context;
        try (SavedProperty restored = SavedProperty.of("jdk.tls.namedGroups")) {
            System.setProperty("jdk.tls.namedGroups", "secp384r1");
            context = Contexts.server(Impl.NATIVE, "server-ec"); // read when the context is initialised
        }
        ServerSocket listener = cleanup.later(new ServerSocket(0, 1, InetAddress.getByName(ChildProcess.LOOPBACK)));
        listener.setSoTimeout(SOCKET_TIMEOUT_MS);
        ChildProcess client = cleanup.later(ChildProcess.openssl(pki.dir, List.of("s_client",
            "-connect", ChildProcess.LOOPBACK + ":" + listener.getLocalPort(), "-CAfile", "ca.pem",
            "-groups", "X25519:P-256:P-384")));
        Socket socket = cleanup.later(listener.accept());
        socket.setSoTimeout(SOCKET_TIMEOUT_MS);
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        EngineStream server = new EngineStream(engine, socket);
        server.handshake();
        assertTrue(client.awaitOutput("Server Temp Key", WAIT), client.describe());
        assertTrue(client.output().contains("Server Temp Key: ECDH, secp384r1"),
            "the server should have chosen P-384 although the client prefers X25519" + client.describe());
    }

    /** s_server takes a line as a command only if it arrives alone in one read of its stdin. */
    private static void pauseForStdinRead() throws InterruptedException {
        Thread.sleep(300);
    }

    @Test
    void tls12RenegotiationRequestFromOpenSslServerIsRefused() throws Exception {
        ChildProcess server = startServer("server-ec", "-tls1_2");
        EngineStream client = connectNativeClient(server.port());
        client.handshake();
        byte[] sessionId = client.engine().getSession().getId();
        // "R": s_server sends HelloRequest. The client refuses with a no_renegotiation warning;
        // OpenSSL's server answers that with a fatal handshake_failure, which must surface as an
        // SSLException naming both alerts, with the engine closed, not as a hang or a crash.
        server.write("R\n");
        javax.net.ssl.SSLException e = assertThrows(javax.net.ssl.SSLException.class, () -> readLine(client, 4096));
        assertTrue(e.getMessage().contains("alert sent: no renegotiation"), e.getMessage());
        assertTrue(client.engine().isInboundDone(), "a failed engine is closed inbound");
        assertArrayEquals(sessionId, client.engine().getSession().getId(), "no new handshake happened");
    }

    @Test
    void tls12RenegotiationFromOpenSslClientIsRefused() throws Exception {
        TestPki pki = TestPki.get();
        ServerSocket listener = cleanup.later(new ServerSocket(0, 1, InetAddress.getByName(ChildProcess.LOOPBACK)));
        listener.setSoTimeout(SOCKET_TIMEOUT_MS);
        ChildProcess client = cleanup.later(ChildProcess.openssl(pki.dir, List.of("s_client",
            "-connect", ChildProcess.LOOPBACK + ":" + listener.getLocalPort(), "-CAfile", "ca.pem", "-tls1_2")));
        Socket socket = cleanup.later(listener.accept());
        socket.setSoTimeout(SOCKET_TIMEOUT_MS);
        SSLEngine engine = Contexts.server(Impl.NATIVE, "server-ec").createSSLEngine();
        engine.setUseClientMode(false);
        EngineStream server = new EngineStream(engine, socket);
        server.handshake();
        byte[] sessionId = engine.getSession().getId();
        assertTrue(client.awaitOutput("Verify return code", WAIT), client.describe());

        client.write("R\n");
        // The server refuses with no_renegotiation; OpenSSL's client then gives up on the connection.
        // Either way the server must end cleanly: an SSLException or the end of the stream, no hang.
        byte[] buf = new byte[64];
        try {
            int n = server.read(buf, 0, buf.length);
            assertEquals(-1, n, "no application data was sent");
        } catch (javax.net.ssl.SSLException expected) {
            assertTrue(engine.isInboundDone(), "a failed engine is closed inbound");
        }
        assertArrayEquals(sessionId, engine.getSession().getId(), "no renegotiation happened");
        assertTrue(client.awaitOutput("no renegotiation", WAIT), "s_client did not see the refusal" + client.describe());
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return false;
    }

    private static String chain(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null && sb.length() < 4000; c = c.getCause()) {
            sb.append("\n  ").append(c);
        }
        return sb.toString();
    }
}
