package io.nativetls.engine;

import static io.nativetls.engine.EngineSupport.established;
import static io.nativetls.engine.EngineSupport.isNative;
import static io.nativetls.engine.EngineSupport.random;
import static io.nativetls.engine.EngineSupport.unwrapAll;
import static io.nativetls.engine.EngineSupport.wrapAll;
import static io.nativetls.engine.EngineSupport.written;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.EnginePair;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.Status;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * BUFFER_OVERFLOW and BUFFER_UNDERFLOW: tiny destinations must be refused without moving
 * anything and the retry with a grown buffer must deliver every byte; partial records must be
 * refused without consuming anything.
 */
class EngineBufferTest {
    private static final Impl[][] ROLES = {{Impl.NATIVE, Impl.NATIVE}, {Impl.NATIVE, Impl.SUN}, {Impl.SUN, Impl.NATIVE}};
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    static Stream<Arguments> tinyDestinations() {
        List<Arguments> out = new ArrayList<>();
        int[][] sizes = {{64, 0}, {0, 64}, {64, 64}};
        for (Impl[] r : ROLES) {
            for (String protocol : PROTOCOLS) {
                for (int[] size : sizes) {
                    out.add(Arguments.of(r[0], r[1], protocol, size[0], size[1], size[0] == size[1]));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} client, {1} server, {2}, wrap dst {3}, unwrap dst {4}, direct={5}")
    @MethodSource("tinyDestinations")
    void tinyDestinationsOverflowThenEveryByteArrives(Impl client, Impl server, String protocol, int net, int app,
        boolean direct) throws Exception {
        SSLEngine c = EngineSupport.client(client, protocol);
        SSLEngine s = EngineSupport.server(server, "server-ec");
        EnginePair pair = new EnginePair(c, s, new EnginePair.Options().direct(direct).netCapacity(net)
            .appCapacity(app));
        pair.handshake();
        pair.exchange(256 * 1024, 7);
        for (EnginePair.Side side : new EnginePair.Side[] {pair.client, pair.server}) {
            if (isNative(side.engine)) {
                assertTrue(side.overflows > 0, "NativeTLS " + (side == pair.client ? "client" : "server")
                    + " never reported BUFFER_OVERFLOW with a " + (net > 0 ? net : app) + "-byte destination");
            }
        }
        assertEquals(protocol, c.getSession().getProtocol());
        pair.close(pair.client);
    }

    static Stream<Arguments> subjects() {
        List<Arguments> out = new ArrayList<>();
        for (boolean subjectIsClient : new boolean[] {true, false}) {
            for (Impl peer : Impl.values()) {
                for (String protocol : PROTOCOLS) {
                    for (boolean direct : new boolean[] {false, true}) {
                        out.add(Arguments.of(subjectIsClient ? "client" : "server", peer, protocol, direct));
                    }
                }
            }
        }
        return out.stream();
    }

    private static SSLEngine[] handshaken(String subjectRole, Impl peer, String protocol) throws Exception {
        boolean subjectIsClient = subjectRole.equals("client");
        SSLEngine c = EngineSupport.client(subjectIsClient ? Impl.NATIVE : peer, protocol);
        SSLEngine s = EngineSupport.server(subjectIsClient ? peer : Impl.NATIVE, "server-rsa");
        established(c, s);
        return subjectIsClient ? new SSLEngine[] {c, s} : new SSLEngine[] {s, c};
    }

    @ParameterizedTest(name = "NativeTLS {0} with {1} peer, {2}, direct={3}")
    @MethodSource("subjects")
    void wrapIntoHundredBytesOverflowsAndMovesNothing(String subjectRole, Impl peer, String protocol, boolean direct)
        throws Exception {
        SSLEngine[] engines = handshaken(subjectRole, peer, protocol);
        SSLEngine subject = engines[0];
        SSLEngine other = engines[1];
        byte[] data = random(10_000, 11);
        ByteBuffer src = EngineSupport.buffer(data.length + 20, direct);
        src.position(20);
        src.put(data).flip().position(20);
        ByteBuffer dst = EngineSupport.buffer(110, direct);
        dst.position(10);

        SSLEngineResult r = subject.wrap(src, dst);
        assertEquals(Status.BUFFER_OVERFLOW, r.getStatus(), "wrap of 10 000 bytes into 100 bytes");
        assertEquals(0, r.bytesConsumed(), "bytesConsumed on BUFFER_OVERFLOW");
        assertEquals(0, r.bytesProduced(), "bytesProduced on BUFFER_OVERFLOW");
        assertEquals(20, src.position(), "src position after BUFFER_OVERFLOW");
        assertEquals(20 + data.length, src.limit(), "src limit after BUFFER_OVERFLOW");
        assertEquals(10, dst.position(), "dst position after BUFFER_OVERFLOW");
        assertEquals(110, dst.limit(), "dst limit after BUFFER_OVERFLOW");

        // The retry with a packet-sized buffer sends everything, intact.
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        ByteBuffer big = EngineSupport.buffer(subject.getSession().getPacketBufferSize(), direct);
        for (int i = 0; i < 100 && src.hasRemaining(); i++) {
            int before = src.position();
            SSLEngineResult rr = subject.wrap(src, big);
            assertEquals(Status.OK, rr.getStatus());
            assertEquals(rr.bytesConsumed(), src.position() - before);
            assertEquals(rr.bytesProduced(), big.position());
            wire.writeBytes(written(big));
            big.clear();
        }
        assertTrue(!src.hasRemaining(), "the retry did not take all 10 000 bytes");
        assertArrayEquals(data, unwrapAll(other, wire.toByteArray()), "data after the retried wrap");
    }

    @ParameterizedTest(name = "NativeTLS {0} with {1} peer, {2}, direct={3}")
    @MethodSource("subjects")
    void unwrapIntoSixtyFourBytesOverflowsAndMovesNothing(String subjectRole, Impl peer, String protocol,
        boolean direct) throws Exception {
        SSLEngine[] engines = handshaken(subjectRole, peer, protocol);
        SSLEngine subject = engines[0];
        SSLEngine other = engines[1];
        byte[] data = random(10_000, 12);
        byte[] records = wrapAll(other, data);
        ByteBuffer src = EngineSupport.buffer(records.length + 3, direct);
        src.position(3);
        src.put(records).flip().position(3);
        ByteBuffer dst = EngineSupport.buffer(70, direct);
        dst.position(6);

        SSLEngineResult r = subject.unwrap(src, dst);
        assertEquals(Status.BUFFER_OVERFLOW, r.getStatus(), "unwrap of a 10 000-byte record into 64 bytes");
        assertEquals(0, r.bytesConsumed(), "bytesConsumed on BUFFER_OVERFLOW");
        assertEquals(0, r.bytesProduced(), "bytesProduced on BUFFER_OVERFLOW");
        assertEquals(3, src.position(), "src position after BUFFER_OVERFLOW");
        assertEquals(6, dst.position(), "dst position after BUFFER_OVERFLOW");

        ByteArrayOutputStream got = new ByteArrayOutputStream();
        ByteBuffer big = EngineSupport.buffer(subject.getSession().getApplicationBufferSize(), direct);
        for (int i = 0; i < 100 && src.hasRemaining(); i++) {
            int before = src.position();
            SSLEngineResult rr = subject.unwrap(src, big);
            assertEquals(Status.OK, rr.getStatus());
            assertEquals(rr.bytesConsumed(), src.position() - before);
            assertEquals(rr.bytesProduced(), big.position());
            got.writeBytes(written(big));
            big.clear();
        }
        assertTrue(!src.hasRemaining(), "the retry did not take every record");
        assertArrayEquals(data, got.toByteArray(), "data after the retried unwrap");
    }

    static Stream<Arguments> chunked() {
        List<Arguments> out = new ArrayList<>();
        for (Impl[] r : ROLES) {
            for (String protocol : PROTOCOLS) {
                for (boolean direct : new boolean[] {false, true}) {
                    out.add(Arguments.of(r[0], r[1], protocol, direct));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} client, {1} server, {2}, direct={3}")
    @MethodSource("chunked")
    void oneByteAtATimeUnderflowsAndDataIsIntact(Impl client, Impl server, String protocol, boolean direct)
        throws Exception {
        SSLEngine c = EngineSupport.client(client, protocol);
        SSLEngine s = EngineSupport.server(server, "server-ec");
        EnginePair pair = new EnginePair(c, s, new EnginePair.Options().direct(direct).chunk(1));
        pair.handshake();
        for (EnginePair.Side side : new EnginePair.Side[] {pair.client, pair.server}) {
            if (isNative(side.engine)) {
                assertTrue(side.underflows > 0, "NativeTLS side never underflowed during a byte-wise handshake");
            }
        }
        int[] before = {pair.client.underflows, pair.server.underflows};
        pair.exchange(64 * 1024, 21);
        if (isNative(c)) {
            assertTrue(pair.client.underflows > before[0], "NativeTLS client never underflowed on data");
        }
        if (isNative(s)) {
            assertTrue(pair.server.underflows > before[1], "NativeTLS server never underflowed on data");
        }
        pair.close(pair.server);
    }

    static Stream<Arguments> heapSubjects() {
        return subjects().filter(a -> !(Boolean) a.get()[3]).map(a -> Arguments.of(a.get()[0], a.get()[1], a.get()[2]));
    }

    @ParameterizedTest(name = "NativeTLS {0} with {1} peer, {2}")
    @MethodSource("heapSubjects")
    void slicedHeapBuffersWithAnArrayOffset(String subjectRole, Impl peer, String protocol) throws Exception {
        SSLEngine[] engines = handshaken(subjectRole, peer, protocol);
        SSLEngine subject = engines[0];
        SSLEngine other = engines[1];
        byte[] data = random(30_000, 41);

        // wrap from and into slices whose arrays start before the slice
        ByteBuffer srcBacking = ByteBuffer.allocate(data.length + 333);
        srcBacking.position(333);
        ByteBuffer src = srcBacking.slice().put(data).flip();
        assertEquals(333, src.arrayOffset());
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        ByteBuffer netBacking = ByteBuffer.allocate(subject.getSession().getPacketBufferSize() + 77);
        netBacking.position(77);
        ByteBuffer net = netBacking.slice();
        for (int i = 0; i < 100 && src.hasRemaining(); i++) {
            int before = src.position();
            SSLEngineResult r = subject.wrap(src, net);
            assertEquals(Status.OK, r.getStatus());
            assertEquals(r.bytesConsumed(), src.position() - before);
            assertEquals(r.bytesProduced(), net.position());
            wire.writeBytes(written(net));
            net.clear();
        }
        byte[] prefix = new byte[77];
        netBacking.get(0, prefix);
        assertArrayEquals(new byte[77], prefix, "wrap wrote before the destination slice");
        assertArrayEquals(data, unwrapAll(other, wire.toByteArray()), "data wrapped from a slice");

        // unwrap from and into slices
        byte[] records = wrapAll(other, data);
        ByteBuffer inBacking = ByteBuffer.allocate(records.length + 55);
        inBacking.position(55);
        ByteBuffer in = inBacking.slice().put(records).flip();
        ByteBuffer appBacking = ByteBuffer.allocate(subject.getSession().getApplicationBufferSize() + 99);
        appBacking.position(99);
        ByteBuffer app = appBacking.slice();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        for (int i = 0; i < 100 && in.hasRemaining(); i++) {
            int before = in.position();
            SSLEngineResult r = subject.unwrap(in, app);
            assertEquals(Status.OK, r.getStatus());
            assertEquals(r.bytesConsumed(), in.position() - before);
            assertEquals(r.bytesProduced(), app.position());
            got.writeBytes(written(app));
            app.clear();
        }
        byte[] appPrefix = new byte[99];
        appBacking.get(0, appPrefix);
        assertArrayEquals(new byte[99], appPrefix, "unwrap wrote before the destination slice");
        assertArrayEquals(data, got.toByteArray(), "data unwrapped into a slice");
    }

    /** The first flight a client of impl sends, with protocol enabled. */
    private static byte[] clientHello(Impl impl, String protocol) throws Exception {
        SSLEngine c = EngineSupport.client(impl, protocol);
        c.beginHandshake();
        ByteBuffer net = ByteBuffer.allocate(c.getSession().getPacketBufferSize());
        SSLEngineResult r = c.wrap(EngineSupport.EMPTY, net);
        EngineSupport.runTasks(c);
        assertEquals(Status.OK, r.getStatus());
        assertTrue(r.bytesProduced() > 5);
        return written(net);
    }

    private static void assertUnderflow(SSLEngine e, byte[] bytes, boolean direct, String what) throws Exception {
        ByteBuffer src = EngineSupport.buffer(bytes.length + 9, direct);
        src.position(9);
        src.put(bytes).flip().position(9);
        ByteBuffer dst = EngineSupport.buffer(e.getSession().getApplicationBufferSize() + 4, direct);
        dst.position(4);
        SSLEngineResult r = e.unwrap(src, dst);
        assertEquals(Status.BUFFER_UNDERFLOW, r.getStatus(), what);
        assertEquals(0, r.bytesConsumed(), what + ": bytesConsumed");
        assertEquals(0, r.bytesProduced(), what + ": bytesProduced");
        assertEquals(9, src.position(), what + ": src position");
        assertEquals(9 + bytes.length, src.limit(), what + ": src limit");
        assertEquals(4, dst.position(), what + ": dst position");
    }

    @ParameterizedTest(name = "{0} client hello, {1}, direct={2}")
    @MethodSource("helloSources")
    void freshServerUnderflowsOnPartialClientHello(Impl client, String protocol, boolean direct) throws Exception {
        byte[] hello = clientHello(client, protocol);
        SSLEngine s = EngineSupport.server(Impl.NATIVE, "server-ec");
        assertUnderflow(s, Arrays.copyOf(hello, 3), direct, "3 bytes of a ClientHello");
        assertUnderflow(s, Arrays.copyOf(hello, 5), direct, "a ClientHello record header");
        assertUnderflow(s, Arrays.copyOf(hello, hello.length - 1), direct,
            "a ClientHello record short by one byte");
        assertFalse(s.isInboundDone(), "isInboundDone() after underflows");
        // The whole record then goes through.
        ByteBuffer src = EngineSupport.filled(hello, direct);
        SSLEngineResult r = s.unwrap(src, ByteBuffer.allocate(s.getSession().getApplicationBufferSize()));
        assertEquals(Status.OK, r.getStatus());
        assertEquals(hello.length, r.bytesConsumed());
        // The key choice is the next step, a delegated task (as SunJSSE's after a ClientHello).
        assertEquals(SSLEngineResult.HandshakeStatus.NEED_TASK, s.getHandshakeStatus());
    }

    static Stream<Arguments> helloSources() {
        List<Arguments> out = new ArrayList<>();
        for (Impl impl : Impl.values()) {
            for (String protocol : PROTOCOLS) {
                for (boolean direct : new boolean[] {false, true}) {
                    out.add(Arguments.of(impl, protocol, direct));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "NativeTLS {0} with {1} peer, {2}, direct={3}")
    @MethodSource("subjects")
    void establishedEngineUnderflowsOnPartialRecord(String subjectRole, Impl peer, String protocol, boolean direct)
        throws Exception {
        SSLEngine[] engines = handshaken(subjectRole, peer, protocol);
        SSLEngine subject = engines[0];
        byte[] data = random(1000, 31);
        byte[] record = wrapAll(engines[1], data);
        assertUnderflow(subject, Arrays.copyOf(record, 3), direct, "3 bytes of a record");
        assertUnderflow(subject, Arrays.copyOf(record, 5), direct, "a record header alone");
        assertUnderflow(subject, Arrays.copyOf(record, record.length / 2), direct, "half a record");
        assertUnderflow(subject, Arrays.copyOf(record, record.length - 1), direct,
            "a record short by one byte");
        assertArrayEquals(data, unwrapAll(subject, record), "the whole record after the underflows");
    }
}
