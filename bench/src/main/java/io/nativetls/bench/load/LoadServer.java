package io.nativetls.bench.load;

import io.nativetls.NativeTlsProvider;
import io.nativetls.bench.Pki;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.security.Security;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
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
 * The load benchmark's HTTPS server (bench/load/run.sh): Jetty 12 (HTTP/1.1 and h2 by ALPN),
 * Netty 4.2 or Tomcat 11 (HTTP/1.1), serving a fixed body of 1 KiB at /1k and 64 KiB at /64k, with
 * TLS from SunJSSE, NativeTLS or (Netty only) Netty's own OpenSSL engine on BoringSSL
 * (netty-tcnative-boringssl-static). The same ECDSA P-256 certificate (bench Pki), TLS 1.3 and 1.2,
 * the providers' default suites and groups. Jetty and Netty are handed the provider's SSLContext;
 * Tomcat makes its own from a key store, so for NativeTLS it is installed as the first provider,
 * as a user would. Idle connections are kept for ten minutes (the idle-memory run holds thousands).
 * Prints "ready PORT ..." once it listens, then serves until killed.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.nativetls.bench.load.LoadServer jetty|netty|tomcat NativeTLS|SunJSSE|netty-openssl PORT [THREADS]</pre>
 */
public final class LoadServer {
    private static final byte[] ONE_KIB = body(1024);
    private static final byte[] SIXTY_FOUR_KIB = body(64 * 1024);
    private static final int IDLE_TIMEOUT_MS = 600_000;

    private LoadServer() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            throw new IllegalArgumentException("usage: LoadServer jetty|netty|tomcat NativeTLS|SunJSSE|netty-openssl PORT [THREADS]");
        }
        String framework = args[0];
        String tls = args[1];
        int port = Integer.parseInt(args[2]);
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : Runtime.getRuntime().availableProcessors();
        switch (framework) {
            case "jetty":
                jetty(tls, port, threads);
                break;
            case "netty":
                netty(tls, port, threads);
                break;
            case "tomcat":
                tomcat(tls, port, threads);
                break;
            default:
                throw new IllegalArgumentException("no framework " + framework);
        }
    }

    private static byte[] body(int size) {
        byte[] b = new byte[size];
        Arrays.fill(b, (byte) 'x');
        b[size - 1] = '\n';
        return b;
    }

    /** The body for a path; null for any other path. */
    static byte[] bodyFor(String path) {
        return path.startsWith("/64k") ? SIXTY_FOUR_KIB : path.startsWith("/1k") ? ONE_KIB : null;
    }

    /** A JSSE context of the provider with the benchmark's ECDSA P-256 server key. */
    static SSLContext jsseContext(String tls) throws Exception {
        SSLContext ctx;
        switch (tls) {
            case "NativeTLS":
                ctx = SSLContext.getInstance("TLS", new NativeTlsProvider());
                break;
            case "SunJSSE":
                ctx = SSLContext.getInstance("TLS", "SunJSSE");
                break;
            default:
                throw new IllegalArgumentException("no JSSE provider " + tls);
        }
        ctx.init(Pki.get().keyManagers(Pki.KeyType.EC_P256), null, null);
        return ctx;
    }

    private static void ready(int port, String what) {
        System.out.println("ready " + port + " " + what);
        System.out.flush();
    }

    private static void jetty(String tls, int port, int threads) throws Exception {
        QueuedThreadPool pool = new QueuedThreadPool(Math.max(8, threads * 4), Math.max(4, threads));
        Server server = new Server(pool);
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setSslContext(jsseContext(tls));
        HttpConfiguration http = new HttpConfiguration();
        http.addCustomizer(new SecureRequestCustomizer(false));
        // h2 for clients that ask for it by ALPN (h2load), HTTP/1.1 for the others (wrk sends no ALPN)
        ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory("h2", "http/1.1");
        alpn.setDefaultProtocol("http/1.1");
        ServerConnector connector = new ServerConnector(server, 1, Math.max(1, threads),
            new SslConnectionFactory(ssl, alpn.getProtocol()), alpn, new HTTP2ServerConnectionFactory(http),
            new HttpConnectionFactory(http));
        connector.setIdleTimeout(IDLE_TIMEOUT_MS);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        connector.setAcceptQueueSize(1024);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                byte[] b = bodyFor(request.getHttpURI().getPath());
                if (b == null) {
                    Response.writeError(request, response, callback, 404);
                    return true;
                }
                response.setStatus(200);
                response.getHeaders().put("Content-Type", "text/plain");
                response.getHeaders().put("Content-Length", b.length);
                response.write(true, ByteBuffer.wrap(b), callback);
                return true;
            }
        });
        server.start();
        ready(port, "jetty " + Server.getVersion() + " " + tls);
        server.join();
    }

    private static void tomcat(String tls, int port, int threads) throws Exception {
        if (tls.equals("NativeTLS")) {
            Security.insertProviderAt(new NativeTlsProvider(), 1);
        } else if (!tls.equals("SunJSSE")) {
            throw new IllegalArgumentException("no JSSE provider " + tls);
        }
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(Files.createTempDirectory("loadserver-tomcat").toString());
        Connector connector = new Connector("org.apache.coyote.http11.Http11NioProtocol");
        connector.setPort(port);
        connector.setScheme("https");
        connector.setSecure(true);
        connector.setProperty("address", "127.0.0.1");
        connector.setProperty("SSLEnabled", "true");
        // Tomcat's JSSE implementation: SSLContext.getInstance("TLS"), the first provider's
        connector.setProperty("sslImplementationName", "org.apache.tomcat.util.net.jsse.JSSEImplementation");
        connector.setProperty("maxThreads", Integer.toString(Math.max(8, threads * 4)));
        connector.setProperty("minSpareThreads", Integer.toString(Math.max(4, threads)));
        connector.setProperty("acceptCount", "1024");
        connector.setProperty("maxConnections", "20000");
        connector.setProperty("maxKeepAliveRequests", "-1");
        connector.setProperty("keepAliveTimeout", Integer.toString(IDLE_TIMEOUT_MS));
        connector.setProperty("connectionTimeout", Integer.toString(IDLE_TIMEOUT_MS));
        SSLHostConfig host = new SSLHostConfig();
        host.setProtocols("TLSv1.3,TLSv1.2");
        SSLHostConfigCertificate certificate = new SSLHostConfigCertificate(host, SSLHostConfigCertificate.Type.EC);
        certificate.setCertificateKeystore(Pki.get().keyStore(Pki.KeyType.EC_P256));
        certificate.setCertificateKeystorePassword(Pki.password());
        certificate.setCertificateKeyAlias("server");
        host.addCertificate(certificate);
        connector.addSslHostConfig(host);
        tomcat.getService().addConnector(connector);
        tomcat.setConnector(connector);
        Context context = tomcat.addContext("", null);
        Tomcat.addServlet(context, "body", new BodyServlet());
        context.addServletMappingDecoded("/*", "body");
        tomcat.start();
        ready(port, "tomcat " + org.apache.catalina.util.ServerInfo.getServerNumber() + " " + tls
            + " (TLS from " + javax.net.ssl.SSLContext.getInstance("TLS").getProvider().getName() + ")");
        tomcat.getServer().await();
    }

    /** Tomcat's servlet: the fixed body for the path. */
    private static final class BodyServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            byte[] b = bodyFor(request.getRequestURI());
            if (b == null) {
                response.sendError(404);
                return;
            }
            response.setContentType("text/plain");
            response.setContentLength(b.length);
            response.getOutputStream().write(b);
        }
    }

    private static void netty(String tls, int port, int threads) throws Exception {
        SslContext nettyOpenSsl = tls.equals("netty-openssl")
            ? SslContextBuilder.forServer(Pki.get().key(Pki.KeyType.EC_P256), Pki.get().chain(Pki.KeyType.EC_P256))
                .sslProvider(SslProvider.OPENSSL).protocols("TLSv1.3", "TLSv1.2").build()
            : null;
        SSLContext jsse = nettyOpenSsl == null ? jsseContext(tls) : null;
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
        new ServerBootstrap().group(boss, workers).channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 1024)
            .childHandler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    SslHandler handler;
                    if (nettyOpenSsl != null) {
                        handler = nettyOpenSsl.newHandler(ch.alloc());
                    } else {
                        SSLEngine engine = jsse.createSSLEngine();
                        engine.setUseClientMode(false);
                        handler = new SslHandler(engine);
                    }
                    ch.pipeline().addLast(handler, new HttpServerCodec(), new Responder());
                }
            })
            .bind("127.0.0.1", port).sync();
        ready(port, "netty " + io.netty.util.Version.identify().values().stream().map(io.netty.util.Version::artifactVersion).findFirst().orElse("?") + " " + tls);
        Thread.currentThread().join();
    }

    /** Answers every request with its fixed body; keep-alive as the request asks. */
    private static final class Responder extends SimpleChannelInboundHandler<Object> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof HttpRequest)) {
                return; // the (empty) content of a GET
            }
            HttpRequest request = (HttpRequest) msg;
            byte[] b = bodyFor(request.uri());
            ByteBuf content = b != null ? Unpooled.wrappedBuffer(b)
                : Unpooled.copiedBuffer("not found\n", StandardCharsets.US_ASCII);
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                b != null ? HttpResponseStatus.OK : HttpResponseStatus.NOT_FOUND, content);
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            if (keepAlive) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
                ctx.writeAndFlush(response);
            } else {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
