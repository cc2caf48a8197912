package io.nativetls.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.testing.ChildProcess;
import io.nativetls.testing.Closer;
import io.nativetls.testing.Contexts;
import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.Tags;
import io.nativetls.testing.TestPki;
import java.io.EOFException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A NativeTLS client engine with delegated tasks against {@code openssl s_server} over 127.0.0.1,
 * asking for a client certificate, so the handshake pauses twice (the server's certificate, the
 * client's key); the tasks run on another thread while the socket waits.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
@Tag(Tags.INTEROP)
class DelegatedTaskOpenSslTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static ExecutorService executor;

    @RegisterExtension
    final Closer cleanup = new Closer();

    @BeforeAll
    static void startExecutor() {
        executor = Executors.newSingleThreadExecutor(r -> new Thread(r, DelegatedTaskTest.RUNNER + "openssl"));
    }

    @AfterAll
    static void stopExecutor() {
        executor.shutdownNow();
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void clientWithTasksOnAnotherThreadAgainstSServer(String protocol) throws Exception {
        TestPki pki = TestPki.get();
        ChildProcess server = cleanup.later(ChildProcess.opensslServer(pki.dir, List.of("-cert", "server-ec.pem",
            "-key", "server-ec.key", "-Verify", "1", "-CAfile", "ca.pem",
            protocol.equals("TLSv1.3") ? "-tls1_3" : "-tls1_2"), WAIT));
        Recorder rec = new Recorder();
        SSLContext ctx = Contexts.create(Impl.NATIVE, "TLS",
            new KeyManager[] {rec.keyManager(DelegatedTaskTest.realKeyManager("client"))},
            new TrustManager[] {rec.trustManager()});
        SSLEngine engine = ctx.createSSLEngine("localhost", server.port());
        engine.setUseClientMode(true);
        Socket socket = cleanup.later(new Socket());
        socket.connect(new InetSocketAddress(InetAddress.getByName(ChildProcess.LOOPBACK), server.port()), 10_000);
        socket.setSoTimeout(10_000);
        Driver d = new Driver(engine, socket);
        d.handshake();
        assertEquals(2, d.pauses, "NEED_TASK pauses: the server's certificate, then the client's key");
        assertEquals(protocol, engine.getSession().getProtocol());
        assertEquals(List.of("checkServerTrusted", "chooseEngineClientAlias"), rec.methods());
        for (Recorder.Call call : rec.calls()) {
            assertTrue(call.thread().startsWith(DelegatedTaskTest.RUNNER), call + " ran outside the executor");
        }
        String line = "delegated-" + protocol + "-" + System.nanoTime();
        d.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
        assertTrue(server.awaitOutput(line, WAIT), "s_server did not print the client's line: " + server.describe());
    }

    /** The smallest blocking driver over a socket that runs its engine's tasks on the executor. */
    private static final class Driver {
        final SSLEngine engine;
        final InputStream in;
        final OutputStream out;
        ByteBuffer netIn = ByteBuffer.allocate(64 * 1024);
        int pauses;

        Driver(SSLEngine engine, Socket socket) throws Exception {
            this.engine = engine;
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
        }

        void handshake() throws Exception {
            engine.beginHandshake();
            ByteBuffer app = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
            for (int i = 0; i < 1000; i++) {
                HandshakeStatus hs = engine.getHandshakeStatus();
                switch (hs) {
                    case NEED_TASK:
                        pauses++;
                        for (Runnable t = engine.getDelegatedTask(); t != null; t = engine.getDelegatedTask()) {
                            executor.submit(t).get(10, TimeUnit.SECONDS);
                        }
                        break;
                    case NEED_WRAP:
                        if (wrap(ByteBuffer.allocate(0)).getHandshakeStatus() == HandshakeStatus.FINISHED) {
                            return;
                        }
                        break;
                    case NEED_UNWRAP:
                    case NEED_UNWRAP_AGAIN:
                        netIn.flip();
                        SSLEngineResult r = engine.unwrap(netIn, app);
                        netIn.compact();
                        if (r.getHandshakeStatus() == HandshakeStatus.FINISHED) {
                            return;
                        }
                        if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                            int n = in.read(netIn.array(), netIn.position(), netIn.remaining());
                            if (n < 0) {
                                throw new EOFException("s_server closed during the handshake");
                            }
                            netIn.position(netIn.position() + n);
                        }
                        break;
                    default:
                        return;
                }
            }
            throw new AssertionError("handshake did not end in 1000 steps");
        }

        SSLEngineResult wrap(ByteBuffer src) throws Exception {
            ByteBuffer net = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
            SSLEngineResult r = engine.wrap(src, net);
            out.write(net.array(), 0, net.position());
            out.flush();
            return r;
        }

        void write(byte[] data) throws Exception {
            ByteBuffer src = ByteBuffer.wrap(data);
            while (src.hasRemaining()) {
                wrap(src);
            }
        }
    }
}
