package io.nativetls.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.testing.Contexts;
import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.TestPki;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SSLSocket's contract: getSession() runs the handshake; if it fails, getSession() returns an
 * invalid session (SSL_NULL_WITH_NULL_NULL) and the socket is closed. SunJSSE's client socket,
 * against the same refusing server, is the oracle.
 */
@Timeout(30)
class GetSessionFailureTest {
    enum Failure {
        /** The client trusts only the rogue certificate: it refuses the server's. */
        CLIENT_REFUSES,
        /** The server speaks only TLS 1.2 to a TLS 1.3 client: the client receives an alert. */
        SERVER_REFUSES
    }

    static List<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (Impl impl : Impl.values()) {
            for (Failure f : Failure.values()) {
                all.add(Arguments.of(impl, f));
            }
        }
        return all;
    }

    @ParameterizedTest(name = "{0} client socket, {1}")
    @MethodSource("cases")
    void failedHandshakeInGetSessionClosesTheSocket(Impl impl, Failure failure) throws Exception {
        SSLContext client = failure == Failure.CLIENT_REFUSES
            ? Contexts.create(impl, "TLS", null, TestPki.get().trustManagersFor("rogue")) : Contexts.client(impl);
        SSLContext server = SocketSupport.serverContext(Impl.SUN);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (SSLServerSocket listener = SocketSupport.listen(server)) {
            if (failure == Failure.SERVER_REFUSES) {
                listener.setEnabledProtocols(new String[] {"TLSv1.2"});
            }
            Future<?> accepted = pool.submit(() -> {
                try (SSLSocket s = (SSLSocket) listener.accept()) {
                    s.startHandshake();
                } catch (IOException expected) {
                    // the client refuses the server's certificate
                }
                return null;
            });
            SSLSocket c = SocketSupport.connect(client, listener.getLocalPort());
            if (failure == Failure.SERVER_REFUSES) {
                c.setEnabledProtocols(new String[] {"TLSv1.3"});
            }
            try {
                SSLSession session = c.getSession();
                assertFalse(session.isValid(), "the session of a failed handshake is invalid");
                assertEquals("SSL_NULL_WITH_NULL_NULL", session.getCipherSuite());
                assertTrue(c.isClosed(), "the socket is closed after its handshake failed");
                assertThrows(IOException.class, () -> c.getOutputStream().write(1));
            } finally {
                c.close();
            }
            accepted.get(20, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
    }

    /** The server side: an accepted socket whose client speaks plain HTTP. */
    @ParameterizedTest(name = "{0} server socket")
    @EnumSource(Impl.class)
    void acceptedSocketWhoseHandshakeFailsIsClosed(Impl impl) throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (SSLServerSocket listener = SocketSupport.listen(SocketSupport.serverContext(impl))) {
            Future<?> plainClient = pool.submit(() -> {
                try (java.net.Socket plain = SocketSupport.plainConnect(listener.getLocalPort())) {
                    plain.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    plain.getInputStream().readAllBytes(); // until the server closes
                }
                return null;
            });
            try (SSLSocket s = (SSLSocket) listener.accept()) {
                SSLSession session = s.getSession();
                assertFalse(session.isValid());
                assertEquals("SSL_NULL_WITH_NULL_NULL", session.getCipherSuite());
                assertTrue(s.isClosed(), "the accepted socket is closed after its handshake failed");
            }
            plainClient.get(20, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
    }
}
