package io.nativetls.socket;

import static io.nativetls.socket.SocketSupport.clientContext;
import static io.nativetls.socket.SocketSupport.serverContext;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.internal.tool.EngineStream;
import io.nativetls.testing.ChildProcess;
import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.Tags;
import io.nativetls.testing.TestPki;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** ALPN with real peers: the JDK's HttpClient asking for h2, and openssl s_server -alpn. */
@Timeout(60)
@Tag(Tags.INTEROP)
class AlpnInteropTest {
    /**
     * The JDK HttpClient (HTTP/2 preferred) against a NativeTLS server socket offering h2: the
     * server sees h2 negotiated. (The server speaks no HTTP/2, so the request itself fails.)
     */
    @ParameterizedTest(name = "{0} client context")
    @EnumSource(Impl.class)
    void httpClientNegotiatesH2WithANativeTlsServer(Impl clientImpl) throws Exception {
        SSLServerSocket listener = SocketSupport.listen(serverContext(Impl.NATIVE));
        SSLParameters p = listener.getSSLParameters();
        p.setApplicationProtocols(new String[] {"h2", "http/1.1"});
        listener.setSSLParameters(p);
        AtomicReference<String> negotiated = new AtomicReference<>();
        try (SocketSupport.Server srv = new SocketSupport.Server(listener, 1, s -> {
            s.startHandshake();
            negotiated.set(s.getApplicationProtocol());
        })) {
            HttpClient client = HttpClient.newBuilder().sslContext(clientContext(clientImpl))
                .version(HttpClient.Version.HTTP_2).connectTimeout(Duration.ofSeconds(10)).build();
            try {
                client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + srv.port() + "/"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
            } catch (Exception expected) {
                // no HTTP/2 behind the handshake
            }
            srv.finish();
            assertEquals("h2", negotiated.get());
        }
    }

    /** A NativeTLS client engine against openssl s_server -alpn: the server's choice arrives. */
    @ParameterizedTest(name = "s_server -alpn {0}")
    @ValueSource(strings = {"h2,http/1.1", "http/1.1"})
    void nativeClientGetsOpenSslServersChoice(String serverList) throws Exception {
        try (ChildProcess server = ChildProcess.opensslServer(TestPki.get().dir, List.of("-cert", "server-ec.pem",
            "-key", "server-ec.key", "-alpn", serverList, "-naccept", "1"), ChildProcess.WAIT)) {
            int port = server.port();
            try (Socket s = new Socket(SocketSupport.LOOPBACK, port)) {
                s.setSoTimeout(10_000);
                SSLEngine engine = clientContext(Impl.NATIVE).createSSLEngine("localhost", port);
                engine.setUseClientMode(true);
                SSLParameters p = engine.getSSLParameters();
                p.setApplicationProtocols(new String[] {"h2", "http/1.1"});
                engine.setSSLParameters(p);
                EngineStream stream = new EngineStream(engine, s);
                stream.handshake();
                assertEquals(serverList.startsWith("h2") ? "h2" : "http/1.1", engine.getApplicationProtocol());
            }
        }
    }
}
