package io.nativetls.socket;

import static io.nativetls.socket.SocketSupport.clientContext;
import static io.nativetls.socket.SocketSupport.serverContext;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nativetls.testing.Contexts.Impl;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One reader and one writer thread on each end of a connection, both directions at full speed:
 * neither side may stall the other (if a write waited for a read, both TCP buffers would fill
 * and everything would stop) and every byte must arrive in order.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SocketConcurrencyTest {
    private static final int VOLUME = 10 * 1024 * 1024;
    private static final ExecutorService EXECUTOR = Executors.newCachedThreadPool();

    @AfterAll
    static void stop() {
        EXECUTOR.shutdownNow();
    }

    @ParameterizedTest(name = "client {0}, server {1}, {2}")
    @CsvSource({"NATIVE, NATIVE, TLSv1.3", "NATIVE, NATIVE, TLSv1.2", "NATIVE, SUN, TLSv1.3", "SUN, NATIVE, TLSv1.2"})
    void bothSidesWriteWhileReading(Impl client, Impl server, String protocol) throws Exception {
        javax.net.ssl.SSLServerSocket listener = SocketSupport.listen(serverContext(server));
        listener.setEnabledProtocols(new String[] {protocol});
        try (SocketSupport.Server srv = new SocketSupport.Server(listener, 1, s -> {
            long[] sums = exchange(s, 2);
            assertEquals(sums[0], sums[1], "what the server read");
        });
            SSLSocket s = SocketSupport.connect(clientContext(client), srv.port())) {
            long[] sums = exchange(s, 1);
            assertEquals(sums[0], sums[1], "what the client read");
            assertEquals(protocol, s.getSession().getProtocol());
            s.close(); // before waiting: SunJSSE's close waits for ours
            srv.finish();
        }
    }

    /**
     * Writes VOLUME bytes from seed on one thread while reading VOLUME bytes on another; returns
     * the CRC of what the peer (seed 3 - mine) should have sent and of what was read.
     */
    private static long[] exchange(SSLSocket s, int seed) throws Exception {
        OutputStream out = s.getOutputStream();
        InputStream in = s.getInputStream();
        Future<?> writer = EXECUTOR.submit(() -> {
            write(out, seed);
            return null;
        });
        long received = read(in);
        writer.get(60, TimeUnit.SECONDS);
        return new long[] {expected(3 - seed), received};
    }

    private static void write(OutputStream out, int seed) throws IOException {
        Random random = new Random(seed);
        Random sizes = new Random(seed + 100);
        byte[] buf = new byte[70_000];
        for (int sent = 0; sent < VOLUME; ) {
            int n = Math.min(VOLUME - sent, 1 + sizes.nextInt(buf.length));
            fill(random, buf, n);
            out.write(buf, 0, n);
            sent += n;
        }
    }

    private static long read(InputStream in) throws IOException {
        CRC32 crc = new CRC32();
        byte[] buf = new byte[8192];
        for (int got = 0; got < VOLUME; ) {
            int n = in.read(buf, 0, Math.min(buf.length, VOLUME - got));
            if (n < 0) {
                throw new IOException("end of stream after " + got + " bytes");
            }
            crc.update(buf, 0, n);
            got += n;
        }
        return crc.getValue();
    }

    private static long expected(int seed) {
        Random random = new Random(seed);
        Random sizes = new Random(seed + 100);
        CRC32 crc = new CRC32();
        byte[] buf = new byte[70_000];
        for (int sent = 0; sent < VOLUME; ) {
            int n = Math.min(VOLUME - sent, 1 + sizes.nextInt(buf.length));
            fill(random, buf, n);
            crc.update(buf, 0, n);
            sent += n;
        }
        return crc.getValue();
    }

    private static void fill(Random random, byte[] buf, int n) {
        for (int i = 0; i < n; i += 4) {
            int v = random.nextInt();
            for (int j = 0; j < 4 && i + j < n; j++) {
                buf[i + j] = (byte) (v >>> (8 * j));
            }
        }
    }
}
