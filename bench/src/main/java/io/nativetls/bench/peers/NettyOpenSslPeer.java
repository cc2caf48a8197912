package io.nativetls.bench.peers;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.Version;
import io.nativetls.bench.Endpoints;
import io.nativetls.bench.Peer;
import io.nativetls.bench.Pki;
import io.nativetls.bench.Tls;
import java.util.List;
import javax.net.ssl.SSLEngine;

/**
 * Netty's own OpenSSL engine (SslProvider.OPENSSL) over netty-tcnative's statically linked
 * BoringSSL. Contexts come from SslContextBuilder, engines from newEngine; both are reference
 * counted and released after use. Host name verification (on by default in Netty 4.2 clients) is
 * switched off, as it is off by default in every JSSE provider. As with Conscrypt, BoringSSL picks
 * TLS 1.3 suites by itself, so TLS 1.3 configurations set no suites and the harness checks which
 * one was negotiated.
 */
public final class NettyOpenSslPeer extends Peer {
    public NettyOpenSslPeer() throws UnavailableException {
        if (!OpenSsl.isAvailable()) {
            Throwable cause = OpenSsl.unavailabilityCause();
            throw new UnavailableException(NETTY, "netty-tcnative not loaded: " + cause, cause);
        }
    }

    @Override
    public String name() {
        return NETTY;
    }

    @Override
    public String version() {
        Version handler = Version.identify().get("netty-handler");
        return "Netty " + (handler != null ? handler.artifactVersion() : "?") + " SslProvider.OPENSSL on "
            + OpenSsl.versionString() + " (netty-tcnative)";
    }

    @Override
    public Endpoints open(Tls tls) throws Exception {
        Pki pki = Pki.get();
        List<String> ciphers = tls.isTls13() ? null : List.of(tls.suite);
        SslContext server = SslContextBuilder.forServer(pki.key(tls.keyType), pki.chain(tls.keyType))
            .sslProvider(SslProvider.OPENSSL).protocols(tls.protocol).ciphers(ciphers).build();
        SslContext client;
        try {
            client = SslContextBuilder.forClient().sslProvider(SslProvider.OPENSSL).trustManager(pki.ca())
                .protocols(tls.protocol).ciphers(ciphers).endpointIdentificationAlgorithm(null).build();
        } catch (Exception | Error e) {
            ReferenceCountUtil.release(server);
            throw e;
        }
        return new Endpoints() {
            @Override
            public SSLEngine client(String host, int port) {
                return host == null ? client.newEngine(ByteBufAllocator.DEFAULT)
                    : client.newEngine(ByteBufAllocator.DEFAULT, host, port);
            }

            @Override
            public SSLEngine server() {
                return server.newEngine(ByteBufAllocator.DEFAULT);
            }

            @Override
            public void release(SSLEngine engine) {
                ReferenceCountUtil.release(engine);
            }

            @Override
            public void close() {
                ReferenceCountUtil.release(client);
                ReferenceCountUtil.release(server);
            }
        };
    }
}
