package io.nativetls.socket;

import static io.nativetls.socket.SocketSupport.SO_TIMEOUT_MS;
import static io.nativetls.socket.SocketSupport.clientContext;
import static io.nativetls.socket.SocketSupport.readFully;
import static io.nativetls.socket.SocketSupport.serverContext;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.internal.tool.EngineStream;
import io.nativetls.testing.Contexts.Impl;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** close_notify in both directions, half-close, and a peer that just drops the connection. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SocketCloseTest {
    private static final byte[] DATA = "some data".getBytes(StandardCharsets.US_ASCII);
    private static final ExecutorService EXECUTOR = Executors.newCachedThreadPool();

    @AfterAll
    static void stop() {
        EXECUTOR.shutdownNow();
    }

    /** A SunJSSE engine server on a plain socket: it can tell close_notify from a dropped connection. */
    private static Future<Boolean> engineServer(ServerSocket listener, String protocol, boolean sendData) {
        SSLContext ctx = serverContext(Impl.SUN);
        return EXECUTOR.submit(() -> {
            try (Socket plain = listener.accept()) {
                plain.setSoTimeout(SO_TIMEOUT_MS);
                SSLEngine engine = ctx.createSSLEngine();
                engine.setUseClientMode(false);
                engine.setEnabledProtocols(new String[] {protocol});
                EngineStream tls = new EngineStream(engine, plain);
                tls.handshake();
                if (sendData) {
                    tls.write(DATA, 0, DATA.length);
                }
                byte[] buf = new byte[256];
                try {
                    for (int i = 0; i < 1000; i++) {
                        if (tls.read(buf, 0, buf.length) < 0) {
                            return engine.isInboundDone();
                        }
                    }
                } catch (SocketException e) {
                    // answering close_notify may find the client gone; what was received still counts
                    return engine.isInboundDone();
                }
                throw new AssertionError("no end of stream");
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void closeSendsCloseNotify(String protocol) throws Exception {
        try (ServerSocket listener = SocketSupport.plainListener()) {
            Future<Boolean> closeNotified = engineServer(listener, protocol, true);
            SSLSocket s = SocketSupport.connect(clientContext(Impl.NATIVE), listener.getLocalPort());
            assertArrayEquals(DATA, readFully(s.getInputStream(), DATA.length));
            s.close();
            assertTrue(s.isClosed());
            assertTrue(closeNotified.get(30, TimeUnit.SECONDS), "the server's engine received close_notify");
            assertThrows(SocketException.class, s::getInputStream);
            assertThrows(SocketException.class, s::getOutputStream);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"NATIVE", "SUN"})
    void readReturnsMinusOneAfterThePeerCloses(String serverImpl) throws Exception {
        try (SocketSupport.Server srv = new SocketSupport.Server(
            SocketSupport.listen(serverContext(Impl.valueOf(serverImpl))), 1, s -> s.getOutputStream().write(DATA));
            SSLSocket s = SocketSupport.connect(clientContext(Impl.NATIVE), srv.port())) {
            InputStream in = s.getInputStream();
            assertArrayEquals(DATA, readFully(in, DATA.length));
            assertEquals(-1, in.read());
            assertEquals(-1, in.read(new byte[10]), "and again");
            srv.finish();
        }
    }

    @Test
    void aDroppedConnectionAfterTheHandshakeEndsTheStream() throws Exception {
        try (ServerSocket listener = SocketSupport.plainListener()) {
            SSLContext ctx = serverContext(Impl.SUN);
            Future<?> server = EXECUTOR.submit(() -> {
                try (Socket plain = listener.accept()) {
                    SSLEngine engine = ctx.createSSLEngine();
                    engine.setUseClientMode(false);
                    EngineStream tls = new EngineStream(engine, plain);
                    tls.handshake();
                    tls.write(DATA, 0, DATA.length);
                }
                return null; // closed without close_notify
            });
            try (SSLSocket s = SocketSupport.connect(clientContext(Impl.NATIVE), listener.getLocalPort())) {
                InputStream in = s.getInputStream();
                assertArrayEquals(DATA, readFully(in, DATA.length));
                // SunJSSE (without com.sun.net.ssl.requireCloseNotify) reads this as the end of the stream.
                assertEquals(-1, in.read());
            }
            server.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aDroppedConnectionDuringTheHandshakeIsAHandshakeFailure() throws Exception {
        try (ServerSocket listener = SocketSupport.plainListener()) {
            Future<?> server = EXECUTOR.submit(() -> {
                try (Socket plain = listener.accept()) {
                    plain.getInputStream().read(new byte[5]); // part of the ClientHello, then hang up
                }
                return null;
            });
            try (SSLSocket s = SocketSupport.connect(clientContext(Impl.NATIVE), listener.getLocalPort())) {
                SSLHandshakeException e = assertThrows(SSLHandshakeException.class, s::startHandshake);
                assertTrue(e.getMessage().contains("terminated the handshake"), e.getMessage());
                assertTrue(s.isClosed(), "a failed handshake closes the socket");
                assertFalse(s.getSession().isValid());
                assertEquals("SSL_NULL_WITH_NULL_NULL", s.getSession().getCipherSuite());
            }
            server.get(30, TimeUnit.SECONDS);
        }
    }

    /**
     * TLS 1.3 half-close: our close_notify ends the peer's input only; the peer answers on its
     * still-open output and we read that. Neither SunJSSE's nor NativeTLS's socket closes its
     * output when it receives close_notify in TLS 1.3.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0} server")
    @org.junit.jupiter.params.provider.EnumSource(Impl.class)
    void shutdownOutputIsAHalfClose(Impl serverImpl) throws Exception {
        byte[] answer = "the answer after your close".getBytes(StandardCharsets.US_ASCII);
        java.net.ServerSocket listener = SocketSupport.listen(serverContext(serverImpl));
        try (SocketSupport.Server srv = new SocketSupport.Server((javax.net.ssl.SSLServerSocket) listener, 1, s -> {
            InputStream in = s.getInputStream();
            assertArrayEquals(DATA, readFully(in, DATA.length));
            assertEquals(-1, in.read(), "the client's close_notify ends our input");
            s.getOutputStream().write(answer);
        });
            SSLSocket s = SocketSupport.connect(clientContext(Impl.NATIVE), srv.port())) {
            s.getOutputStream().write(DATA);
            OutputStream out = s.getOutputStream();
            s.shutdownOutput();
            assertTrue(s.isOutputShutdown());
            assertFalse(s.isInputShutdown());
            assertFalse(s.isClosed());
            assertEquals("TLSv1.3", s.getSession().getProtocol());
            assertThrows(SocketException.class, () -> out.write(1));
            assertThrows(SocketException.class, s::getOutputStream);
            InputStream in = s.getInputStream();
            assertArrayEquals(answer, readFully(in, answer.length));
            assertEquals(-1, in.read());
            srv.finish();
        }
    }

    @Test
    void shutdownInputBeforeTheCloseNotifyIsATruncationError() throws Exception {
        try (SocketSupport.Server srv = new SocketSupport.Server(SocketSupport.listen(serverContext(Impl.NATIVE)), 1,
            s -> {
                s.getOutputStream().write(DATA);
                s.getInputStream().read();
            });
            SSLSocket s = SocketSupport.connect(clientContext(Impl.NATIVE), srv.port())) {
            InputStream in = s.getInputStream();
            assertArrayEquals(DATA, readFully(in, DATA.length));
            SSLException e = assertThrows(SSLException.class, s::shutdownInput);
            assertTrue(e.getMessage().contains("close_notify"), e.getMessage());
            assertTrue(s.isInputShutdown());
            assertEquals(-1, in.read());
            assertThrows(SocketException.class, s::getInputStream);
        }
    }

    @Test
    void closingFromAnotherThreadUnblocksAReader() throws Exception {
        try (SocketSupport.Server srv = new SocketSupport.Server(SocketSupport.listen(serverContext(Impl.NATIVE)), 1,
            s -> s.getInputStream().read());
            SSLSocket s = SocketSupport.connect(clientContext(Impl.NATIVE), srv.port())) {
            s.startHandshake();
            Future<Integer> reader = EXECUTOR.submit(() -> s.getInputStream().read());
            Thread.sleep(200);
            assertFalse(reader.isDone());
            s.close();
            try {
                assertEquals(-1, reader.get(10, TimeUnit.SECONDS));
            } catch (java.util.concurrent.ExecutionException e) {
                assertTrue(e.getCause() instanceof SocketException, "reader got " + e.getCause());
            }
            srv.finish();
        }
    }
}
