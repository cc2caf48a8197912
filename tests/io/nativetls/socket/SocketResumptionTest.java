package io.nativetls.socket;

import static io.nativetls.socket.SocketSupport.clientContext;
import static io.nativetls.socket.SocketSupport.serverContext;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.testing.Matrix;
import io.nativetls.testing.ChildProcess;
import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.TestPki;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Resumption over sockets: a NativeTLS client socket offers its last session to the same host and
 * port, and NativeTLS and SunJSSE server sockets resume it; {@code openssl s_client -reconnect}
 * resumes with a NativeTLS server socket.
 */
@Timeout(90)
class SocketResumptionTest {
    static List<Arguments> cases() {
        return Matrix.list(Matrix.PROTOCOLS, Impl.values());
    }

    /** Connects, sends a line, reads the echo (so a TLS 1.3 ticket is read too), closes. */
    private static SSLSession exchange(SSLContext client, int port, String protocol) throws Exception {
        try (SSLSocket s = SocketSupport.connect(client, port)) {
            s.setEnabledProtocols(new String[] {protocol});
            s.getOutputStream().write("ping\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("ping\n", new String(SocketSupport.readFully(s.getInputStream(), 5), StandardCharsets.US_ASCII));
            return s.getSession();
        }
    }

    @ParameterizedTest(name = "{0}, {1} server")
    @MethodSource("cases")
    void secondConnectionResumesAndInvalidateStopsIt(String protocol, Impl serverImpl) throws Exception {
        SSLContext server = serverContext(serverImpl);
        List<SSLSession> serverSessions = Collections.synchronizedList(new ArrayList<>());
        try (SocketSupport.Server srv = new SocketSupport.Server(SocketSupport.listen(server), 4, s -> {
            InputStream in = s.getInputStream();
            byte[] line = SocketSupport.readFully(in, 5);
            s.getOutputStream().write(line);
            serverSessions.add(s.getSession());
            in.read(); // until the client closes
        })) {
            SSLContext client = clientContext(Impl.NATIVE);
            SSLSession first = exchange(client, srv.port(), protocol);
            SSLSession second = exchange(client, srv.port(), protocol);
            assertSame(first, second, "the client resumed its session");
            second.invalidate();
            SSLSession third = exchange(client, srv.port(), protocol);
            assertNotSame(first, third, "an invalidated session is not offered");
            SSLSession fourth = exchange(client, srv.port(), protocol);
            assertSame(third, fourth);
            srv.finish();
            if (serverImpl == Impl.NATIVE) {
                assertSame(serverSessions.get(0), serverSessions.get(1), "the server resumed the same session");
                assertNotSame(serverSessions.get(1), serverSessions.get(2));
                assertSame(serverSessions.get(2), serverSessions.get(3));
            }
        }
    }

    /**
     * TLS 1.2: s_client connects, then reconnects five times offering the session, printing
     * "Reused" for each resumed connection.
     */
    @org.junit.jupiter.api.Test
    void opensslReconnectResumesTls12() throws Exception {
        try (SocketSupport.Server srv = new SocketSupport.Server(SocketSupport.listen(serverContext(Impl.NATIVE)), 6,
            s -> {
                s.startHandshake();
                s.getInputStream().read(); // s_client closes each connection after its handshake
            })) {
            String out = sClient(srv.port(), 0, "-reconnect", "-tls1_2");
            assertTrue(count(out, "TLSv1.2") >= 4, "s_client reported " + count(out, "TLSv1.2")
                + " of 5 reconnections as reused:\n" + out);
        }
    }

    /**
     * TLS 1.3: the ticket comes after the handshake, and s_client -reconnect drops each connection
     * before reading anything (so it never resumes, not even with openssl s_server). s_client with
     * -sess_out reads the ticket while it stays connected, and -sess_in offers it: five
     * reconnections that way must resume.
     */
    @org.junit.jupiter.api.Test
    void opensslResumesTls13WithSavedSessions() throws Exception {
        java.nio.file.Path session = java.nio.file.Files.createTempFile("nativetls-s_client", ".pem");
        try (SocketSupport.Server srv = new SocketSupport.Server(SocketSupport.listen(serverContext(Impl.NATIVE)), 6,
            s -> {
                s.startHandshake();
                s.getInputStream().read();
            })) {
            String first = sClient(srv.port(), 700, "-tls1_3", "-sess_out", session.toString());
            assertEquals(0, count(first, "TLSv1.3"), first);
            int reused = 0;
            StringBuilder all = new StringBuilder();
            for (int i = 0; i < 5; i++) {
                String out = sClient(srv.port(), 700, "-tls1_3", "-sess_in", session.toString(), "-sess_out",
                    session.toString());
                reused += count(out, "TLSv1.3");
                all.append(out);
            }
            assertTrue(reused >= 4, "s_client reported " + reused + " of 5 connections as reused:\n" + all);
        } finally {
            java.nio.file.Files.deleteIfExists(session);
        }
    }

    /** Runs s_client against the port; its stdin stays open for holdMillis, then ends. */
    private static String sClient(int port, long holdMillis, String... more) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
            "-CAfile", TestPki.get().file("ca.pem").toString()));
        cmd.addAll(List.of(more));
        try (ChildProcess p = ChildProcess.in(null).start(cmd)) {
            Thread.sleep(holdMillis);
            p.closeStdin();
            assertTrue(p.awaitExit(Duration.ofSeconds(60)), "s_client did not finish");
            return p.output();
        }
    }

    private static int count(String out, String protocol) {
        Matcher reused = Pattern.compile("(?m)^Reused, " + Pattern.quote(protocol)).matcher(out);
        int count = 0;
        while (reused.find()) {
            count++;
        }
        return count;
    }
}
