package io.nativetls.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.nativetls.testing.Contexts.Impl;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.Status;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * JSSE lets one thread wrap while another unwraps on the same engine. After a handshake, one
 * thread wraps 10 000 sequence-numbered 1 KiB records on the NativeTLS engine while another
 * unwraps the 10 000 the peer sends at the same time; the peer runs its own two threads.
 * Everything must arrive in order and intact, within a bounded time.
 */
class EngineConcurrencyTest {
    private static final int RECORDS = 10_000;
    private static final int SIZE = 1024;
    private static final long TOTAL = (long) RECORDS * SIZE;
    private static final long BUDGET_MILLIS = 40_000;

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        out.add(Arguments.of("client", Impl.SUN, "TLSv1.3"));
        out.add(Arguments.of("client", Impl.NATIVE, "TLSv1.2"));
        out.add(Arguments.of("server", Impl.SUN, "TLSv1.2"));
        out.add(Arguments.of("server", Impl.NATIVE, "TLSv1.3"));
        return out.stream();
    }

    /** The byte at offset j of record k of a stream tagged salt: k big-endian first, then a pattern. */
    private static byte expected(long k, int j, int salt) {
        if (j < 8) {
            return (byte) (k >>> (56 - 8 * j));
        }
        return (byte) (k * 31 + j * 7 + salt);
    }

    private static Callable<Void> writer(SSLEngine e, BlockingQueue<byte[]> out, int salt, CyclicBarrier start,
        long deadline) {
        return () -> {
            ByteBuffer net = ByteBuffer.allocate(e.getSession().getPacketBufferSize());
            ByteBuffer src = ByteBuffer.allocate(SIZE);
            start.await(10, TimeUnit.SECONDS);
            for (long k = 0; k < RECORDS; k++) {
                src.clear();
                for (int j = 0; j < SIZE; j++) {
                    src.put(expected(k, j, salt));
                }
                src.flip();
                for (int i = 0; src.hasRemaining(); i++) {
                    if (i > 100 || System.currentTimeMillis() > deadline) {
                        throw new AssertionError("writer stuck at record " + k);
                    }
                    int before = src.position();
                    SSLEngineResult r = e.wrap(src, net);
                    if (r.getStatus() != Status.OK) {
                        throw new AssertionError("wrap of record " + k + ": " + r);
                    }
                    if (r.bytesConsumed() != src.position() - before || r.bytesProduced() != net.position()) {
                        throw new AssertionError("wrap of record " + k + " misreported its counts: " + r);
                    }
                    if (r.bytesProduced() > 0) {
                        net.flip();
                        byte[] wire = new byte[net.remaining()];
                        net.get(wire);
                        out.put(wire);
                    }
                    net.clear();
                }
            }
            return null;
        };
    }

    private static Callable<Long> reader(SSLEngine e, BlockingQueue<byte[]> in, int salt, CyclicBarrier start,
        long deadline) {
        return () -> {
            ByteBuffer net = ByteBuffer.allocate(64 * 1024);
            ByteBuffer app = ByteBuffer.allocate(e.getSession().getApplicationBufferSize());
            long got = 0;
            start.await(10, TimeUnit.SECONDS);
            while (got < TOTAL) {
                if (System.currentTimeMillis() > deadline) {
                    throw new AssertionError("reader timed out after " + got + " of " + TOTAL + " bytes");
                }
                net.flip();
                int before = net.position();
                SSLEngineResult r;
                int consumed;
                try {
                    r = e.unwrap(net, app);
                    consumed = net.position() - before;
                } finally {
                    net.compact();
                }
                if (r.bytesConsumed() != consumed) {
                    throw new AssertionError("unwrap misreported bytesConsumed: " + r + ", moved " + consumed);
                }
                if (r.getStatus() == Status.CLOSED || r.getStatus() == Status.BUFFER_OVERFLOW) {
                    throw new AssertionError("unwrap after " + got + " bytes: " + r);
                }
                if (r.bytesProduced() != app.position()) {
                    throw new AssertionError("unwrap misreported bytesProduced: " + r);
                }
                app.flip();
                while (app.hasRemaining()) {
                    byte b = app.get();
                    byte want = expected(got / SIZE, (int) (got % SIZE), salt);
                    if (b != want) {
                        throw new AssertionError("byte " + got + " (record " + got / SIZE + ", offset " + got % SIZE
                            + ") is " + b + ", expected " + want);
                    }
                    got++;
                }
                app.clear();
                if (r.getStatus() == Status.BUFFER_UNDERFLOW || r.bytesConsumed() == 0) {
                    byte[] wire = in.poll(100, TimeUnit.MILLISECONDS);
                    if (wire != null) {
                        if (net.remaining() < wire.length) {
                            ByteBuffer grown = ByteBuffer.allocate(net.position() + wire.length + 64 * 1024);
                            net.flip();
                            grown.put(net);
                            net = grown;
                        }
                        net.put(wire);
                    }
                }
            }
            return got;
        };
    }

    @ParameterizedTest(name = "NativeTLS {0}, {1} peer, {2}")
    @MethodSource("cases")
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void wrapAndUnwrapOnTwoThreadsAtOnce(String role, Impl peer, String protocol) throws Exception {
        boolean subjectIsClient = role.equals("client");
        SSLEngine c = EngineSupport.client(subjectIsClient ? Impl.NATIVE : peer, protocol);
        SSLEngine s = EngineSupport.server(subjectIsClient ? peer : Impl.NATIVE, "server-ec");
        EngineSupport.established(c, s);
        SSLEngine subject = subjectIsClient ? c : s;
        SSLEngine other = subjectIsClient ? s : c;

        BlockingQueue<byte[]> subjectToPeer = new LinkedBlockingQueue<>();
        BlockingQueue<byte[]> peerToSubject = new LinkedBlockingQueue<>();
        long deadline = System.currentTimeMillis() + BUDGET_MILLIS;
        CyclicBarrier start = new CyclicBarrier(4);
        ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "engine-concurrency");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> jobs = new ArrayList<>();
            jobs.add(pool.submit(writer(subject, subjectToPeer, 1, start, deadline)));
            jobs.add(pool.submit(reader(subject, peerToSubject, 2, start, deadline)));
            jobs.add(pool.submit(writer(other, peerToSubject, 2, start, deadline)));
            jobs.add(pool.submit(reader(other, subjectToPeer, 1, start, deadline)));
            String[] names = {"NativeTLS writer", "NativeTLS reader", "peer writer", "peer reader"};
            for (int i = 0; i < jobs.size(); i++) {
                long left = Math.max(1, deadline + 5_000 - System.currentTimeMillis());
                try {
                    Object result = jobs.get(i).get(left, TimeUnit.MILLISECONDS);
                    if (result instanceof Long) {
                        assertEquals(TOTAL, (long) (Long) result, names[i] + " bytes");
                    }
                } catch (TimeoutException e) {
                    fail(names[i] + " did not finish in time");
                } catch (ExecutionException e) {
                    throw new AssertionError(names[i] + " failed: " + e.getCause(), e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
            if (!pool.awaitTermination(5, TimeUnit.SECONDS)) {
                fail("worker threads did not stop");
            }
        }
        assertEquals(0, subjectToPeer.size(), "records left unread by the peer");
        assertEquals(0, peerToSubject.size(), "records left unread by NativeTLS");
    }
}
