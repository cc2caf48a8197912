package io.nativetls.frameworks;

import static io.nativetls.frameworks.FrameworkSupport.TIMEOUT;
import static io.nativetls.frameworks.FrameworkSupport.assertNative;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.Contexts;
import io.nativetls.testing.Tags;
import io.nativetls.testing.TestPki;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.HandshakeCompletedEvent;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The JDK's HTTPS clients on NativeTLS against Jetty, adding what HttpsClientsTest (openssl
 * s_server, HTTP/1.1 only) does not cover: HttpsURLConnection's HandshakeCompletedListener path,
 * and the HttpClient negotiating HTTP/2 through ALPN on a NativeTLS SSLEngine.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
@ExtendWith(AppendedProvider.class)
@Tag(Tags.FRAMEWORKS)
class JdkClientsTest {
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void httpsUrlConnectionAgainstJetty(String tlsVersion) throws Exception {
        try (JettyTlsServer server = JettyTlsServer.start("SunJSSE", tlsVersion)) {
            ConcurrentLinkedQueue<SSLSocket> sockets = new ConcurrentLinkedQueue<>();
            RecordingSslContext.RecordingSocketFactory factory = new RecordingSslContext.RecordingSocketFactory(
                Contexts.client(Impl.NATIVE).getSocketFactory(), sockets);
            HttpsURLConnection c = (HttpsURLConnection) new URL(server.url("/urlconnection")).openConnection();
            c.setSSLSocketFactory(factory);
            c.setConnectTimeout((int) TIMEOUT.toMillis());
            c.setReadTimeout((int) TIMEOUT.toMillis());
            try {
                assertEquals(200, c.getResponseCode());
                assertEquals(tlsVersion, c.getSSLSession().orElseThrow().getProtocol());
                assertEquals(TestPki.get().certificate("server-ec"), c.getServerCertificates()[0]);
                try (InputStream in = c.getInputStream()) {
                    assertEquals(FrameworkSupport.body(), new String(in.readAllBytes(), StandardCharsets.US_ASCII));
                }
            } finally {
                c.disconnect();
            }
            HandshakeCompletedEvent event = factory.handshakes.poll(10, TimeUnit.SECONDS);
            assertNotNull(event, "no HandshakeCompletedEvent");
            assertEquals(1, sockets.size(), "sockets HttpsURLConnection made");
            assertSame(sockets.peek(), event.getSocket());
            assertNative(event.getSocket());
            assertNative(event.getSession(), tlsVersion);
            assertEquals(event.getSession().getCipherSuite(), event.getCipherSuite());
            assertEquals("HTTP/1.1", server.seen.peek().httpVersion());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void httpClientNegotiatesHttp2OnANativeTlsEngine(String tlsVersion) throws Exception {
        try (JettyTlsServer server = JettyTlsServer.start("SunJSSE", tlsVersion)) {
            RecordingSslContext ctx = RecordingSslContext.of(Contexts.client(Impl.NATIVE));
            HttpClient client = HttpClient.newBuilder().sslContext(ctx).version(HttpClient.Version.HTTP_2)
                .connectTimeout(TIMEOUT).build();
            HttpRequest request = HttpRequest.newBuilder(URI.create(server.url("/httpclient"))).timeout(TIMEOUT)
                .build();
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());

            assertEquals(200, response.statusCode());
            assertEquals(HttpClient.Version.HTTP_2, response.version());
            assertEquals(FrameworkSupport.body(), response.body());
            assertEquals(tlsVersion, response.sslSession().orElseThrow().getProtocol());
            List<SSLEngine> engines = List.copyOf(ctx.engines);
            assertEquals(1, engines.size(), "engines the HttpClient made");
            assertNative(engines.get(0));
            assertEquals("h2", engines.get(0).getApplicationProtocol());
            assertEquals("HTTP/2.0", server.seen.peek().httpVersion());
        }
    }
}
