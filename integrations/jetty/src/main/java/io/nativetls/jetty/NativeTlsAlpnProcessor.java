package io.nativetls.jetty;

import io.nativetls.NativeTlsProvider;
import java.util.List;
import java.util.function.BiFunction;
import javax.net.ssl.SSLEngine;
import org.eclipse.jetty.alpn.server.ALPNServerConnection;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.ALPNProcessor;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.io.ssl.SslHandshakeListener;

/**
 * Jetty's ALPN server processor for NativeTLS engines. Jetty's {@code ALPNServerConnectionFactory}
 * loads every {@code ALPNProcessor.Server} through ServiceLoader and asks each whether it applies to
 * the connection's engine; the processor for the JDK's engines (jetty-alpn-java-server) declines
 * engines of any other module, so without this one no protocol could be negotiated on a NativeTLS
 * connection. Registered in {@code META-INF/services}: having this jar on the class path (or as the
 * automatic module {@code io.nativetls.jetty}) is all it takes.
 *
 * <p>Negotiation uses only the standard {@link SSLEngine#setHandshakeApplicationProtocolSelector}
 * API, which NativeTLS engines implement.
 */
public final class NativeTlsAlpnProcessor implements ALPNProcessor.Server {
    private static final String ENGINE_PACKAGE = "io.nativetls.";

    /** Jetty instantiates it through ServiceLoader. */
    public NativeTlsAlpnProcessor() {}

    /**
     * NativeTLS's own engines, and only those of the NativeTLS this class was linked with (the same
     * class loader), so a copy in another web application's loader is left to its own processor.
     */
    @Override
    public boolean appliesTo(SSLEngine engine) {
        Class<?> type = engine.getClass();
        return type.getName().startsWith(ENGINE_PACKAGE)
            && type.getClassLoader() == NativeTlsProvider.class.getClassLoader();
    }

    @Override
    public void configure(SSLEngine engine, Connection connection) {
        ALPNServerConnection alpn = (ALPNServerConnection) connection;
        Selector selector = new Selector(alpn);
        engine.setHandshakeApplicationProtocolSelector(selector);
        EndPoint endPoint = alpn.getEndPoint();
        if (endPoint instanceof SslConnection.SslEndPoint tls) {
            tls.getSslConnection().addHandshakeListener(selector);
        }
    }

    @Override
    public String toString() {
        return "NativeTlsAlpnProcessor";
    }

    /**
     * Asks Jetty's connection to choose among the client's protocols during the handshake; after
     * it, a client that offered no ALPN at all gets the connection's default protocol.
     */
    private static final class Selector implements BiFunction<SSLEngine, List<String>, String>, SslHandshakeListener {
        private final ALPNServerConnection connection;

        Selector(ALPNServerConnection connection) {
            this.connection = connection;
        }

        /** Null (no acceptable protocol: the handshake fails with no_application_protocol) when Jetty refuses. */
        @Override
        public String apply(SSLEngine engine, List<String> offered) {
            try {
                connection.select(offered);
                return connection.getProtocol();
            } catch (RuntimeException refused) {
                return null;
            }
        }

        @Override
        public void handshakeSucceeded(Event event) {
            if (connection.getProtocol() == null) {
                connection.unsupported();
            }
        }
    }
}
