package io.nativetls.jetty;

import static io.nativetls.integrations.testing.NativeTlsChecks.assertNative;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.NativeTlsProvider;
import io.nativetls.integrations.testing.Exchange;
import io.nativetls.integrations.testing.TestKeys;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.security.Security;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.ALPNProcessor;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A stock Jetty 12 server (ALPNServerConnectionFactory, HTTP/2 and HTTP/1.1 factories, nothing of
 * NativeTLS's but the provider name) with this jar on the class path: h2 and http/1.1 through ALPN
 * on NativeTLS engines, to the JDK's HttpClient on SunJSSE, 1 MiB each way.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JettyAlpnTest {
    private final ConcurrentLinkedQueue<Seen> seen = new ConcurrentLinkedQueue<>();
    private Server server;

    /** One request as Jetty's handler saw it. */
    record Seen(SSLSession session, String httpVersion) {}

    @BeforeAll
    static void registerProvider() {
        // Appended: Jetty finds it by name, everything else in this JVM keeps SunJSSE.
        if (Security.getProvider(NativeTlsProvider.NAME) == null) {
            Security.addProvider(new NativeTlsProvider());
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    private int start(String provider, String protocol) throws Exception {
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setProvider(provider);
        tls.setKeyStore(TestKeys.get().keyStore());
        tls.setKeyStorePassword(TestKeys.PASSWORD);
        tls.setIncludeProtocols(protocol);
        HttpConfiguration config = new HttpConfiguration();
        config.addCustomizer(new SecureRequestCustomizer());
        ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory("h2", "http/1.1");
        alpn.setDefaultProtocol("http/1.1");
        server = new Server(new QueuedThreadPool(16, 2));
        ServerConnector connector = new ServerConnector(server, 1, 1, new SslConnectionFactory(tls, alpn.getProtocol()),
            alpn, new HTTP2ServerConnectionFactory(config), new HttpConnectionFactory(config));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Answer());
        server.start();
        return connector.getLocalPort();
    }

    @ParameterizedTest(name = "{0} over {1}")
    @CsvSource({"HTTP_2, TLSv1.3", "HTTP_2, TLSv1.2", "HTTP_1_1, TLSv1.3"})
    void stockJettyNegotiatesOnNativeTlsEngines(HttpClient.Version version, String protocol) throws Exception {
        int port = start(NativeTlsProvider.NAME, protocol);
        var response = Exchange.post("https://127.0.0.1:" + port + "/echo", version);
        assertEquals(protocol, response.sslSession().orElseThrow().getProtocol());

        List<Seen> requests = List.copyOf(seen);
        assertEquals(1, requests.size());
        Seen one = requests.get(0);
        assertEquals(version == HttpClient.Version.HTTP_2 ? "HTTP/2.0" : "HTTP/1.1", one.httpVersion());
        assertNative(one.session());
        assertEquals(protocol, one.session().getProtocol());
        assertEquals(response.sslSession().orElseThrow().getCipherSuite(), one.session().getCipherSuite());
    }

    @Test
    void serviceLoaderFindsTheProcessor() {
        assertTrue(ServiceLoader.load(ALPNProcessor.Server.class).stream()
                .anyMatch(p -> p.type() == NativeTlsAlpnProcessor.class),
            "META-INF/services does not name NativeTlsAlpnProcessor");
    }

    /** Engines of other providers stay with their own processors. */
    @Test
    void declinesOtherEngines() throws Exception {
        SSLContext sun = SSLContext.getInstance("TLS", "SunJSSE");
        sun.init(null, null, null);
        assertFalse(new NativeTlsAlpnProcessor().appliesTo(sun.createSSLEngine()));
        SSLContext nativeTls = SSLContext.getInstance("TLS", NativeTlsProvider.NAME);
        nativeTls.init(null, null, null);
        assertTrue(new NativeTlsAlpnProcessor().appliesTo(nativeTls.createSSLEngine()));
    }

    private final class Answer extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            byte[] body;
            try (InputStream in = Content.Source.asInputStream(request)) {
                body = in.readAllBytes();
            }
            EndPoint.SslSessionData tls = (EndPoint.SslSessionData) request.getAttribute(
                EndPoint.SslSessionData.ATTRIBUTE);
            seen.add(new Seen(tls == null ? null : tls.sslSession(),
                request.getConnectionMetaData().getHttpVersion().asString()));
            byte[] answer = Exchange.responseBody();
            response.setStatus(200);
            response.getHeaders().put(Exchange.REQUEST_SHA256, Exchange.sha256(body));
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, answer.length);
            response.write(true, ByteBuffer.wrap(answer), callback);
            return true;
        }
    }
}
