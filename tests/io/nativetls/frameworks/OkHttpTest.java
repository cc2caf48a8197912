package io.nativetls.frameworks;

import static io.nativetls.frameworks.FrameworkSupport.TIMEOUT;
import static io.nativetls.frameworks.FrameworkSupport.assertNative;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.Contexts;
import io.nativetls.testing.Tags;
import io.nativetls.testing.TestPki;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.TlsVersion;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * OkHttp 5 with the socket factory of a NativeTLS SSLContext against Jetty (on SunJSSE, and on
 * NativeTLS): HTTP/2 negotiated by OkHttp through the SSLSocket ALPN API, and HTTP/1.1.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
@ExtendWith(AppendedProvider.class)
@Tag(Tags.FRAMEWORKS)
class OkHttpTest {
    @ParameterizedTest(name = "{0} over {1}, server on {2}")
    @CsvSource({"HTTP_2, TLSv1.3, SunJSSE", "HTTP_1_1, TLSv1.2, SunJSSE", "HTTP_2, TLSv1.2, NativeTLS"})
    void okHttpOnNativeTls(Protocol protocol, String tlsVersion, String serverProvider) throws Exception {
        try (JettyTlsServer server = JettyTlsServer.start(serverProvider, tlsVersion)) {
            ConcurrentLinkedQueue<SSLSocket> sockets = new ConcurrentLinkedQueue<>();
            RecordingSslContext.RecordingSocketFactory factory = new RecordingSslContext.RecordingSocketFactory(
                Contexts.client(Impl.NATIVE).getSocketFactory(), sockets);
            X509TrustManager trust = (X509TrustManager) TestPki.get().trustManagers()[0];
            List<Protocol> offered = protocol == Protocol.HTTP_2 ? List.of(Protocol.HTTP_2, Protocol.HTTP_1_1)
                : List.of(Protocol.HTTP_1_1);
            OkHttpClient client = new OkHttpClient.Builder().sslSocketFactory(factory, trust).protocols(offered)
                .connectTimeout(TIMEOUT).readTimeout(TIMEOUT).callTimeout(TIMEOUT).build();
            try (Response response = client.newCall(new Request.Builder().url(server.url("/okhttp")).build())
                .execute()) {
                assertEquals(200, response.code());
                assertEquals(protocol, response.protocol());
                assertEquals(FrameworkSupport.body(), response.body().string());
                assertEquals(TlsVersion.forJavaName(tlsVersion), response.handshake().tlsVersion());
                assertEquals(TestPki.get().certificate("server-ec"), response.handshake().peerCertificates().get(0));
            } finally {
                client.dispatcher().executorService().shutdown();
                client.connectionPool().evictAll();
            }
            assertEquals(1, sockets.size(), "sockets OkHttp made");
            assertNative(sockets.peek().getSession(), tlsVersion);
            assertEquals(1, server.seen.size());
            JettyTlsServer.Seen seen = server.seen.peek();
            assertEquals(protocol == Protocol.HTTP_2 ? "HTTP/2.0" : "HTTP/1.1", seen.httpVersion());
            if (serverProvider.equals("NativeTLS")) {
                assertNative(seen.session(), tlsVersion);
            }
        }
    }
}
