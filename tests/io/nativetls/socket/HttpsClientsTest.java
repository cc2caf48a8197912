package io.nativetls.socket;

import static io.nativetls.socket.SocketSupport.clientContext;
import static io.nativetls.socket.SocketSupport.serverContext;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.testing.ChildProcess;
import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.Tags;
import io.nativetls.testing.TestPki;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The JDK's HTTPS clients on a NativeTLS context against {@code openssl s_server -www}, and curl
 * against a NativeTLS server socket.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@Tag(Tags.INTEROP)
class HttpsClientsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static String flag(String protocol) {
        return protocol.equals("TLSv1.3") ? "-tls1_3" : "-tls1_2";
    }

    private static String url(ChildProcess server) {
        return "https://127.0.0.1:" + server.port() + "/";
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void httpsUrlConnection(String protocol) throws Exception {
        SSLContext ctx = clientContext(Impl.NATIVE);
        try (ChildProcess server = SocketSupport.wwwServer(TestPki.get().dir, "server-ec", flag(protocol))) {
            HttpsURLConnection c = (HttpsURLConnection) new URL(url(server)).openConnection();
            c.setSSLSocketFactory(ctx.getSocketFactory());
            c.setConnectTimeout((int) TIMEOUT.toMillis());
            c.setReadTimeout((int) TIMEOUT.toMillis());
            try {
                assertEquals(200, c.getResponseCode(), server::output);
                // Before the body: s_server closes after it, and then the connection has no session to show.
                assertNotNull(c.getCipherSuite());
                assertEquals(TestPki.get().certificate("server-ec"), c.getServerCertificates()[0]);
                String body;
                try (InputStream in = c.getInputStream()) {
                    body = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
                }
                assertTrue(body.contains(protocol + ", Cipher is"), body);
            } finally {
                c.disconnect();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void httpClient(String protocol) throws Exception {
        SSLContext ctx = clientContext(Impl.NATIVE);
        try (ChildProcess server = SocketSupport.wwwServer(TestPki.get().dir, "server-ec", flag(protocol))) {
            HttpClient client = HttpClient.newBuilder().sslContext(ctx).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(TIMEOUT).build();
            HttpRequest request = HttpRequest.newBuilder(URI.create(url(server))).timeout(TIMEOUT).build();
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), server::output);
            assertTrue(response.body().contains(protocol + ", Cipher is"), response.body());
            assertEquals(protocol, response.sslSession().orElseThrow().getProtocol());
        }
    }

    @Test
    void bothRefuseAnUntrustedServer() throws Exception {
        SSLContext ctx = clientContext(Impl.NATIVE);
        try (ChildProcess server = SocketSupport.wwwServer(TestPki.get().dir, "rogue", "-tls1_3")) {
            HttpsURLConnection c = (HttpsURLConnection) new URL(url(server)).openConnection();
            c.setSSLSocketFactory(ctx.getSocketFactory());
            c.setConnectTimeout((int) TIMEOUT.toMillis());
            c.setReadTimeout((int) TIMEOUT.toMillis());
            assertThrows(SSLHandshakeException.class, c::getResponseCode);

            HttpClient client = HttpClient.newBuilder().sslContext(ctx).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(TIMEOUT).build();
            HttpRequest request = HttpRequest.newBuilder(URI.create(url(server))).timeout(TIMEOUT).build();
            assertThrows(SSLHandshakeException.class,
                () -> client.send(request, HttpResponse.BodyHandlers.ofString()));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void curlAgainstANativeTlsServerSocket(String protocol) throws Exception {
        Assumptions.assumeTrue(ChildProcess.onPath("curl"), "curl is not installed (.ci/run installs it)");
        byte[] body = ("served by NativeTLS over " + protocol + "\n").getBytes(StandardCharsets.US_ASCII);
        try (SocketSupport.Server srv = new SocketSupport.Server(SocketSupport.listen(serverContext(Impl.NATIVE)), 1,
            s -> respond(s, body))) {
            List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20", "--cacert",
                TestPki.get().file("ca.pem").toString()));
            cmd.addAll(protocol.equals("TLSv1.3") ? List.of("--tlsv1.3") : List.of("--tlsv1.2", "--tls-max", "1.2"));
            cmd.add("https://127.0.0.1:" + srv.port() + "/");
            // The sanitizer build preloads libasan into the test JVM; curl must not inherit it (it hangs).
            ChildProcess.Result r = ChildProcess.in(null).unset("LD_PRELOAD").run(cmd, null, Duration.ofSeconds(40));
            String out = r.output;
            assertTrue(r.exit >= 0, "curl did not finish: " + out);
            assertEquals(0, r.exit, out);
            assertEquals(new String(body, StandardCharsets.US_ASCII), out);
            srv.finish();
        }
    }

    /** A one-request HTTP/1.1 responder: reads the request head, answers, closes. */
    private static void respond(SSLSocket s, byte[] body) throws IOException {
        InputStream in = s.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        for (int i = 0; i < 16_384 && !head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n"); i++) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("request ended early: " + head);
            }
            head.write(b);
        }
        assertTrue(head.toString(StandardCharsets.ISO_8859_1).startsWith("GET / HTTP/1.1\r\n"), head.toString());
        OutputStream out = s.getOutputStream();
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length
            + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
    }
}
