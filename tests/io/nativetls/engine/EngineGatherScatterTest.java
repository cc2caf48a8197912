package io.nativetls.engine;

import static io.nativetls.engine.EngineSupport.concat;
import static io.nativetls.engine.EngineSupport.established;
import static io.nativetls.engine.EngineSupport.filled;
import static io.nativetls.engine.EngineSupport.random;
import static io.nativetls.engine.EngineSupport.unwrapAll;
import static io.nativetls.engine.EngineSupport.wrapAll;
import static io.nativetls.engine.EngineSupport.written;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.testing.Matrix;
import io.nativetls.testing.Contexts.Impl;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.Status;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Gathering wrap and scattering unwrap over arrays with offset/length, empty buffers and
 * read-only buffers. The buffers of a subsequence are used in order, as GatheringByteChannel and
 * ScatteringByteChannel (which the SSLEngine javadoc refers to) define: each buffer is used up
 * before the next is touched, and buffers outside the subsequence are never touched.
 *
 * <p>The subject engine is NativeTLS; rows with a SunJSSE subject are the reference that shows
 * the expectations are plain JSSE behaviour.
 */
class EngineGatherScatterTest {
    static Stream<Arguments> cases() {
        return Matrix.of(Matrix.WITH_NATIVE, Matrix.PROTOCOLS, new Object[] {false, true});
    }

    /** Subject is the client (of subjectImpl), peer the server; both handshaken. */
    private static SSLEngine[] handshaken(Impl subject, Impl peer, String protocol) throws Exception {
        SSLEngine c = EngineSupport.client(subject, protocol);
        SSLEngine s = EngineSupport.server(peer, "server-ec");
        established(c, s);
        return new SSLEngine[] {c, s};
    }

    private static int[] positions(ByteBuffer[] bufs) {
        int[] p = new int[bufs.length];
        for (int i = 0; i < bufs.length; i++) {
            p[i] = bufs[i].position();
        }
        return p;
    }

    private static int[] remainings(ByteBuffer[] bufs) {
        int[] r = new int[bufs.length];
        for (int i = 0; i < bufs.length; i++) {
            r[i] = bufs[i].remaining();
        }
        return r;
    }

    /**
     * The buffers in [offset, offset+length) moved by exactly moved bytes in sequence (each one
     * filled or drained before the next), the others not at all.
     */
    private static void assertSequential(String what, ByteBuffer[] bufs, int offset, int length, int[] posBefore,
        int[] remBefore, int moved) {
        int left = moved;
        for (int i = 0; i < bufs.length; i++) {
            int expected = 0;
            if (i >= offset && i < offset + length) {
                expected = Math.min(remBefore[i], left);
                left -= expected;
            }
            assertEquals(posBefore[i] + expected, bufs[i].position(), what + ": position of buffer " + i
                + " after moving " + moved + " bytes (remaining before: " + java.util.Arrays.toString(remBefore)
                + ", positions after: " + java.util.Arrays.toString(positions(bufs)) + ")");
        }
        assertEquals(0, left, what + ": more bytes reported than the buffers had room for");
    }

    @ParameterizedTest(name = "{0} subject, {1} peer, {2}, direct={3}")
    @MethodSource("cases")
    void gatheringWrapUsesTheSubsequenceInOrder(Impl subjectImpl, Impl peerImpl, String protocol, boolean direct)
        throws Exception {
        SSLEngine[] e = handshaken(subjectImpl, peerImpl, protocol);
        SSLEngine subject = e[0];
        byte[] a = random(100, 1);
        byte[] b = random(1, 2);
        byte[] c = random(5000, 3);
        byte[] d = random(20_000, 4);
        ByteBuffer drained = ByteBuffer.allocate(10);
        drained.position(10);
        ByteBuffer[] srcs = {
            filled(random(50, 5), direct), // outside the subsequence
            filled(a, direct),
            ByteBuffer.allocate(0),
            filled(b, false).asReadOnlyBuffer(),
            drained,
            filled(c, !direct),
            filled(d, direct),
            filled(random(70, 6), direct), // outside the subsequence
        };
        int offset = 1;
        int length = 6;
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        ByteBuffer net = EngineSupport.buffer(subject.getSession().getPacketBufferSize(), direct);
        long total = a.length + b.length + c.length + d.length;
        long consumed = 0;
        for (int i = 0; i < 100 && consumed < total; i++) {
            int[] pos = positions(srcs);
            int[] rem = remainings(srcs);
            SSLEngineResult r = subject.wrap(srcs, offset, length, net);
            assertEquals(Status.OK, r.getStatus(), "gathering wrap status");
            assertEquals(r.bytesProduced(), net.position(), "gathering wrap bytesProduced");
            assertTrue(r.bytesConsumed() > 0, "gathering wrap consumed nothing");
            assertSequential("gathering wrap", srcs, offset, length, pos, rem, r.bytesConsumed());
            consumed += r.bytesConsumed();
            wire.writeBytes(written(net));
            net.clear();
        }
        assertEquals(total, consumed, "bytes consumed by the gathering wraps");
        assertEquals(0, srcs[0].position(), "buffer before offset");
        assertEquals(0, srcs[7].position(), "buffer after offset+length");
        assertArrayEquals(concat(a, b, c, d), unwrapAll(e[1], wire.toByteArray()), "data of the gathering wrap");
    }

    @ParameterizedTest(name = "{0} subject, {1} peer, {2}, direct={3}")
    @MethodSource("cases")
    void gatheringWrapWithOneNonEmptyBuffer(Impl subjectImpl, Impl peerImpl, String protocol, boolean direct)
        throws Exception {
        SSLEngine[] e = handshaken(subjectImpl, peerImpl, protocol);
        byte[] data = random(3000, 7);
        ByteBuffer[] srcs = {ByteBuffer.allocate(0), filled(data, direct), ByteBuffer.allocateDirect(0)};
        ByteBuffer net = EngineSupport.buffer(e[0].getSession().getPacketBufferSize(), direct);
        SSLEngineResult r = e[0].wrap(srcs, net);
        assertEquals(Status.OK, r.getStatus());
        assertEquals(data.length, r.bytesConsumed(), "a 3000-byte source fits in one record");
        assertEquals(data.length, srcs[1].position());
        assertEquals(r.bytesProduced(), net.position());
        assertArrayEquals(data, unwrapAll(e[1], written(net)));
    }

    @ParameterizedTest(name = "{0} subject, {1} peer, {2}, direct={3}")
    @MethodSource("cases")
    void scatteringUnwrapSpreadsARecordOverBuffersNoneBigEnough(Impl subjectImpl, Impl peerImpl, String protocol,
        boolean direct) throws Exception {
        SSLEngine[] e = handshaken(subjectImpl, peerImpl, protocol);
        byte[] data = random(16_384, 8);
        ByteBuffer[] dsts = {
            EngineSupport.buffer(100, direct), // outside the subsequence
            EngineSupport.buffer(6000, direct),
            ByteBuffer.allocate(0),
            ByteBuffer.allocate(6000),
            EngineSupport.buffer(6000, !direct),
            EngineSupport.buffer(100, direct), // outside the subsequence
        };
        byte[] got = scatter(e[0], wrapAll(e[1], data), dsts, 1, 4, direct);
        assertArrayEquals(data, got, "data of the scattering unwrap");
        assertEquals(0, dsts[0].position(), "buffer before offset");
        assertEquals(0, dsts[5].position(), "buffer after offset+length");
    }

    @ParameterizedTest(name = "{0} subject, {1} peer, {2}, direct={3}")
    @MethodSource("cases")
    void scatteringUnwrapFillsTheFirstBufferFirst(Impl subjectImpl, Impl peerImpl, String protocol, boolean direct)
        throws Exception {
        SSLEngine[] e = handshaken(subjectImpl, peerImpl, protocol);
        byte[] data = random(1000, 9);
        // A 100-byte "header" buffer, an empty one, then a body buffer big enough for everything.
        ByteBuffer[] dsts = {EngineSupport.buffer(100, direct), ByteBuffer.allocate(0),
            EngineSupport.buffer(20_000, direct)};
        byte[] got = scatter(e[0], wrapAll(e[1], data), dsts, 0, 3, direct);
        assertArrayEquals(data, got, "data of the scattering unwrap");
        assertEquals(100, dsts[0].position(), "the first buffer is filled first");
        assertEquals(900, dsts[2].position(), "the rest goes to the last buffer");
    }

    @ParameterizedTest(name = "{0} subject, {1} peer, {2}, direct={3}")
    @MethodSource("cases")
    void scatteringUnwrapIntoEqualSmallBuffers(Impl subjectImpl, Impl peerImpl, String protocol, boolean direct)
        throws Exception {
        SSLEngine[] e = handshaken(subjectImpl, peerImpl, protocol);
        byte[] data = random(1000, 10);
        ByteBuffer[] dsts = {EngineSupport.buffer(400, direct), EngineSupport.buffer(400, !direct),
            EngineSupport.buffer(400, direct)};
        byte[] got = scatter(e[0], wrapAll(e[1], data), dsts, 0, 3, direct);
        assertArrayEquals(data, got, "data of the scattering unwrap");
        assertEquals(400, dsts[0].position());
        assertEquals(400, dsts[1].position());
        assertEquals(200, dsts[2].position());
    }

    /** Unwraps all records into dsts (never cleared), checking each call; returns the bytes in order. */
    private static byte[] scatter(SSLEngine subject, byte[] records, ByteBuffer[] dsts, int offset, int length,
        boolean direct) throws Exception {
        ByteBuffer src = filled(records, direct);
        for (int i = 0; i < 100 && src.hasRemaining(); i++) {
            int[] pos = positions(dsts);
            int[] rem = remainings(dsts);
            int before = src.position();
            SSLEngineResult r = subject.unwrap(src, dsts, offset, length);
            assertEquals(Status.OK, r.getStatus(), "scattering unwrap status");
            assertEquals(r.bytesConsumed(), src.position() - before, "scattering unwrap bytesConsumed");
            assertTrue(r.bytesConsumed() > 0, "scattering unwrap consumed nothing");
            assertSequential("scattering unwrap", dsts, offset, length, pos, rem, r.bytesProduced());
        }
        assertTrue(!src.hasRemaining(), "records left after the scattering unwraps");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = offset; i < offset + length; i++) {
            out.writeBytes(written(dsts[i]));
        }
        return out.toByteArray();
    }

    @ParameterizedTest(name = "{0} subject, {1} peer, {2}, direct={3}")
    @MethodSource("cases")
    void badOffsetLengthOrNullBuffersAreRefused(Impl subjectImpl, Impl peerImpl, String protocol, boolean direct)
        throws Exception {
        SSLEngine[] e = handshaken(subjectImpl, peerImpl, protocol);
        SSLEngine subject = e[0];
        ByteBuffer[] two = {filled(random(10, 14), direct), filled(random(10, 15), direct)};
        ByteBuffer net = ByteBuffer.allocate(subject.getSession().getPacketBufferSize());
        assertThrows(IndexOutOfBoundsException.class, () -> subject.wrap(two, -1, 1, net), "wrap offset -1");
        assertThrows(IndexOutOfBoundsException.class, () -> subject.wrap(two, 1, 2, net), "wrap past the end");
        assertThrows(IndexOutOfBoundsException.class, () -> subject.wrap(two, 0, -1, net), "wrap length -1");
        assertThrows(IllegalArgumentException.class, () -> subject.wrap(new ByteBuffer[] {two[0], null}, net),
            "wrap with a null source");
        assertThrows(IllegalArgumentException.class, () -> subject.wrap(two, null), "wrap into null");
        assertEquals(0, two[0].position(), "a refused wrap consumed");
        assertEquals(0, net.position(), "a refused wrap produced");

        ByteBuffer records = filled(wrapAll(e[1], random(10, 16)), direct);
        ByteBuffer[] dsts = {ByteBuffer.allocate(100), ByteBuffer.allocate(100)};
        assertThrows(IndexOutOfBoundsException.class, () -> subject.unwrap(records, dsts, -1, 1),
            "unwrap offset -1");
        assertThrows(IndexOutOfBoundsException.class, () -> subject.unwrap(records, dsts, 0, 3),
            "unwrap past the end");
        assertThrows(IllegalArgumentException.class,
            () -> subject.unwrap(records, new ByteBuffer[] {dsts[0], null}), "unwrap into a null buffer");
        assertThrows(IllegalArgumentException.class, () -> subject.unwrap(null, dsts), "unwrap from null");
        assertEquals(0, records.position(), "a refused unwrap consumed");
        assertEquals(0, dsts[0].position(), "a refused unwrap produced");
        // The engine still works afterwards.
        SSLEngineResult r = subject.unwrap(records, dsts);
        assertEquals(Status.OK, r.getStatus());
        assertEquals(10, r.bytesProduced());
    }

    @ParameterizedTest(name = "{0} subject, {1} peer, {2}, direct={3}")
    @MethodSource("cases")
    void readOnlySourceWraps(Impl subjectImpl, Impl peerImpl, String protocol, boolean direct) throws Exception {
        SSLEngine[] e = handshaken(subjectImpl, peerImpl, protocol);
        byte[] data = random(40_000, 11);
        ByteBuffer src = filled(data, direct).asReadOnlyBuffer();
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        ByteBuffer net = ByteBuffer.allocate(e[0].getSession().getPacketBufferSize());
        for (int i = 0; i < 100 && src.hasRemaining(); i++) {
            int before = src.position();
            SSLEngineResult r = e[0].wrap(src, net);
            assertEquals(Status.OK, r.getStatus(), "wrap of a read-only source");
            assertEquals(r.bytesConsumed(), src.position() - before);
            assertEquals(r.bytesProduced(), net.position());
            wire.writeBytes(written(net));
            net.clear();
        }
        assertTrue(!src.hasRemaining(), "read-only source not consumed");
        assertArrayEquals(data, unwrapAll(e[1], wire.toByteArray()));
    }

    @ParameterizedTest(name = "{0} subject, {1} peer, {2}, direct={3}")
    @MethodSource("cases")
    void readOnlyDestinationIsRefused(Impl subjectImpl, Impl peerImpl, String protocol, boolean direct)
        throws Exception {
        // A fresh client must not even write its ClientHello into a read-only buffer.
        SSLEngine fresh = EngineSupport.client(subjectImpl, protocol);
        ByteBuffer freshRo = EngineSupport.buffer(fresh.getSession().getPacketBufferSize(), direct).asReadOnlyBuffer();
        assertThrows(ReadOnlyBufferException.class, () -> fresh.wrap(EngineSupport.EMPTY, freshRo),
            "wrap into a read-only destination before the handshake");

        SSLEngine[] e = handshaken(subjectImpl, peerImpl, protocol);
        SSLEngine subject = e[0];
        ByteBuffer src = filled(random(500, 12), direct);
        ByteBuffer ro = EngineSupport.buffer(subject.getSession().getPacketBufferSize(), direct).asReadOnlyBuffer();
        assertThrows(ReadOnlyBufferException.class, () -> subject.wrap(src, ro), "wrap into a read-only dst");
        assertEquals(0, src.position(), "wrap consumed from src before refusing the read-only dst");
        assertThrows(ReadOnlyBufferException.class, () -> subject.wrap(new ByteBuffer[] {src}, ro),
            "gathering wrap into a read-only dst");

        byte[] data = random(500, 13);
        ByteBuffer records = filled(wrapAll(e[1], data), direct);
        ByteBuffer roApp = EngineSupport.buffer(subject.getSession().getApplicationBufferSize(), direct)
            .asReadOnlyBuffer();
        assertThrows(ReadOnlyBufferException.class, () -> subject.unwrap(records, roApp),
            "unwrap into a read-only dst");
        assertEquals(0, records.position(), "unwrap consumed from src before refusing the read-only dst");
        ByteBuffer[] mixed = {ByteBuffer.allocate(100), roApp};
        assertThrows(ReadOnlyBufferException.class, () -> subject.unwrap(records, mixed),
            "scattering unwrap with a read-only dst");
        assertEquals(0, records.position(), "scattering unwrap consumed before refusing the read-only dst");
        assertEquals(0, mixed[0].position(), "scattering unwrap wrote before refusing the read-only dst");
        // The engine still works afterwards.
        assertArrayEquals(data, unwrapAll(subject, EngineSupport.remaining(records)));
    }
}
