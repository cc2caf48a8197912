package io.nativetls.spring.boot;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslProvider;
import java.lang.System.Logger.Level;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.server.WebServerSslBundle;
import org.springframework.core.Ordered;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.Http2SslContextSpec;
import reactor.netty.tcp.AbstractProtocolSslContextSpec;

/**
 * Reactor Netty takes key and trust manager factories, not an SSLContext, and builds an OpenSSL or
 * JDK SslContext of Netty's own choosing. This customizer secures the server again, after Spring
 * Boot did, with the same SSL bundle, protocols, suites, client authentication and ALPN, on a Netty
 * JDK SslContext whose SSLContext provider is NativeTLS.
 *
 * <p>Left to Boot's own set-up, with a log line saying so: servers with SNI server-name bundles
 * ({@code server.ssl.server-name-bundles}), and bundles that reload, whose updates only Boot's
 * customizer follows.
 */
final class NettyCustomizer implements WebServerFactoryCustomizer<NettyReactiveWebServerFactory>, Ordered {
    private static final System.Logger LOG = System.getLogger("io.nativetls.spring.boot");
    private final NativeTlsStatus status;

    NettyCustomizer(NativeTlsStatus status) {
        this.status = status;
    }

    @Override
    public void customize(NettyReactiveWebServerFactory factory) {
        Ssl ssl = factory.getSsl();
        if (!status.inUse() || !Ssl.isEnabled(ssl)) {
            return;
        }
        if (!ssl.getServerNameBundles().isEmpty()) {
            LOG.log(Level.INFO, "NativeTLS is not used for Reactor Netty: server-name SSL bundles are configured");
            return;
        }
        SslBundle bundle = WebServerSslBundle.get(ssl, factory.getSslBundles());
        boolean http2 = factory.getHttp2() != null && factory.getHttp2().isEnabled();
        ClientAuth clientAuth = Ssl.ClientAuth.map(ssl.getClientAuth(), ClientAuth.NONE, ClientAuth.OPTIONAL,
            ClientAuth.REQUIRE);
        factory.addServerCustomizers(server -> server.secure(spec -> spec.sslContext(contextSpec(bundle, http2,
            clientAuth))));
    }

    private AbstractProtocolSslContextSpec<?> contextSpec(SslBundle bundle, boolean http2, ClientAuth clientAuth) {
        AbstractProtocolSslContextSpec<?> spec = http2
            ? Http2SslContextSpec.forServer(bundle.getManagers().getKeyManagerFactory())
            : Http11SslContextSpec.forServer(bundle.getManagers().getKeyManagerFactory());
        // Runs after the spec's defaults (for h2: ALPN and the HTTP/2 cipher filter), which stay.
        return spec.configure(builder -> {
            builder.sslProvider(SslProvider.JDK).sslContextProvider(status.provider())
                .trustManager(bundle.getManagers().getTrustManagerFactory()).clientAuth(clientAuth);
            SslOptions options = bundle.getOptions();
            if (options.getEnabledProtocols() != null) {
                builder.protocols(options.getEnabledProtocols());
            }
            if (options.getCiphers() != null) {
                builder.ciphers(SslOptions.asSet(options.getCiphers()));
            }
        });
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
