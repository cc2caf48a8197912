package io.nativetls.frameworks;

import static io.nativetls.frameworks.FrameworkSupport.TIMEOUT;
import static io.nativetls.frameworks.FrameworkSupport.assertNative;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nativetls.testing.Contexts;
import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.TestPki;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.coyote.http2.Http2Protocol;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Embedded Tomcat 11, NIO connector, its TLS done by NativeTLS through
 * {@code sslImplementationName}, serving a servlet over HTTP/2 (ALPN, which Tomcat leaves to the
 * engine: it only sets SSLParameters#setApplicationProtocols) and HTTP/1.1 to the JDK HttpClient.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TomcatTest {
    // Kept in a field: java.util.logging holds loggers weakly, and a collected one forgets its level.
    private static final Logger TOMCAT_LOG = Logger.getLogger("org.apache");

    @TempDir
    Path baseDir;
    private Tomcat tomcat;

    @BeforeAll
    static void quietTomcat() {
        TOMCAT_LOG.setLevel(Level.SEVERE);
    }

    @BeforeEach
    void clearEngines() {
        NativeTlsTomcatImplementation.ENGINES.clear();
    }

    @AfterEach
    void stop() throws Exception {
        if (tomcat != null) {
            tomcat.stop();
            tomcat.destroy();
        }
    }

    private int start(String protocol) throws Exception {
        tomcat = new Tomcat();
        tomcat.setBaseDir(Files.createDirectories(baseDir.resolve("tomcat")).toString());
        Connector connector = new Connector("org.apache.coyote.http11.Http11NioProtocol");
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        connector.setScheme("https");
        connector.setSecure(true);
        connector.setProperty("SSLEnabled", "true");
        connector.setProperty("sslImplementationName", NativeTlsTomcatImplementation.class.getName());
        connector.addUpgradeProtocol(new Http2Protocol());
        SSLHostConfig host = new SSLHostConfig();
        host.setProtocols(protocol);
        SSLHostConfigCertificate certificate = new SSLHostConfigCertificate(host, SSLHostConfigCertificate.Type.EC);
        certificate.setCertificateKeystore(TestPki.get().keyStore("server-ec"));
        certificate.setCertificateKeystorePassword(new String(TestPki.PASSWORD));
        host.addCertificate(certificate);
        connector.addSslHostConfig(host);
        tomcat.getService().addConnector(connector);
        tomcat.setConnector(connector);

        Context context = tomcat.addContext("", null);
        Tomcat.addServlet(context, "body", new BodyServlet());
        context.addServletMapping("/tomcat", "body");
        tomcat.start();
        return connector.getLocalPort();
    }

    @ParameterizedTest(name = "{0} over {1}")
    @CsvSource({"HTTP_2, TLSv1.3", "HTTP_1_1, TLSv1.3", "HTTP_1_1, TLSv1.2"})
    void tomcatOnNativeTlsServesTheJdkHttpClient(HttpClient.Version version, String protocol) throws Exception {
        int port = start(protocol);
        HttpClient client = HttpClient.newBuilder().sslContext(Contexts.client(Impl.SUN)).version(version)
            .connectTimeout(TIMEOUT).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/tomcat"))
            .timeout(TIMEOUT).build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());

        assertEquals(200, response.statusCode());
        assertEquals(version, response.version());
        assertEquals(FrameworkSupport.body(), response.body());
        SSLSession clientSession = response.sslSession().orElseThrow();
        assertEquals(protocol, clientSession.getProtocol());
        // What Tomcat's SSLSupport read from the NativeTLS session, as the servlet saw it.
        assertEquals(clientSession.getCipherSuite(), response.headers().firstValue("X-Cipher-Suite").orElseThrow());
        assertEquals(protocol, response.headers().firstValue("X-Tls-Protocol").orElseThrow());

        List<SSLEngine> handshaken = NativeTlsTomcatImplementation.ENGINES.stream()
            .filter(e -> !e.getSession().getProtocol().equals("NONE")).toList();
        assertEquals(1, handshaken.size(), "server engines that did a handshake");
        SSLEngine server = handshaken.get(0);
        assertNative(server);
        assertEquals(protocol, server.getSession().getProtocol());
        assertEquals(clientSession.getCipherSuite(), server.getSession().getCipherSuite());
        assertEquals(version == HttpClient.Version.HTTP_2 ? "h2" : "", server.getApplicationProtocol());
    }

    private static final class BodyServlet extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain");
            response.setHeader("X-Cipher-Suite", (String) request.getAttribute("jakarta.servlet.request.cipher_suite"));
            response.setHeader("X-Tls-Protocol",
                (String) request.getAttribute("org.apache.tomcat.util.net.secure_protocol_version"));
            byte[] body = FrameworkSupport.bodyBytes();
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
        }
    }
}
