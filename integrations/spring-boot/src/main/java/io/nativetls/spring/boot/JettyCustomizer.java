package io.nativetls.spring.boot;

import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.springframework.boot.jetty.ConfigurableJettyWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;

/**
 * Names the NativeTLS provider on every SslContextFactory of the server, after Spring Boot set it up
 * from the SSL bundle (Boot applies server customizers once its SSL connector exists). HTTP/2 is
 * negotiated by Jetty's stock ALPN factory through nativetls-jetty's processor.
 */
final class JettyCustomizer implements WebServerFactoryCustomizer<ConfigurableJettyWebServerFactory>, Ordered {
    private final NativeTlsStatus status;

    JettyCustomizer(NativeTlsStatus status) {
        this.status = status;
    }

    @Override
    public void customize(ConfigurableJettyWebServerFactory factory) {
        if (!status.inUse()) {
            return;
        }
        String provider = status.provider().getName();
        factory.addServerCustomizers(server -> {
            for (Connector connector : server.getConnectors()) {
                for (SslConnectionFactory tls : connector.getConnectionFactories().stream()
                        .filter(SslConnectionFactory.class::isInstance).map(SslConnectionFactory.class::cast)
                        .toList()) {
                    tls.getSslContextFactory().setProvider(provider);
                }
            }
        });
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
