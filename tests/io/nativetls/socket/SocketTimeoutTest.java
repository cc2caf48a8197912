package io.nativetls.socket;

import static io.nativetls.socket.SocketSupport.clientContext;
import static io.nativetls.socket.SocketSupport.readFully;
import static io.nativetls.socket.SocketSupport.serverContext;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.testing.Contexts.Impl;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Read timeouts leave the connection usable; available() counts decrypted bytes only. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SocketTimeoutTest {

    @Test
    void aTimedOutReadCanBeRetriedAndGetsLaterData() throws Exception {
        CountDownLatch timedOut = new CountDownLatch(1);
        byte[] late = "sent after the timeout".getBytes(StandardCharsets.US_ASCII);
        try (SocketSupport.Server srv = new SocketSupport.Server(SocketSupport.listen(serverContext(Impl.NATIVE)), 1,
            s -> {
                s.startHandshake();
                assertTrue(timedOut.await(10, TimeUnit.SECONDS));
                s.getOutputStream().write(late);
                readFully(s.getInputStream(), 1);
            });
            SSLSocket s = SocketSupport.connect(clientContext(Impl.NATIVE), srv.port())) {
            s.startHandshake();
            s.setSoTimeout(200);
            InputStream in = s.getInputStream();
            assertThrows(SocketTimeoutException.class, () -> in.read());
            assertThrows(SocketTimeoutException.class, () -> in.read(new byte[10]));
            timedOut.countDown();
            s.setSoTimeout(SocketSupport.SO_TIMEOUT_MS);
            assertArrayEquals(late, readFully(in, late.length));
            s.getOutputStream().write(1);
            srv.finish();
        }
    }

    /**
     * A relay cuts every chunk the server sends in two and waits between the halves, so reads
     * time out with half a record taken off the socket: those bytes must not be lost.
     */
    @ParameterizedTest(name = "{0} server")
    @ValueSource(strings = {"NATIVE", "SUN"})
    void partialRecordsSurviveTimeouts(String serverImpl) throws Exception {
        byte[] payload = new byte[6_000];
        new Random(3).nextBytes(payload);
        try (SocketSupport.Server srv = new SocketSupport.Server(
            SocketSupport.listen(serverContext(Impl.valueOf(serverImpl))), 1, s -> {
                readFully(s.getInputStream(), 2);
                s.getOutputStream().write(payload);
                readFully(s.getInputStream(), 1);
            });
            SplittingRelay relay = new SplittingRelay(srv.port());
            SSLSocket s = SocketSupport.connect(clientContext(Impl.NATIVE), relay.port())) {
            s.startHandshake();
            relay.split = true;
            s.getOutputStream().write("go".getBytes(StandardCharsets.US_ASCII));
            s.setSoTimeout(50);
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[4096];
            int timeouts = 0;
            for (int i = 0; i < 10_000 && got.size() < payload.length; i++) {
                try {
                    int n = in.read(buf);
                    assertTrue(n > 0, "stream ended early");
                    got.write(buf, 0, n);
                } catch (SocketTimeoutException e) {
                    timeouts++;
                }
            }
            assertTrue(timeouts > 0, "the relay's pauses should have made reads time out");
            assertArrayEquals(payload, got.toByteArray());
            s.getOutputStream().write(1);
            // Close first: SunJSSE's close waits (up to its read timeout) for our side to go.
            s.close();
            srv.finish();
        }
    }

    @Test
    void availableCountsDecryptedBytesOnly() throws Exception {
        byte[] data = new byte[100];
        new Random(5).nextBytes(data);
        CountDownLatch sent = new CountDownLatch(1);
        try (SocketSupport.Server srv = new SocketSupport.Server(SocketSupport.listen(serverContext(Impl.NATIVE)), 1,
            s -> {
                s.getOutputStream().write(data);
                sent.countDown();
                readFully(s.getInputStream(), 1);
            });
            SSLSocket s = SocketSupport.connect(clientContext(Impl.NATIVE), srv.port())) {
            InputStream in = s.getInputStream();
            assertEquals(0, in.available(), "nothing decrypted before the first read");
            s.startHandshake();
            assertTrue(sent.await(10, TimeUnit.SECONDS));
            assertEquals(data[0], (byte) in.read());
            assertEquals(99, in.available(), "the rest of the record is decrypted and buffered");
            byte[] rest = readFully(in, 99);
            assertEquals(data[99], rest[98]);
            assertEquals(0, in.available());
            s.getOutputStream().write(1);
            srv.finish();
        }
    }

    /** Forwards client to server as is; server to client whole, or cut in two with a pause. */
    static final class SplittingRelay implements AutoCloseable {
        private final ServerSocket listener = SocketSupport.plainListener();
        private final Thread acceptor;
        volatile boolean split;
        private volatile Socket client;
        private volatile Socket server;

        SplittingRelay(int serverPort) throws IOException {
            acceptor = new Thread(() -> {
                try {
                    client = listener.accept();
                    server = SocketSupport.plainConnect(serverPort);
                    pump(client.getInputStream(), server.getOutputStream(), false);
                    pump(server.getInputStream(), client.getOutputStream(), true);
                } catch (IOException e) {
                    // the test closed the relay
                }
            }, "relay-accept");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return listener.getLocalPort();
        }

        private void pump(InputStream in, OutputStream out, boolean splitting) {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[1024];
                try {
                    for (int n; (n = in.read(buf)) >= 0; ) {
                        if (splitting && split && n > 3) {
                            out.write(buf, 0, 3);
                            out.flush();
                            Thread.sleep(150);
                            out.write(buf, 3, n - 3);
                        } else {
                            out.write(buf, 0, n);
                        }
                        out.flush();
                    }
                    out.close();
                } catch (IOException | InterruptedException e) {
                    // the connection or the test ended
                }
            }, "relay-pump");
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void close() throws IOException {
            listener.close();
            for (Socket s : new Socket[] {client, server}) {
                if (s != null) {
                    s.close();
                }
            }
        }
    }
}
