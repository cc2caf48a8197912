package io.nativetls.frameworks;

import static io.nativetls.frameworks.FrameworkSupport.assertNative;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.testing.Contexts;
import io.nativetls.testing.Tags;
import io.nativetls.testing.TestPki;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Netty 4.2 server and client, both with NativeTLS as the SSLContext provider of Netty's JDK
 * SslProvider, exchanging an HTTP/1.1 request and response over NIO on 127.0.0.1.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
@Tag(Tags.FRAMEWORKS)
class NettyTest {
    private static EventLoopGroup group;

    @BeforeAll
    static void startLoop() {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stopLoop() throws InterruptedException {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void httpRequestBetweenNettyServerAndClient(String protocol) throws Exception {
        TestPki pki = TestPki.get();
        X509Certificate[] chain = {pki.certificate("server-ec"), pki.certificate("ca")};
        SslContext serverTls = SslContextBuilder.forServer(pki.privateKey("server-ec"), chain)
            .sslProvider(SslProvider.JDK).sslContextProvider(Contexts.NATIVE).protocols(protocol).build();
        // Netty 4.2 turns on HTTPS hostname verification for clients: 127.0.0.1 is in the certificate.
        SslContext clientTls = SslContextBuilder.forClient().sslProvider(SslProvider.JDK)
            .sslContextProvider(Contexts.NATIVE).trustManager(pki.certificate("ca")).protocols(protocol).build();
        byte[] body = FrameworkSupport.bodyBytes();

        CompletableFuture<SSLEngine> serverEngine = new CompletableFuture<>();
        Channel listener = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
            .childHandler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(serverTls.newHandler(ch.alloc()), new HttpServerCodec(),
                        new HttpObjectAggregator(1 << 20), new Responder(body, serverEngine));
                }
            }).bind("127.0.0.1", 0).sync().channel();
        try {
            int port = ((InetSocketAddress) listener.localAddress()).getPort();
            CompletableFuture<String> received = new CompletableFuture<>();
            CompletableFuture<SSLEngine> clientEngine = new CompletableFuture<>();
            Channel client = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        SslHandler tls = clientTls.newHandler(ch.alloc(), "127.0.0.1", port);
                        clientEngine.complete(tls.engine());
                        ch.pipeline().addLast(tls, new HttpClientCodec(), new HttpObjectAggregator(1 << 20),
                            new ResponseCollector(received));
                    }
                }).connect("127.0.0.1", port).sync().channel();
            try {
                SslHandler tls = client.pipeline().get(SslHandler.class);
                assertTrue(tls.handshakeFuture().await(10, TimeUnit.SECONDS), "client handshake did not finish");
                assertTrue(tls.handshakeFuture().isSuccess(), () -> "handshake failed: " + tls.handshakeFuture().cause());
                // The request carries the body too, so both directions cross several records.
                FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/netty",
                    Unpooled.wrappedBuffer(body));
                request.headers().set(HttpHeaderNames.HOST, "127.0.0.1:" + port);
                HttpUtil.setContentLength(request, body.length);
                client.writeAndFlush(request).sync();

                assertEquals(new String(body, StandardCharsets.US_ASCII), received.get(10, TimeUnit.SECONDS));
                SSLEngine clientSide = clientEngine.get();
                assertEquals(tls.engine(), clientSide);
                assertNative(clientSide);
                assertEquals(protocol, clientSide.getSession().getProtocol());
                SSLEngine serverSide = serverEngine.get(10, TimeUnit.SECONDS);
                assertNative(serverSide);
                SSLSession serverSession = serverSide.getSession();
                assertEquals(protocol, serverSession.getProtocol());
                assertEquals(clientSide.getSession().getCipherSuite(), serverSession.getCipherSuite());
                assertEquals(pki.certificate("server-ec"), clientSide.getSession().getPeerCertificates()[0]);
            } finally {
                client.close().await(5, TimeUnit.SECONDS);
            }
        } finally {
            listener.close().await(5, TimeUnit.SECONDS);
        }
    }

    /**
     * Answers a request that carried the body intact with the body, after noting the engine of its
     * connection; anything else gets 400.
     */
    private static final class Responder extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final byte[] body;
        private final CompletableFuture<SSLEngine> engine;

        Responder(byte[] body, CompletableFuture<SSLEngine> engine) {
            this.body = body;
            this.engine = engine;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            engine.complete(ctx.pipeline().get(SslHandler.class).engine());
            boolean intact = request.uri().equals("/netty")
                && request.content().equals(Unpooled.wrappedBuffer(body));
            HttpResponseStatus status = intact ? HttpResponseStatus.OK : HttpResponseStatus.BAD_REQUEST;
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.wrappedBuffer(body));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
            HttpUtil.setContentLength(response, body.length);
            ctx.writeAndFlush(response);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            engine.completeExceptionally(cause);
            ctx.close();
        }
    }

    private static final class ResponseCollector extends SimpleChannelInboundHandler<FullHttpResponse> {
        private final CompletableFuture<String> received;

        ResponseCollector(CompletableFuture<String> received) {
            this.received = received;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            if (response.status().code() != 200) {
                received.completeExceptionally(new AssertionError("status " + response.status()));
            } else {
                received.complete(response.content().toString(StandardCharsets.US_ASCII));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            received.completeExceptionally(cause);
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            received.completeExceptionally(new AssertionError("connection closed before the response"));
        }
    }
}
