package io.nativetls.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.internal.tool.EngineStream;
import io.nativetls.testing.ChildProcess;
import io.nativetls.testing.Closer;
import io.nativetls.testing.Contexts;
import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.RecordProxy;
import io.nativetls.testing.Tags;
import io.nativetls.testing.TestPki;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Record sizes against the openssl command line, measured by a proxy between the peers: a
 * NativeTLS server honours the max_fragment_length that {@code s_client -maxfraglen 512} asks for
 * (OpenSSL answers it, as SunJSSE's server does, with or without jsse.enableMFLNExtension), and a
 * NativeTLS client with a small maximum packet size writes only records of at most that size to
 * {@code s_server}, handshake included.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@Tag(Tags.INTEROP)
class MaxFragmentOpenSslTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int SOCKET_TIMEOUT_MS = 10_000;
    /** TLS 1.2 AES-GCM's overhead (header, explicit nonce, tag), the largest of what these peers negotiate. */
    private static final int AEAD_OVERHEAD = 5 + 8 + 16;

    @RegisterExtension
    final Closer cleanup = new Closer();
    private final Random random = new Random();

    private static String onlyFlag(String protocol) {
        return "TLSv1.3".equals(protocol) ? "-tls1_3" : "-tls1_2";
    }

    private String randomLine(String prefix, int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return prefix + HexFormat.of().formatHex(b) + "\n";
    }

    private static String readLine(EngineStream stream, int max) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        byte[] one = new byte[1];
        while (line.size() < max) {
            int n = stream.read(one, 0, 1);
            if (n < 0) {
                break;
            }
            line.write(one[0]);
            if (one[0] == '\n') {
                break;
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    private static void write(EngineStream stream, String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        stream.write(b, 0, b.length);
    }

    @ParameterizedTest(name = "NativeTLS server, s_client -maxfraglen 512, {0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void nativeServerHonoursTheClientsMaxFragmentLength(String protocol) throws Exception {
        TestPki pki = TestPki.get();
        ServerSocket listener = cleanup.later(new ServerSocket(0, 1, InetAddress.getByName(ChildProcess.LOOPBACK)));
        listener.setSoTimeout(SOCKET_TIMEOUT_MS);
        RecordProxy proxy = cleanup.later(new RecordProxy(listener.getLocalPort()));
        ChildProcess client = cleanup.later(ChildProcess.openssl(pki.dir, List.of("s_client",
            "-connect", ChildProcess.LOOPBACK + ":" + proxy.port(), "-CAfile", "ca.pem", "-verify_return_error",
            "-servername", "localhost", onlyFlag(protocol), "-maxfraglen", "512", "-tlsextdebug")));

        Socket socket = cleanup.later(listener.accept());
        socket.setSoTimeout(SOCKET_TIMEOUT_MS);
        SSLEngine engine = Contexts.server(Impl.NATIVE, "server-rsa").createSSLEngine();
        engine.setUseClientMode(false);
        EngineStream server = new EngineStream(engine, socket);
        server.handshake();

        // 6 KiB in one write: without the extension this would be one record
        String toClient = randomLine("to-client-", 3000);
        write(server, toClient);
        assertTrue(client.awaitOutput(toClient, WAIT), "s_client did not print the server's data" + client.describe());
        assertTrue(client.output().contains("server extension \"max fragment length\""),
            "the server answered the extension" + client.describe());
        String toServer = randomLine("to-server-", 32);
        client.write(toServer);
        assertEquals(toServer, readLine(server, 4096), "line from s_client");
        assertTrue(proxy.toClient.largest() <= 512 + AEAD_OVERHEAD, "NativeTLS server's records: " + proxy.toClient);
        assertTrue(proxy.toClient.records() > 12, "the 6 KiB went in many records: " + proxy.toClient);
        client.closeStdin();
    }

    static Stream<Arguments> sizes() {
        List<Arguments> list = new ArrayList<>();
        for (String protocol : new String[] {"TLSv1.3", "TLSv1.2"}) {
            for (int size : new int[] {600, 1000}) {
                list.add(Arguments.of(protocol, size));
            }
        }
        return list.stream();
    }

    @ParameterizedTest(name = "NativeTLS client, maximum packet size {1}, s_server {0}")
    @MethodSource("sizes")
    void nativeClientKeepsToItsPacketSize(String protocol, int size) throws Exception {
        TestPki pki = TestPki.get();
        ChildProcess server = cleanup.later(ChildProcess.opensslServer(pki.dir, List.of("-cert", "server-rsa.pem",
            "-key", "server-rsa.key", onlyFlag(protocol)), WAIT));
        RecordProxy proxy = cleanup.later(new RecordProxy(server.port()));
        Socket socket = cleanup.later(new Socket());
        socket.connect(new InetSocketAddress(InetAddress.getByName(ChildProcess.LOOPBACK), proxy.port()),
            SOCKET_TIMEOUT_MS);
        socket.setSoTimeout(SOCKET_TIMEOUT_MS);
        SSLEngine engine = Contexts.client(Impl.NATIVE).createSSLEngine("localhost", proxy.port());
        engine.setUseClientMode(true);
        SSLParameters p = engine.getSSLParameters();
        p.setMaximumPacketSize(size);
        engine.setSSLParameters(p);
        EngineStream client = new EngineStream(engine, socket);
        client.handshake();

        String toServer = randomLine("from-client-", 3000);
        write(client, toServer);
        assertTrue(server.awaitOutput(toServer, WAIT), "s_server did not print the client's data" + server.describe());
        String toClient = randomLine("to-client-", 32);
        server.write(toClient);
        assertEquals(toClient, readLine(client, 4096), "line from s_server");
        assertTrue(proxy.toServer.largest() <= size, "NativeTLS client's records: " + proxy.toServer);
        assertEquals(size, proxy.toServer.largest(RecordProxy.APPLICATION_DATA),
            "application data records filled to the size: " + proxy.toServer);
        client.close();
    }
}
