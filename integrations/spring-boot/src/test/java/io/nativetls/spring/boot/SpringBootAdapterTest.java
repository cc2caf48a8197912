package io.nativetls.spring.boot;

import static io.nativetls.integrations.testing.NativeTlsChecks.assertNative;
import static io.nativetls.integrations.testing.NativeTlsChecks.assertNativeSession;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.integrations.testing.Exchange;
import io.nativetls.integrations.testing.TestKeys;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocket;
import org.apache.catalina.connector.Connector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jetty.JettyWebServer;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Spring Boot 4 applications configured only by {@code server.ssl.*} (a PKCS12 key store file) and
 * {@code server.http2.enabled}, with this adapter on the class path: embedded Tomcat, Jetty and
 * Reactor Netty serve h2 and HTTP/1.1 on NativeTLS to the JDK's HttpClient on SunJSSE, 1 MiB each
 * way, and SSL bundles create NativeTLS contexts for clients; {@code nativetls.enabled=false} leaves
 * all on the JDK's TLS.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SpringBootAdapterTest {
    @BeforeEach
    void clear() {
        Apps.SEEN.clear();
    }

    private static ConfigurableApplicationContext run(Class<?> app, WebApplicationType type, String... extra) {
        String[] base = {
            "server.port=0", "server.address=127.0.0.1", "server.http2.enabled=true",
            "server.ssl.key-store=file:" + TestKeys.get().file(), "server.ssl.key-store-type=PKCS12",
            "server.ssl.key-store-password=" + TestKeys.PASSWORD, "server.ssl.key-alias=" + TestKeys.ALIAS,
            // a client bundle, trusting the server's certificate, for the clients' SSLContext
            "spring.ssl.bundle.jks.client.truststore.location=file:" + TestKeys.get().file(),
            "spring.ssl.bundle.jks.client.truststore.type=PKCS12",
            "spring.ssl.bundle.jks.client.truststore.password=" + TestKeys.PASSWORD,
            "spring.main.banner-mode=off", "logging.level.root=WARN", "logging.level.io.nativetls=INFO"};
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return new SpringApplicationBuilder(app).web(type).properties(all).run();
    }

    private static WebServer server(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer();
    }

    /** Both HTTP versions against one running application; returns what its server side saw. */
    private static List<Apps.Seen> exchangeBoth(WebServer server) throws Exception {
        String url = "https://127.0.0.1:" + server.getPort() + "/echo";
        for (HttpClient.Version version : List.of(HttpClient.Version.HTTP_2, HttpClient.Version.HTTP_1_1)) {
            HttpResponse<byte[]> response = Exchange.post(url, version);
            assertEquals("TLSv1.3", response.sslSession().orElseThrow().getProtocol());
        }
        List<Apps.Seen> seen = List.copyOf(Apps.SEEN);
        assertEquals(2, seen.size(), "requests the application served");
        assertEquals("HTTP/2.0", seen.get(0).protocol());
        assertEquals("HTTP/1.1", seen.get(1).protocol());
        return seen;
    }

    /**
     * What a client configured by the bundle (RestClient, WebClient on the JDK client) gets: the
     * bundle's SSLContext. Returns the session of a handshake with the server made with it.
     */
    private static SSLSession clientBundleHandshake(ConfigurableApplicationContext context) throws Exception {
        SSLContext fromBundle = context.getBean(SslBundles.class).getBundle("client").createSslContext();
        try (SSLSocket socket = (SSLSocket) fromBundle.getSocketFactory().createSocket("127.0.0.1",
                server(context).getPort())) {
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            return socket.getSession();
        }
    }

    private static SSLSessionContext tomcatSessions(WebServer server) {
        Connector connector = ((TomcatWebServer) server).getTomcat().getService().findConnectors()[0];
        return connector.findSslHostConfigs()[0].getCertificates().iterator().next().getSslContext()
            .getServerSessionContext();
    }

    @Test
    void tomcat() throws Exception {
        try (ConfigurableApplicationContext context = run(Apps.TomcatApp.class, WebApplicationType.SERVLET)) {
            assertTrue(context.getBean(NativeTlsStatus.class).inUse(), context.getBean(NativeTlsStatus.class)
                .description());
            WebServer server = server(context);
            for (Apps.Seen one : exchangeBoth(server)) {
                assertNativeSession(tomcatSessions(server), one.sessionId());
            }
            assertNative(clientBundleHandshake(context));
        }
    }

    @Test
    void jetty() throws Exception {
        try (ConfigurableApplicationContext context = run(Apps.JettyApp.class, WebApplicationType.SERVLET)) {
            WebServer server = server(context);
            SslConnectionFactory tls = ((JettyWebServer) server).getServer().getConnectors()[0]
                .getConnectionFactory(SslConnectionFactory.class);
            for (Apps.Seen one : exchangeBoth(server)) {
                assertNativeSession(tls.getSslContextFactory().getSslContext().getServerSessionContext(),
                    one.sessionId());
            }
        }
    }

    @Test
    void reactorNetty() throws Exception {
        try (ConfigurableApplicationContext context = run(Apps.NettyApp.class, WebApplicationType.REACTIVE)) {
            for (Apps.Seen one : exchangeBoth(server(context))) {
                assertNative(one.engine());
                assertEquals("TLSv1.3", one.engine().getSession().getProtocol());
            }
        }
    }

    /** The off switch, and proof that the checks above tell NativeTLS from the JDK's TLS. */
    @Test
    void offSwitchLeavesTheJdkTls() throws Exception {
        try (ConfigurableApplicationContext context = run(Apps.TomcatApp.class, WebApplicationType.SERVLET,
                NativeTlsStatus.ENABLED + "=false")) {
            NativeTlsStatus status = context.getBean(NativeTlsStatus.class);
            assertFalse(status.inUse());
            assertTrue(status.description().contains(NativeTlsStatus.ENABLED + "=false"), status.description());
            WebServer server = server(context);
            exchangeBoth(server);
            SSLSessionContext sessions = tomcatSessions(server);
            assertFalse(sessions.getClass().getName().startsWith("io.nativetls."), sessions.getClass().getName());
            SSLSession any = sessions.getSession(java.util.HexFormat.of().parseHex(Apps.SEEN.peek().sessionId()));
            assertFalse(any != null && any.getClass().getName().startsWith("io.nativetls."));
            SSLSession client = clientBundleHandshake(context);
            assertFalse(client.getClass().getName().startsWith("io.nativetls."), client.getClass().getName());
        }
    }
}
