package io.nativetls.frameworks;

import io.nativetls.testing.TestPki;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import org.eclipse.jetty.alpn.java.server.JDK9ServerALPNProcessor;
import org.eclipse.jetty.alpn.server.ALPNServerConnection;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
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

/**
 * A Jetty 12 HTTPS server on 127.0.0.1 whose SslContextFactory names a JSSE provider, offering h2
 * and http/1.1 through ALPN. Every request is answered with {@link FrameworkSupport#body()} and
 * noted: the server side's SSLSession and the HTTP version Jetty used.
 */
final class JettyTlsServer implements AutoCloseable {
    /** One request as the server saw it. */
    record Seen(SSLSession session, String httpVersion, String path) {}

    final ConcurrentLinkedQueue<Seen> seen = new ConcurrentLinkedQueue<>();
    private final Server server;
    private final ServerConnector connector;

    private JettyTlsServer(String provider, String... protocols) throws Exception {
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setProvider(provider);
        tls.setKeyStore(TestPki.get().keyStore("server-ec"));
        tls.setKeyStorePassword(new String(TestPki.PASSWORD));
        if (protocols.length > 0) {
            tls.setIncludeProtocols(protocols);
        }
        HttpConfiguration config = new HttpConfiguration();
        config.addCustomizer(new SecureRequestCustomizer());
        HttpConnectionFactory http11 = new HttpConnectionFactory(config);
        HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(config);
        // ALPN names, lower case: HttpConnectionFactory's protocol is "HTTP/1.1", which no client offers.
        ALPNServerConnectionFactory alpn = new StandardApiAlpnFactory("h2", "http/1.1");
        alpn.setDefaultProtocol("http/1.1");

        server = new Server(new QueuedThreadPool(16, 2));
        connector = new ServerConnector(server, 1, 1, new SslConnectionFactory(tls, alpn.getProtocol()), alpn, h2,
            http11);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Responder());
        server.start();
    }

    static JettyTlsServer start(String provider, String... protocols) throws Exception {
        return new JettyTlsServer(provider, protocols);
    }

    int port() {
        return connector.getLocalPort();
    }

    String url(String path) {
        return "https://127.0.0.1:" + port() + path;
    }

    @Override
    public void close() throws IOException {
        try {
            server.stop();
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping Jetty", e);
        } catch (Exception e) {
            throw new IOException("stopping Jetty failed", e);
        }
    }

    private final class Responder extends Handler.Abstract {
        private final byte[] body = FrameworkSupport.bodyBytes();

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            EndPoint.SslSessionData tls = (EndPoint.SslSessionData) request.getAttribute(
                EndPoint.SslSessionData.ATTRIBUTE);
            seen.add(new Seen(tls == null ? null : tls.sslSession(),
                request.getConnectionMetaData().getHttpVersion().asString(), request.getHttpURI().getPath()));
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain");
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
            response.write(true, ByteBuffer.wrap(body), callback);
            return true;
        }
    }

    /**
     * Jetty's stock ALPN processor (jetty-alpn-java-server) declines every SSLEngine that is not
     * the JDK's own (it checks the engine's module), although what it does only needs the standard
     * SSLEngine ALPN API. This factory lets that same processor configure engines of any provider.
     * (Applications add the shipped adapter, integrations/jetty, instead: it is built after this
     * module's jar, so these tests cannot use it.)
     */
    static final class StandardApiAlpnFactory extends ALPNServerConnectionFactory {
        private final JDK9ServerALPNProcessor processor = new JDK9ServerALPNProcessor();

        StandardApiAlpnFactory(String... protocols) {
            super(protocols);
            processor.init();
        }

        @Override
        protected AbstractConnection newServerConnection(Connector connector, EndPoint endPoint, SSLEngine engine,
            List<String> protocols, String defaultProtocol) {
            if (processor.appliesTo(engine)) {
                return super.newServerConnection(connector, endPoint, engine, protocols, defaultProtocol);
            }
            ALPNServerConnection connection = new ALPNServerConnection(connector, endPoint, engine, protocols,
                defaultProtocol);
            processor.configure(engine, connection);
            return connection;
        }
    }
}
