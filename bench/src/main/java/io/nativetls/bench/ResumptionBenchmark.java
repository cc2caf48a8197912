package io.nativetls.bench;

import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Resumed handshakes per second. One operation is the same as in {@link HandshakeBenchmark}
 * except that the client engine is made for localhost:8443, so the provider's client session
 * cache offers the session of the previous connection and the server may resume it.
 * <ul>
 * <li>{@code tls13Ticket}: TLS 1.3, ECDSA P-256, AES-128-GCM; resumption by PSK from a ticket.</li>
 * <li>{@code tls12SessionId}: TLS 1.2 ECDHE-ECDSA-AES128-GCM; resumption by session id (this
 * fork runs with SunJSSE's session ticket extension off on both sides; Conscrypt and Netty's
 * BoringSSL clients send no ticket extension by default).</li>
 * </ul>
 * Whether each handshake really was resumed is read off the wire (see {@link Wire}) and counted in
 * the secondary results {@code resumed} and {@code full} (per second); a provider that does not
 * resume shows resumed = 0 and the rate of full handshakes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 2)
public class ResumptionBenchmark {
    @Param({Peer.NATIVETLS, Peer.SUNJSSE, Peer.CONSCRYPT, Peer.NETTY, Peer.BCJSSE})
    public String provider;

    private Endpoints endpoints;

    /** Each thread's link, and how many of its handshakes were resumed. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Outcome {
        final MemoryLink link = new MemoryLink(false);
        final Wire.ServerFlight flight = new Wire.ServerFlight();
        public long resumed;
        public long full;

        @Setup(Level.Iteration)
        public void reset() {
            resumed = 0;
            full = 0;
        }
    }

    @Setup(Level.Trial)
    public void setup(BenchmarkParams params) throws Exception {
        Tls tls = params.getBenchmark().endsWith("tls12SessionId") ? Tls.TLS12_ECDHE_ECDSA_AES128_GCM
            : Tls.TLS13_ECDSA_P256;
        endpoints = Checks.open(provider, tls);
        MemoryLink link = new MemoryLink(false);
        Checks.fullHandshake(provider, endpoints, tls, link);
        Checks.resumption(provider, endpoints, tls, link, 4);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (endpoints != null) {
            endpoints.close();
        }
    }

    private SSLEngine resumable(Outcome o) throws SSLException {
        SSLEngine client = endpoints.client(Checks.HOST, Checks.PORT);
        SSLEngine server = endpoints.server();
        try {
            o.flight.reset();
            o.link.handshake(client, server, o.flight);
            o.link.close(client, server);
        } finally {
            endpoints.release(client);
            endpoints.release(server);
        }
        if (o.flight.resumed()) {
            o.resumed++;
        } else {
            o.full++;
        }
        return client;
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {Groups.JVM_ARG, "-Xms2g", "-Xmx2g", Forks.PRE_TOUCH})
    public SSLEngine tls13Ticket(Outcome o) throws SSLException {
        return resumable(o);
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {Groups.JVM_ARG, "-Xms2g", "-Xmx2g", Forks.PRE_TOUCH,
        "-Djdk.tls.server.enableSessionTicketExtension=false", "-Djdk.tls.client.enableSessionTicketExtension=false"})
    public SSLEngine tls12SessionId(Outcome o) throws SSLException {
        return resumable(o);
    }
}
