package io.nativetls.frameworks;

import static io.nativetls.frameworks.FrameworkSupport.TIMEOUT;
import static io.nativetls.frameworks.FrameworkSupport.assertNative;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.nativetls.NativeTlsProvider;
import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.Contexts;
import io.nativetls.testing.Tags;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Jetty 12 with {@code SslContextFactory.Server#setProvider("NativeTLS")} serving HTTP/2 (ALPN h2)
 * and HTTP/1.1 to the JDK's HttpClient on SunJSSE.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
@ExtendWith(AppendedProvider.class)
@Tag(Tags.FRAMEWORKS)
class JettyTest {
    @ParameterizedTest(name = "{0} over {1}")
    @CsvSource({"HTTP_2, TLSv1.3", "HTTP_2, TLSv1.2", "HTTP_1_1, TLSv1.3", "HTTP_1_1, TLSv1.2"})
    void jettyOnNativeTlsServesTheJdkHttpClient(HttpClient.Version version, String protocol) throws Exception {
        try (JettyTlsServer server = JettyTlsServer.start(NativeTlsProvider.NAME, protocol)) {
            HttpClient client = HttpClient.newBuilder().sslContext(Contexts.client(Impl.SUN)).version(version)
                .connectTimeout(TIMEOUT).build();
            HttpRequest request = HttpRequest.newBuilder(URI.create(server.url("/jetty"))).timeout(TIMEOUT).build();
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());

            assertEquals(200, response.statusCode());
            assertEquals(version, response.version());
            assertEquals(FrameworkSupport.body(), response.body());
            assertEquals(protocol, response.sslSession().orElseThrow().getProtocol());

            List<JettyTlsServer.Seen> seen = List.copyOf(server.seen);
            assertEquals(1, seen.size());
            JettyTlsServer.Seen one = seen.get(0);
            assertEquals("/jetty", one.path());
            assertEquals(version == HttpClient.Version.HTTP_2 ? "HTTP/2.0" : "HTTP/1.1", one.httpVersion());
            assertNotNull(one.session(), "no SSL session on the request");
            assertNative(one.session(), protocol);
            assertEquals(response.sslSession().orElseThrow().getCipherSuite(), one.session().getCipherSuite());
        }
    }

    /** Many HTTP/2 streams at once on one NativeTLS connection: Jetty writes their frames interleaved. */
    @Test
    void concurrentHttp2Streams() throws Exception {
        int streams = 24;
        try (JettyTlsServer server = JettyTlsServer.start(NativeTlsProvider.NAME)) {
            HttpClient client = HttpClient.newBuilder().sslContext(Contexts.client(Impl.SUN))
                .version(HttpClient.Version.HTTP_2).connectTimeout(TIMEOUT).build();
            List<CompletableFuture<HttpResponse<String>>> pending = new ArrayList<>();
            for (int i = 0; i < streams; i++) {
                HttpRequest request = HttpRequest.newBuilder(URI.create(server.url("/stream/" + i))).timeout(TIMEOUT)
                    .build();
                pending.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
            }
            for (CompletableFuture<HttpResponse<String>> f : pending) {
                HttpResponse<String> response = f.get(20, TimeUnit.SECONDS);
                assertEquals(200, response.statusCode());
                assertEquals(HttpClient.Version.HTTP_2, response.version());
                assertEquals(FrameworkSupport.body(), response.body());
            }
            List<JettyTlsServer.Seen> seen = List.copyOf(server.seen);
            assertEquals(streams, seen.size());
            for (JettyTlsServer.Seen one : seen) {
                assertEquals("HTTP/2.0", one.httpVersion());
                assertNative(one.session(), "TLSv1.3");
            }
        }
    }
}
