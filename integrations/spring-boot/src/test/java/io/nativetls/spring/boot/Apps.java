package io.nativetls.spring.boot;

import io.nativetls.integrations.testing.Exchange;
import jakarta.servlet.http.HttpServletRequest;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import java.lang.reflect.Method;
import java.util.concurrent.ConcurrentLinkedQueue;
import javax.net.ssl.SSLEngine;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.jetty.servlet.JettyServletWebServerFactory;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.http.server.HttpServerRequest;

/**
 * The applications under test: ordinary Spring Boot applications with POST /echo (1 MiB in, 1 MiB
 * out), each pinned to one embedded server, since all three are on this test class path. What the
 * server side saw of each request is noted in {@link #SEEN}.
 */
final class Apps {
    /** One request as the application saw it: the TLS session id (servlet) or the engine (Netty). */
    record Seen(String protocol, String sessionId, SSLEngine engine) {}

    static final ConcurrentLinkedQueue<Seen> SEEN = new ConcurrentLinkedQueue<>();

    private Apps() {}

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import(ServletEcho.class)
    static class TomcatApp {
        @Bean
        TomcatServletWebServerFactory tomcat() {
            return new TomcatServletWebServerFactory();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import(ServletEcho.class)
    static class JettyApp {
        @Bean
        JettyServletWebServerFactory jetty() {
            return new JettyServletWebServerFactory();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class NettyApp {
        @Bean
        NettyReactiveWebServerFactory netty() {
            return new NettyReactiveWebServerFactory();
        }

        @Bean
        RouterFunction<ServerResponse> echo() {
            return RouterFunctions.route(RequestPredicates.POST("/echo"), request -> {
                HttpServerRequest nativeRequest = ServerHttpRequestDecorator.getNativeRequest(
                    request.exchange().getRequest());
                SSLEngine engine = engineOf(((Connection) nativeRequest).channel());
                return DataBufferUtils.join(request.body(BodyExtractors.toDataBuffers()), 2 * Exchange.SIZE)
                    .map(Apps::drain).flatMap(body -> {
                        SEEN.add(new Seen(nativeRequest.protocol(), null, engine));
                        return ServerResponse.ok().contentType(MediaType.APPLICATION_OCTET_STREAM)
                            .header(Exchange.REQUEST_SHA256, Exchange.sha256(body))
                            .bodyValue(Exchange.responseBody());
                    }).switchIfEmpty(Mono.defer(() -> ServerResponse.badRequest().build()));
            });
        }
    }

    @RestController
    static class ServletEcho {
        @PostMapping(path = "/echo", produces = MediaType.APPLICATION_OCTET_STREAM_VALUE)
        ResponseEntity<byte[]> echo(@RequestBody byte[] body, HttpServletRequest request) {
            SEEN.add(new Seen(request.getProtocol(),
                (String) request.getAttribute("jakarta.servlet.request.ssl_session_id"), null));
            return ResponseEntity.ok().header(Exchange.REQUEST_SHA256, Exchange.sha256(body))
                .body(Exchange.responseBody());
        }
    }

    private static byte[] drain(DataBuffer buffer) {
        try {
            byte[] bytes = new byte[buffer.readableByteCount()];
            buffer.read(bytes);
            return bytes;
        } finally {
            DataBufferUtils.release(buffer);
        }
    }

    /** The TLS engine of a connection: on h2 the request's channel is a stream, its parent the connection. */
    private static SSLEngine engineOf(Channel channel) {
        for (Channel c = channel; c != null; c = c.parent()) {
            SslHandler tls = c.pipeline().get(SslHandler.class);
            if (tls != null) {
                return unwrapped(tls.engine());
            }
        }
        return null;
    }

    /**
     * With ALPN, Netty wraps the provider's engine in its own JdkAlpnSslEngine (sessions pass
     * through unwrapped); its getWrappedEngine() hands out the provider's.
     */
    private static SSLEngine unwrapped(SSLEngine engine) {
        try {
            Method wrapped = engine.getClass().getMethod("getWrappedEngine");
            wrapped.setAccessible(true);
            return (SSLEngine) wrapped.invoke(engine);
        } catch (NoSuchMethodException e) {
            return engine;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
