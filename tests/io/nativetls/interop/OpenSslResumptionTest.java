package io.nativetls.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.internal.tool.EngineStream;
import io.nativetls.testing.ChildProcess;
import io.nativetls.testing.Contexts;
import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.Contexts;
import io.nativetls.testing.Tags;
import io.nativetls.testing.TestPki;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * NativeTLS clients resume with {@code openssl s_server}: s_server's -www page says "New" or
 * "Reused" for each connection, so resumption is observed at the server, not inferred.
 */
@Timeout(60)
@Tag(Tags.INTEROP)
class OpenSslResumptionTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (AutoCloseable c : cleanup) {
            c.close();
        }
    }

    static List<Arguments> modes() {
        return List.of(
            Arguments.of("TLSv1.3", "-tls1_3", "tickets"),
            Arguments.of("TLSv1.2", "-tls1_2", "tickets"),
            Arguments.of("TLSv1.2", "-tls1_2", "session ids"));
    }

    private ChildProcess server(String flag, String mechanism, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("-cert", "server-ec.pem", "-key", "server-ec.key", "-www", flag));
        args.addAll(List.of(extra));
        if (mechanism.equals("session ids")) {
            args.add("-no_ticket");
        }
        ChildProcess server = ChildProcess.opensslServer(TestPki.get().dir, args, WAIT);
        cleanup.add(server);
        return server;
    }

    /** Fetches s_server's status page; returns the page and the client's session. */
    private static Object[] fetch(SSLContext client, int port) throws IOException {
        return fetch(client, "localhost", port);
    }

    private static Object[] fetch(SSLContext client, String host, int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getByName(ChildProcess.LOOPBACK), port), 10_000);
            socket.setSoTimeout(10_000);
            SSLEngine engine = client.createSSLEngine(host, port);
            engine.setUseClientMode(true);
            EngineStream stream = new EngineStream(engine, socket);
            stream.handshake();
            byte[] request = "GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            stream.write(request, 0, request.length);
            ByteArrayOutputStream page = new ByteArrayOutputStream();
            byte[] buf = new byte[4096];
            for (int i = 0; i < 1000; i++) {
                int n = stream.read(buf, 0, buf.length);
                if (n < 0) {
                    break;
                }
                page.write(buf, 0, n);
            }
            return new Object[] {page.toString(StandardCharsets.ISO_8859_1), engine.getSession()};
        }
    }

    private static boolean reused(String page) {
        return page.contains("\nReused, ");
    }

    @ParameterizedTest(name = "{0} with {2}")
    @MethodSource("modes")
    void nativeClientResumesWithOpenSslServer(String protocol, String flag, String mechanism) throws Exception {
        ChildProcess server = server(flag, mechanism);
        SSLContext client = Contexts.client(Impl.NATIVE);
        Object[] first = fetch(client, server.port());
        assertTrue(((String) first[0]).contains("\nNew, "), "first connection is a full handshake:\n" + first[0]);
        assertEquals(protocol, ((SSLSession) first[1]).getProtocol());
        int reused = 0;
        for (int i = 0; i < 4; i++) {
            Object[] next = fetch(client, server.port());
            if (reused((String) next[0])) {
                reused++;
                assertSame(first[1], next[1], "a resumed connection shows the same SSLSession");
            }
        }
        assertEquals(4, reused, "every later connection resumes");
    }

    @ParameterizedTest(name = "{0} with {2}")
    @MethodSource("modes")
    void invalidatedSessionIsNotOffered(String protocol, String flag, String mechanism) throws Exception {
        ChildProcess server = server(flag, mechanism);
        SSLContext client = Contexts.client(Impl.NATIVE);
        Object[] first = fetch(client, server.port());
        ((SSLSession) first[1]).invalidate();
        Object[] second = fetch(client, server.port());
        assertTrue(((String) second[0]).contains("\nNew, "), "no resumption after invalidate():\n" + second[0]);
        assertNotSame(first[1], second[1]);
    }

    /**
     * Every hello, the resuming ones too, asks for the server name: s_server -tlsextdebug prints
     * each extension it receives, and the page says whether the connection resumed.
     */
    @ParameterizedTest(name = "{0} with {2}")
    @MethodSource("modes")
    void resumingHelloCarriesTheServerName(String protocol, String flag, String mechanism) throws Exception {
        ChildProcess server = server(flag, mechanism, "-tlsextdebug");
        SSLContext client = Contexts.client(Impl.NATIVE);
        String sni = "TLS client extension \"server name\"";
        int before = 0;
        for (int i = 0; i < 3; i++) {
            Object[] page = fetch(client, "sni.example", server.port());
            assertEquals(i > 0, reused((String) page[0]), "connection " + i + " resumed:\n" + page[0]);
            assertTrue(server.awaitOutput(sni, before, WAIT), "hello " + i + " without server_name"
                + server.describe());
            before = server.output().lastIndexOf(sni) + sni.length();
        }
    }
}
