package io.nativetls.bench;

import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Bulk throughput on an established connection. One operation: the client wraps one write of
 * {@code size} bytes (one TLS record for both sizes), the server unwraps it. Throughput in MB/s is
 * ops/s x size / 10^6 (bench/chart.py computes it). {@code buffers} says whether the source,
 * network and destination buffers are heap or direct ByteBuffers. Each thread has its own
 * connection, made in its setup from the shared contexts.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {Groups.JVM_ARG, "-Xms2g", "-Xmx2g", Forks.PRE_TOUCH})
public class BulkBenchmark {
    @Param({Peer.NATIVETLS, Peer.SUNJSSE, Peer.CONSCRYPT, Peer.NETTY, Peer.BCJSSE})
    public String provider;

    @Param({"TLS13_AES_128_GCM", "TLS13_AES_256_GCM", "TLS13_CHACHA20_POLY1305", "TLS12_ECDHE_ECDSA_AES128_GCM"})
    public String suite;

    @Param({"1024", "16384"})
    public int size;

    @Param({"heap", "direct"})
    public String buffers;

    Endpoints endpoints;
    Tls tls;

    @Setup(Level.Trial)
    public void setup() throws Exception {
        tls = Tls.valueOf(suite);
        endpoints = Checks.open(provider, tls);
        Checks.fullHandshake(provider, endpoints, tls, new MemoryLink(buffers.equals("direct")));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (endpoints != null) {
            endpoints.close();
        }
    }

    /** One thread's established connection and its buffers. */
    @State(Scope.Thread)
    public static class Connection {
        MemoryLink link;
        SSLEngine client;
        SSLEngine server;
        ByteBuffer src;
        private Endpoints endpoints;

        @Setup(Level.Trial)
        public void open(BulkBenchmark b) throws SSLException {
            endpoints = b.endpoints;
            link = new MemoryLink(b.buffers.equals("direct"));
            client = endpoints.client(null, -1);
            server = endpoints.server();
            link.handshake(client, server, null);
            String negotiated = client.getSession().getCipherSuite();
            if (!b.tls.suite.equals(negotiated)) {
                throw new IllegalStateException("provider " + b.provider + " negotiated " + negotiated + " instead of "
                    + b.tls.suite);
            }
            byte[] data = new byte[b.size];
            new Random(b.size).nextBytes(data);
            src = link.allocate(b.size);
            src.put(data).flip();
            // Check once that the data arrives whole.
            int got = link.transfer(client, server, src);
            if (got != b.size) {
                throw new IllegalStateException("provider " + b.provider + ": sent " + b.size + " bytes, received " + got);
            }
        }

        @TearDown(Level.Trial)
        public void close() {
            try {
                link.close(client, server);
            } catch (SSLException e) {
                System.out.println("[bench] close after bulk failed: " + e);
            } finally {
                endpoints.release(client);
                endpoints.release(server);
            }
        }
    }

    @Benchmark
    public int wrapUnwrap(Connection c) throws SSLException {
        c.src.clear();
        return c.link.transfer(c.client, c.server, c.src);
    }
}
