package io.nativetls.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.internal.tool.EngineStream;
import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.Contexts;
import io.nativetls.testing.EnginePair;
import io.nativetls.testing.Tags;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Many threads, one shared SSLContext per role: full handshakes and echoes with TLS 1.2 and 1.3
 * mixed, in memory and over loopback sockets, every byte checked. The default run is scaled down;
 * {@code mvn -Pstress test} runs the full 8 x 1000 (property io.nativetls.stress.handshakes).
 */
@Tag(Tags.SOAK)
class ConcurrentHandshakeStressTest {
    private static final int THREADS = 8;
    private static final int PER_THREAD = Integer.getInteger("io.nativetls.stress.handshakes", 200);
    private static final int ECHO = 64 * 1024;

    private final SSLContext server = Contexts.server(Impl.NATIVE, "server-ec");
    private final SSLContext client = Contexts.client(Impl.NATIVE);

    @Test
    void engines() throws Exception {
        runOnThreads(t -> {
            for (int i = 0; i < PER_THREAD; i++) {
                SSLEngine c = client.createSSLEngine("localhost", 443);
                c.setEnabledProtocols(new String[] {(t + i) % 2 == 0 ? "TLSv1.3" : "TLSv1.2"});
                EnginePair pair = new EnginePair(c, server.createSSLEngine(),
                    new EnginePair.Options().direct(i % 2 == 1));
                pair.handshake();
                pair.exchange(ECHO, t * 100_000L + i);
                pair.close(pair.client);
            }
        });
    }

    @Test
    void sockets() throws Exception {
        int connections = THREADS * Math.max(1, PER_THREAD / 4);
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (ServerSocket listener = new ServerSocket(0, 64, loopback)) {
            listener.setSoTimeout(60_000);
            ExecutorService servers = Executors.newFixedThreadPool(THREADS);
            Thread acceptor = new Thread(() -> {
                try {
                    for (int i = 0; i < connections; i++) {
                        Socket s = listener.accept();
                        servers.submit(() -> echoOnce(s));
                    }
                } catch (IOException e) {
                    // The clients fail and report.
                }
            });
            acceptor.start();
            try {
                runOnThreads(t -> {
                    for (int i = 0; i < connections / THREADS; i++) {
                        Socket socket = new Socket(loopback, listener.getLocalPort());
                        socket.setSoTimeout(30_000);
                        SSLEngine engine = client.createSSLEngine("localhost", listener.getLocalPort());
                        engine.setUseClientMode(true);
                        engine.setEnabledProtocols(new String[] {(t + i) % 2 == 0 ? "TLSv1.3" : "TLSv1.2"});
                        byte[] data = new byte[ECHO];
                        new Random(t * 1000L + i).nextBytes(data);
                        try (EngineStream tls = new EngineStream(engine, socket)) {
                            tls.handshake();
                            tls.write(data, 0, data.length);
                            byte[] back = new byte[ECHO];
                            int got = 0;
                            while (got < back.length) {
                                int n = tls.read(back, got, back.length - got);
                                assertTrue(n > 0, "server closed early");
                                got += n;
                            }
                            assertTrue(java.util.Arrays.equals(data, back), "echo intact");
                        }
                    }
                });
            } finally {
                acceptor.join(30_000);
                servers.shutdown();
                assertTrue(servers.awaitTermination(30, TimeUnit.SECONDS));
            }
        }
    }

    private Void echoOnce(Socket s) throws IOException {
        s.setSoTimeout(30_000);
        SSLEngine engine = server.createSSLEngine();
        engine.setUseClientMode(false);
        try (EngineStream tls = new EngineStream(engine, s)) {
            tls.handshake();
            byte[] buf = new byte[ECHO];
            int got = 0;
            while (got < ECHO) {
                int n = tls.read(buf, got, ECHO - got);
                if (n < 0) {
                    throw new IOException("client closed early");
                }
                got += n;
            }
            tls.write(buf, 0, ECHO);
        }
        return null;
    }

    interface Work {
        void run(int thread) throws Exception;
    }

    private static void runOnThreads(Work work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int id = t;
                done.add(pool.submit(() -> {
                    work.run(id);
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(10, TimeUnit.MINUTES);
            }
            assertEquals(THREADS, done.size());
        } finally {
            pool.shutdownNow();
        }
    }
}
