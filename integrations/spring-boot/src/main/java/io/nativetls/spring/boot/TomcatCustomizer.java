package io.nativetls.spring.boot;

import io.nativetls.tomcat.NativeTlsImplementation;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;

/**
 * Names NativeTLS's SSLImplementation on every connector. Spring Boot still fills the connector's
 * SSLHostConfig from the SSL bundle (key and trust stores, protocols, suites, client auth), and
 * Tomcat reads it as it would for its own JSSE implementation.
 */
final class TomcatCustomizer implements WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory>, Ordered {
    private final NativeTlsStatus status;

    TomcatCustomizer(NativeTlsStatus status) {
        this.status = status;
    }

    @Override
    public void customize(ConfigurableTomcatWebServerFactory factory) {
        if (status.inUse()) {
            factory.addConnectorCustomizers(connector -> connector.setProperty("sslImplementationName",
                NativeTlsImplementation.class.getName()));
        }
    }

    /** Last: after Boot's own customizers, whatever they configured. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
