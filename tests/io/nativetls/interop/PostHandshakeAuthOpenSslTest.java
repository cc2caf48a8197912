package io.nativetls.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.internal.tool.EngineStream;
import io.nativetls.testing.ChildProcess;
import io.nativetls.testing.Closer;
import io.nativetls.testing.Contexts;
import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.SavedProperty;
import io.nativetls.testing.Tags;
import io.nativetls.testing.TestPki;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * TLS 1.3 post-handshake authentication, client side: a NativeTLS client offers it, and when
 * {@code openssl s_server} asks for a certificate after the handshake (its {@code c} command), the
 * client answers with the key manager's certificate, which s_server verifies against the test CA;
 * the connection goes on, and the client's session shows the certificate it sent. Sockets and
 * engines (whose key choice is otherwise a delegated task: after the handshake it is inline).
 * A client without a key answers with an empty Certificate; with
 * {@code io.nativetls.postHandshakeAuth=false} the client does not offer it and s_server cannot ask,
 * which is also what SunJSSE's client does (it never offers it).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@Tag(Tags.INTEROP)
class PostHandshakeAuthOpenSslTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    /** -msg: a Certificate message s_server received, with its length. */
    private static final Pattern CERTIFICATE_RECEIVED =
        Pattern.compile("<<< TLS 1\\.3, Handshake \\[length ([0-9a-f]{4})\\], Certificate\\b");

    /** s_server's verify callback on the client's leaf (3.0 prints "CN = x", 3.5 "CN=x"). */
    private static final Pattern VERIFIED_CLIENT = Pattern.compile("depth=0 CN ?= ?nativetls-client\\R+verify return:1");

    @RegisterExtension
    final Closer cleanup = new Closer();

    private ChildProcess server() throws Exception {
        return cleanup.later(ChildProcess.opensslServer(TestPki.get().dir,
            List.of("-cert", "server-ec.pem", "-key", "server-ec.key", "-tls1_3", "-msg", "-CAfile", "ca.pem"), WAIT));
    }

    private static SSLContext clientWithKey() {
        TestPki pki = TestPki.get();
        return Contexts.create(Impl.NATIVE, "TLS", pki.keyManagers("client"), pki.trustManagers());
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; line.size() < 4096 && (b = in.read()) >= 0 && b != '\n';) {
            line.write(b);
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    private static List<String> certificateLengths(String output) {
        return CERTIFICATE_RECEIVED.matcher(output).results().map(m -> m.group(1)).toList();
    }

    /**
     * s_server asks (c), then sends a line the client must read (reading makes it answer). s_server
     * takes a command only from a read of its stdin that holds nothing else: so one at a time.
     */
    private static void askAndSend(ChildProcess server, String expect) throws Exception {
        server.write("c\n");
        assertTrue(server.awaitOutput(expect, WAIT), server.describe());
        server.write("after-request\n");
    }

    @Test
    void socketAnswersWithTheKeyManagersCertificate() throws Exception {
        ChildProcess server = server();
        try (SSLSocket socket = (SSLSocket) clientWithKey().getSocketFactory().createSocket()) {
            socket.connect(new InetSocketAddress(InetAddress.getByName(ChildProcess.LOOPBACK), server.port()), 10_000);
            socket.setSoTimeout(15_000);
            socket.startHandshake();
            assertNull(socket.getSession().getLocalCertificates(), "no certificate during the handshake");
            askAndSend(server, "CertificateRequest");
            assertEquals("after-request", readLine(socket.getInputStream()));
            socket.getOutputStream().write("after-answer\n".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            assertTrue(server.awaitOutput("after-answer", WAIT), server.describe());
            String output = server.output();
            assertTrue(output.contains("CertificateRequest"), output);
            assertEquals(1, certificateLengths(output.substring(output.indexOf("CertificateRequest"))).size(),
                "one Certificate from the client after the request:\n" + output);
            assertTrue(VERIFIED_CLIENT.matcher(output).find(),
                "s_server verified the client's certificate:\n" + output);
            assertSent(socket.getSession());
        }
    }

    @Test
    void engineAnswersInlineThoughItsKeyChoiceIsOtherwiseATask() throws Exception {
        ChildProcess server = server();
        Socket socket = cleanup.later(new Socket());
        socket.connect(new InetSocketAddress(InetAddress.getByName(ChildProcess.LOOPBACK), server.port()), 10_000);
        socket.setSoTimeout(15_000);
        SSLEngine engine = clientWithKey().createSSLEngine("localhost", server.port());
        engine.setUseClientMode(true);
        EngineStream stream = new EngineStream(engine, socket);
        stream.handshake();
        askAndSend(server, "CertificateRequest");
        byte[] buf = new byte[64];
        StringBuilder got = new StringBuilder();
        while (!got.toString().contains("after-request\n")) {
            int n = stream.read(buf, 0, buf.length);
            assertTrue(n > 0, "end of stream after " + got);
            got.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
        }
        byte[] line = "after-answer\n".getBytes(StandardCharsets.US_ASCII);
        stream.write(line, 0, line.length);
        assertTrue(server.awaitOutput("after-answer", WAIT), server.describe());
        String output = server.output();
        assertTrue(VERIFIED_CLIENT.matcher(output).find(), output);
        assertSent(engine.getSession());
    }

    private static void assertSent(SSLSession session) throws Exception {
        Certificate[] local = session.getLocalCertificates();
        assertTrue(local != null && local.length > 0, "the session shows the certificate sent");
        assertArrayEquals(TestPki.get().certificate("client").getEncoded(), local[0].getEncoded());
    }

    @Test
    void aClientWithoutAKeyAnswersWithAnEmptyCertificate() throws Exception {
        ChildProcess server = server();
        try (SSLSocket socket = (SSLSocket) Contexts.client(Impl.NATIVE).getSocketFactory().createSocket()) {
            socket.connect(new InetSocketAddress(InetAddress.getByName(ChildProcess.LOOPBACK), server.port()), 10_000);
            socket.setSoTimeout(15_000);
            socket.startHandshake();
            askAndSend(server, "CertificateRequest");
            assertEquals("after-request", readLine(socket.getInputStream()));
            socket.getOutputStream().write("after-answer\n".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            assertTrue(server.awaitOutput("after-answer", WAIT), server.describe());
            String output = server.output();
            String after = output.substring(output.indexOf("CertificateRequest"));
            List<String> lengths = certificateLengths(after);
            // The request context s_server chose and an empty certificate_list: no certificate entry.
            assertEquals(1, lengths.size(), "one Certificate answered the request:\n" + output);
            assertTrue(Integer.parseInt(lengths.get(0), 16) < 0x40, "an empty Certificate:\n" + output);
            assertFalse(after.contains("verify return"), "nothing to verify:\n" + output);
            assertNull(socket.getSession().getLocalCertificates());
        }
    }

    @Test
    void switchedOffTheClientDoesNotOfferIt() throws Exception {
        SSLContext ctx;
        try (SavedProperty saved = SavedProperty.of("io.nativetls.postHandshakeAuth")) {
            System.setProperty("io.nativetls.postHandshakeAuth", "false");
            ctx = clientWithKey();
        }
        assertNotOffered(ctx);
    }

    /** The difference README states: SunJSSE's client never offers post-handshake authentication. */
    @Test
    void sunJsseDoesNotOfferIt() throws Exception {
        TestPki pki = TestPki.get();
        assertNotOffered(Contexts.create(Impl.SUN, "TLS", pki.keyManagers("client"), pki.trustManagers()));
    }

    private void assertNotOffered(SSLContext ctx) throws Exception {
        ChildProcess server = server();
        try (SSLSocket socket = (SSLSocket) ctx.getSocketFactory().createSocket()) {
            socket.connect(new InetSocketAddress(InetAddress.getByName(ChildProcess.LOOPBACK), server.port()), 10_000);
            socket.setSoTimeout(15_000);
            socket.startHandshake();
            askAndSend(server, "extension not received"); // SSL_verify_client_post_handshake refused
            assertEquals("after-request", readLine(socket.getInputStream()), "the connection goes on");
            String output = server.output();
            assertFalse(output.contains("CertificateRequest"), "s_server sent no CertificateRequest:\n" + output);
            assertTrue(certificateLengths(output).isEmpty(), "no Certificate from the client:\n" + output);
        }
    }
}
