package io.nativetls.tomcat;

import static io.nativetls.integrations.testing.NativeTlsChecks.assertNativeSession;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nativetls.integrations.testing.Exchange;
import io.nativetls.integrations.testing.TestKeys;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLSession;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.coyote.http2.Http2Protocol;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Embedded Tomcat, NIO connector configured as in server.xml with a PKCS12 key store file and
 * {@code sslImplementationName} naming this adapter, nothing registered in java.security: h2
 * (through ALPN, which Tomcat sets on the engine) and HTTP/1.1 to the JDK HttpClient on SunJSSE,
 * 1 MiB each way.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TomcatAdapterTest {
    // Kept in a field: java.util.logging holds loggers weakly, and a collected one forgets its level.
    private static final Logger TOMCAT_LOG = Logger.getLogger("org.apache");

    @TempDir
    Path baseDir;
    private Tomcat tomcat;
    private Connector connector;
    private final ConcurrentLinkedQueue<String> sessionIds = new ConcurrentLinkedQueue<>();

    @BeforeAll
    static void quietTomcat() {
        TOMCAT_LOG.setLevel(Level.WARNING);
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
        connector = new Connector("org.apache.coyote.http11.Http11NioProtocol");
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        connector.setScheme("https");
        connector.setSecure(true);
        connector.setProperty("SSLEnabled", "true");
        connector.setProperty("sslImplementationName", "io.nativetls.tomcat.NativeTlsImplementation");
        connector.addUpgradeProtocol(new Http2Protocol());
        SSLHostConfig host = new SSLHostConfig();
        host.setProtocols(protocol);
        SSLHostConfigCertificate certificate = new SSLHostConfigCertificate(host, SSLHostConfigCertificate.Type.EC);
        certificate.setCertificateKeystoreFile(TestKeys.get().file().toString());
        certificate.setCertificateKeystoreType("PKCS12");
        certificate.setCertificateKeystorePassword(TestKeys.PASSWORD);
        host.addCertificate(certificate);
        connector.addSslHostConfig(host);
        tomcat.getService().addConnector(connector);
        tomcat.setConnector(connector);

        Context context = tomcat.addContext("", null);
        Tomcat.addServlet(context, "echo", new EchoServlet());
        context.addServletMapping("/echo", "echo");
        tomcat.start();
        return connector.getLocalPort();
    }

    @ParameterizedTest(name = "{0} over {1}")
    @CsvSource({"HTTP_2, TLSv1.3", "HTTP_2, TLSv1.2", "HTTP_1_1, TLSv1.3"})
    void tomcatServesOnNativeTls(HttpClient.Version version, String protocol) throws Exception {
        int port = start(protocol);
        var response = Exchange.post("https://127.0.0.1:" + port + "/echo", version);
        SSLSession client = response.sslSession().orElseThrow();
        assertEquals(protocol, client.getProtocol());

        // Server side: the session Tomcat reported to the servlet is held by the connector's
        // SSLContext, and both are NativeTLS's.
        List<String> ids = List.copyOf(sessionIds);
        assertEquals(1, ids.size(), "requests served");
        SSLHostConfigCertificate certificate = connector.findSslHostConfigs()[0].getCertificates().iterator().next();
        SSLSession server = assertNativeSession(certificate.getSslContext().getServerSessionContext(), ids.get(0));
        assertEquals(protocol, server.getProtocol());
        assertEquals(client.getCipherSuite(), server.getCipherSuite());
        assertEquals(version == HttpClient.Version.HTTP_2 ? "HTTP/2.0" : "HTTP/1.1",
            response.headers().firstValue("X-Servlet-Protocol").orElseThrow(), "the protocol the servlet saw");
    }

    private final class EchoServlet extends HttpServlet {
        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
            byte[] body = request.getInputStream().readAllBytes();
            sessionIds.add((String) request.getAttribute("jakarta.servlet.request.ssl_session_id"));
            byte[] answer = Exchange.responseBody();
            response.setContentType("application/octet-stream");
            response.setHeader(Exchange.REQUEST_SHA256, Exchange.sha256(body));
            response.setHeader("X-Servlet-Protocol", request.getProtocol());
            response.setContentLength(answer.length);
            response.getOutputStream().write(answer);
        }
    }
}
