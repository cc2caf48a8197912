package io.nativetls.frameworks;

import static io.nativetls.frameworks.FrameworkSupport.assertNative;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.Contexts;
import io.nativetls.testing.Tags;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.core5.http.HttpVersion;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Apache HttpClient 5 on a NativeTLS SSLContext against Jetty: the classic client (SSLSocket,
 * through its TLS socket strategy) and the async client (SSLEngine, h2 through ALPN).
 */
@org.junit.jupiter.api.Timeout(value = 30, unit = TimeUnit.SECONDS)
@ExtendWith(AppendedProvider.class)
@Tag(Tags.FRAMEWORKS)
class ApacheHttpClientTest {
    private static final Timeout TIMEOUT = Timeout.ofSeconds(10);

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void classicClient(String tlsVersion) throws Exception {
        try (JettyTlsServer server = JettyTlsServer.start("SunJSSE", tlsVersion);
            CloseableHttpClient client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                    .setTlsSocketStrategy(ClientTlsStrategyBuilder.create()
                        .setSslContext(Contexts.client(Impl.NATIVE)).buildClassic())
                    .build())
                .build()) {
            HttpClientContext context = HttpClientContext.create();
            String body = client.execute(new HttpGet(server.url("/classic")), context, response -> {
                assertEquals(200, response.getCode());
                return EntityUtils.toString(response.getEntity(), StandardCharsets.US_ASCII);
            });
            assertEquals(FrameworkSupport.body(), body);
            assertNotNull(context.getSSLSession(), "no SSL session in the client context");
            assertNative(context.getSSLSession(), tlsVersion);
            assertEquals("HTTP/1.1", server.seen.peek().httpVersion());
        }
    }

    @ParameterizedTest(name = "{0} over {1}, server on {2}")
    @CsvSource({"NEGOTIATE, TLSv1.3, SunJSSE", "FORCE_HTTP_1, TLSv1.2, SunJSSE", "NEGOTIATE, TLSv1.2, NativeTLS"})
    void asyncClient(HttpVersionPolicy policy, String tlsVersion, String serverProvider) throws Exception {
        try (JettyTlsServer server = JettyTlsServer.start(serverProvider, tlsVersion);
            CloseableHttpAsyncClient client = HttpAsyncClients.custom()
                .setConnectionManager(PoolingAsyncClientConnectionManagerBuilder.create()
                    .setTlsStrategy(ClientTlsStrategyBuilder.create()
                        .setSslContext(Contexts.client(Impl.NATIVE)).buildAsync())
                    .setDefaultTlsConfig(TlsConfig.custom().setVersionPolicy(policy).setHandshakeTimeout(TIMEOUT)
                        .build())
                    .build())
                .build()) {
            client.start();
            HttpClientContext context = HttpClientContext.create();
            SimpleHttpResponse response = client.execute(SimpleRequestBuilder.get(server.url("/async")).build(),
                context, null).get(10, TimeUnit.SECONDS);
            assertEquals(200, response.getCode());
            boolean h2 = policy == HttpVersionPolicy.NEGOTIATE;
            assertEquals(h2 ? HttpVersion.HTTP_2 : HttpVersion.HTTP_1_1, response.getVersion());
            assertEquals(FrameworkSupport.body(), response.getBodyText());
            assertNotNull(context.getSSLSession(), "no SSL session in the client context");
            assertNative(context.getSSLSession(), tlsVersion);
            JettyTlsServer.Seen seen = server.seen.peek();
            assertEquals(h2 ? "HTTP/2.0" : "HTTP/1.1", seen.httpVersion());
            if (serverProvider.equals("NativeTLS")) {
                assertNative(seen.session(), tlsVersion);
            }
            client.close(CloseMode.GRACEFUL);
        }
    }
}
