package io.nativetls.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.nativetls.internal.jni.SslNative;
import io.nativetls.testing.Contexts;
import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.EnginePair;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.Test;

/**
 * Hostile bytes into unwrap: random bytes, real records with flipped bits, truncated, over-long,
 * with wrong content types, alerts and handshake messages at the wrong time, and ClientHellos
 * with mutated extensions, against fresh servers, clients that sent their hello, and established
 * connections. Every input must end in an SSLException, CLOSED, or a harmless OK/underflow,
 * quickly, with the engine still closable; afterwards no connection may be left alive.
 * Seeded: input i uses seed (base + i). {@code mvn -Pfuzz test} runs 5,000,000 inputs.
 */
class UnwrapFuzzTest {
    private static final int INPUTS = Integer.getInteger("io.nativetls.fuzz.inputs", 100_000);
    private static final long SEED = Long.getLong("io.nativetls.fuzz.seed", 0x7e1f_2026L);
    private static final long MAX_NANOS_PER_INPUT = 2_000_000_000L;

    private final SSLContext server = Contexts.server(Impl.NATIVE, "server-ec");
    private final SSLContext client = Contexts.client(Impl.NATIVE);
    private final List<TrafficCorpus> corpora = new ArrayList<>();
    private final Map<String, Integer> outcomes = new TreeMap<>();

    @Test
    void unwrapSurvivesHostileInput() throws Exception {
        for (String protocol : new String[] {"TLSv1.3", "TLSv1.2"}) {
            for (Impl peer : Impl.values()) {
                SSLEngine c = Contexts.client(peer).createSSLEngine("localhost", 443);
                c.setEnabledProtocols(new String[] {protocol});
                corpora.add(TrafficCorpus.capture(c, server.createSSLEngine()));
            }
        }
        long[] base = settle();
        for (int i = 0; i < INPUTS; i++) {
            Random r = new Random(SEED + i);
            long start = System.nanoTime();
            String what = "input " + i + " (seed " + (SEED + i) + ")";
            try {
                what += ": " + runOne(r);
            } catch (Throwable t) {
                throw new AssertionError(what + " escaped with " + t, t);
            }
            long took = System.nanoTime() - start;
            if (took > MAX_NANOS_PER_INPUT) {
                fail(what + " took " + took / 1_000_000 + " ms");
            }
        }
        System.out.println("unwrap fuzz: " + INPUTS + " inputs from seed " + SEED + ", outcomes " + outcomes);
        long[] after = settle();
        assertEquals(base[SslNative.LIVE_CONNECTIONS], after[SslNative.LIVE_CONNECTIONS],
            "connections left alive after the fuzz run");
    }

    private String runOne(Random r) throws SSLException {
        TrafficCorpus corpus = corpora.get(r.nextInt(corpora.size()));
        int target = r.nextInt(10);
        if (target < 5) {
            SSLEngine e = server.createSSLEngine();
            e.setUseClientMode(false);
            byte[] flight = TrafficCorpus.concat(corpus.clientRecords, 0, 1 + r.nextInt(3));
            return "fresh server, " + feed(e, mutate(r, flight, corpus.clientRecords.get(0), corpus.serverRecords));
        }
        if (target < 8) {
            SSLEngine e = client.createSSLEngine("localhost", 443);
            e.setUseClientMode(true);
            ByteBuffer net = ByteBuffer.allocate(e.getSession().getPacketBufferSize());
            e.wrap(ByteBuffer.allocate(0), net);
            byte[] flight = TrafficCorpus.concat(corpus.serverRecords, 0, 1 + r.nextInt(6));
            return "client after hello, " + feed(e, mutate(r, flight, corpus.clientRecords.get(0), corpus.clientRecords));
        }
        SSLEngine c = client.createSSLEngine("localhost", 443);
        c.setEnabledProtocols(new String[] {r.nextBoolean() ? "TLSv1.3" : "TLSv1.2"});
        SSLEngine s = server.createSSLEngine();
        EnginePair pair = new EnginePair(c, s);
        pair.handshake();
        ByteBuffer net = ByteBuffer.allocate(c.getSession().getPacketBufferSize());
        byte[] data = new byte[1 + r.nextInt(2000)];
        r.nextBytes(data);
        c.wrap(ByteBuffer.wrap(data), net);
        byte[] record = new byte[net.position()];
        net.flip().get(record);
        return "established server, " + feed(s, mutate(r, record, corpus.clientRecords.get(0), corpus.serverRecords));
    }

    private static byte[] mutate(Random r, byte[] valid, byte[] clientHello, List<byte[]> wrongTime) {
        switch (r.nextInt(11)) {
            case 0:
                return Mutator.randomBytes(r);
            case 1:
                return Mutator.randomRecord(r);
            case 2:
                return Mutator.flipBits(valid, r);
            case 3:
                return Mutator.overwrite(valid, r);
            case 4:
                return Mutator.truncate(valid, r);
            case 5:
                return Mutator.badLength(valid, r);
            case 6:
                return Mutator.contentType(valid, r);
            case 7:
                return Mutator.alertFirst(valid, r);
            case 8:
                return wrongTime.get(r.nextInt(wrongTime.size()));
            default:
                return Mutator.clientHelloExtensions(clientHello, r);
        }
    }

    /** Unwraps input (answering NEED_WRAP) until an outcome; then closes the engine both ways. */
    private String feed(SSLEngine e, byte[] input) {
        // Every third input arrives in a read-only buffer, which has no array to hand over.
        ByteBuffer in = input.length % 3 == 0 ? ByteBuffer.wrap(input).asReadOnlyBuffer() : ByteBuffer.wrap(input);
        ByteBuffer app = ByteBuffer.allocate(e.getSession().getApplicationBufferSize());
        ByteBuffer net = ByteBuffer.allocate(e.getSession().getPacketBufferSize());
        String outcome = "input used up";
        try {
            for (int i = 0; i < 500; i++) {
                int before = in.position();
                SSLEngineResult r = e.unwrap(in, app);
                app.clear();
                if (r.bytesConsumed() != in.position() - before) {
                    throw new AssertionError("bytesConsumed " + r.bytesConsumed() + " but position moved "
                        + (in.position() - before));
                }
                if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                    outcome = "CLOSED";
                    break;
                }
                if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                    if (r.bytesConsumed() != 0) {
                        throw new AssertionError("BUFFER_UNDERFLOW consumed " + r.bytesConsumed());
                    }
                    outcome = "underflow";
                    break;
                }
                if (e.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                    net.clear();
                    e.wrap(ByteBuffer.allocate(0), net);
                }
                if (!in.hasRemaining() || r.bytesConsumed() == 0) {
                    outcome = r.getStatus().toString();
                    break;
                }
            }
        } catch (SSLException expected) {
            outcome = expected.getClass().getSimpleName();
        }
        outcomes.merge(outcome, 1, Integer::sum);
        closeQuietly(e, net);
        return outcome;
    }

    /** close in both directions; only SSLException (a truncation warning from closeInbound) is fine. */
    private static void closeQuietly(SSLEngine e, ByteBuffer net) {
        e.closeOutbound();
        for (int i = 0; i < 5 && !e.isOutboundDone(); i++) {
            net.clear();
            try {
                e.wrap(ByteBuffer.allocate(0), net);
            } catch (SSLException ignored) {
                break;
            }
        }
        try {
            e.closeInbound();
        } catch (SSLException truncation) {
            // expected when the peer never sent close_notify
        }
    }

    private static long[] settle() throws InterruptedException {
        long[] last = SslNative.liveHandles();
        int stable = 0;
        for (int i = 0; i < 300 && stable < 5; i++) {
            System.gc();
            Thread.sleep(20);
            long[] now = SslNative.liveHandles();
            stable = java.util.Arrays.equals(now, last) ? stable + 1 : 0;
            last = now;
        }
        return last;
    }
}
