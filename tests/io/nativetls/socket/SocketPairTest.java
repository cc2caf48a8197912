package io.nativetls.socket;

import static io.nativetls.socket.SocketSupport.clientContext;
import static io.nativetls.socket.SocketSupport.connect;
import static io.nativetls.socket.SocketSupport.readFully;
import static io.nativetls.socket.SocketSupport.serverContext;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.TestPki;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.cert.X509Certificate;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** NativeTLS sockets against NativeTLS and SunJSSE sockets, each side in each role, TLS 1.2 and 1.3. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SocketPairTest {

    static Stream<Arguments> pairs() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (String protocol : new String[] {"TLSv1.3", "TLSv1.2"}) {
            b.add(Arguments.of(Impl.NATIVE, Impl.NATIVE, protocol));
            b.add(Arguments.of(Impl.NATIVE, Impl.SUN, protocol));
            b.add(Arguments.of(Impl.SUN, Impl.NATIVE, protocol));
        }
        return b.build();
    }

    @ParameterizedTest(name = "client {0}, server {1}, {2}")
    @MethodSource("pairs")
    void echoesDataAndAgreesOnTheSession(Impl client, Impl server, String protocol) throws Exception {
        AtomicReference<SSLSession> serverSession = new AtomicReference<>();
        SSLContext serverCtx = serverContext(server);
        SSLServerSocket listener = SocketSupport.listen(serverCtx);
        listener.setEnabledProtocols(new String[] {protocol});
        try (SocketSupport.Server srv = new SocketSupport.Server(listener, 1, s -> {
            serverSession.set(s.getSession());
            SocketSupport.Server.echo(s);
        })) {
            byte[] data = new byte[100_000];
            new Random(7).nextBytes(data);
            SSLSession session;
            try (SSLSocket s = connect(clientContext(client), srv.port())) {
                s.startHandshake();
                session = s.getSession();
                OutputStream out = s.getOutputStream();
                InputStream in = s.getInputStream();
                // Write in a thread: the echo could otherwise fill both TCP buffers and stall.
                Thread writer = new Thread(() -> {
                    try {
                        out.write(data, 0, 1);
                        out.write(data, 1, data.length - 1);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                writer.start();
                assertArrayEquals(data, readFully(in, data.length));
                writer.join(10_000);
                assertFalse(writer.isAlive());
            }
            srv.finish();
            assertEquals(protocol, session.getProtocol());
            assertTrue(session.isValid());
            assertEquals(protocol, serverSession.get().getProtocol());
            assertEquals(session.getCipherSuite(), serverSession.get().getCipherSuite());
            X509Certificate leaf = (X509Certificate) session.getPeerCertificates()[0];
            assertEquals(TestPki.get().certificate("server-ec"), leaf);
        }
    }
}
