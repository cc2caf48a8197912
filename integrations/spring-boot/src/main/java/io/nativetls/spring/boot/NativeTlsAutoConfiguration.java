package io.nativetls.spring.boot;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Puts the embedded web server's TLS on NativeTLS, configured as before by {@code server.ssl.*} or
 * the SSL bundle it names: Tomcat through {@code io.nativetls.tomcat.NativeTlsImplementation}, Jetty
 * by naming the NativeTLS provider on its SslContextFactory (h2 through the nativetls-jetty ALPN
 * processor), Reactor Netty through a Netty JDK SslContext on NativeTLS. Each part applies only when
 * its server is on the class path. SSL bundles create NativeTLS SSLContexts, for the HTTP clients
 * built from them. {@code nativetls.enabled=false} turns all off.
 */
@AutoConfiguration
public class NativeTlsAutoConfiguration {
    @Bean
    NativeTlsStatus nativeTlsStatus(Environment environment) {
        return new NativeTlsStatus(environment);
    }

    /** Static: a post-processor is made before the configuration class itself. */
    @Bean
    static SslBundlesPostProcessor nativeTlsSslBundles(ObjectProvider<NativeTlsStatus> status) {
        return new SslBundlesPostProcessor(status);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory",
        "org.apache.catalina.connector.Connector"})
    static class Tomcat {
        @Bean
        TomcatCustomizer nativeTlsTomcatCustomizer(NativeTlsStatus status) {
            return new TomcatCustomizer(status);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"org.springframework.boot.jetty.ConfigurableJettyWebServerFactory",
        "org.eclipse.jetty.server.SslConnectionFactory"})
    static class Jetty {
        @Bean
        JettyCustomizer nativeTlsJettyCustomizer(NativeTlsStatus status) {
            return new JettyCustomizer(status);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory",
        "reactor.netty.http.server.HttpServer", "io.netty.handler.ssl.SslContextBuilder"})
    static class ReactorNetty {
        @Bean
        NettyCustomizer nativeTlsNettyCustomizer(NativeTlsStatus status) {
            return new NettyCustomizer(status);
        }
    }
}
