package io.nativetls.internal.jsse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import org.junit.jupiter.api.Test;

/** The copies the engine makes of its callers' buffers, and only when OpenSSL cannot use them as they are. */
class EngineBuffersTest {
    private static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    private static String text(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return new String(out, java.nio.charset.StandardCharsets.US_ASCII);
    }

    @Test
    void aSoleSourceIsHandedOverAndSeveralAreGatheredInOrder() {
        EngineBuffers buffers = new EngineBuffers();
        ByteBuffer only = bytes("hello");
        ByteBuffer[] one = {ByteBuffer.allocate(0), only, ByteBuffer.allocate(0)};
        assertSame(only, buffers.source(null, one, 0, 3));
        ByteBuffer[] two = {bytes("ab"), bytes("cde")};
        ByteBuffer gathered = buffers.source(null, two, 0, 2);
        assertEquals("abcde", text(gathered));
        assertEquals(0, two[0].position(), "gathering leaves the sources alone");
        EngineBuffers.advance(null, two, 0, 2, 3);
        assertEquals(2, two[0].position());
        assertEquals(1, two[1].position());
    }

    @Test
    void aReadOnlyHeapSourceIsCopied() {
        EngineBuffers buffers = new EngineBuffers();
        ByteBuffer readOnly = bytes("secret").asReadOnlyBuffer();
        ByteBuffer src = buffers.source(readOnly, null, 0, 0);
        assertNotSame(readOnly, src);
        assertEquals("secret", text(src));
        ByteBuffer record = buffers.record(readOnly, 6);
        assertNotSame(readOnly, record);
        assertEquals("secret", text(record));
    }

    @Test
    void aRecordGoesWhereItFitsWholeElseIsStagedAndScattered() {
        EngineBuffers buffers = new EngineBuffers();
        ByteBuffer roomy = ByteBuffer.allocate(8);
        ByteBuffer[] fits = {ByteBuffer.allocate(0), roomy};
        assertSame(roomy, buffers.destination(null, fits, 0, 2, 8));

        ByteBuffer[] split = {ByteBuffer.allocate(3), ByteBuffer.allocate(5)};
        ByteBuffer staged = buffers.destination(null, split, 0, 2, 8);
        assertNotSame(split[0], staged);
        staged.put(bytes("abcdefgh"));
        buffers.delivered(staged, 8, null, split, 0, 2);
        assertEquals("abc", new String(split[0].array(), java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals("defgh", new String(split[1].array(), java.nio.charset.StandardCharsets.US_ASCII));

        assertNull(buffers.destination(null, split, 0, 2, 1), "no room left: BUFFER_OVERFLOW");
        assertNull(buffers.destination(ByteBuffer.allocate(4), null, 0, 0, 5));
        ByteBuffer single = ByteBuffer.allocate(5);
        assertSame(single, buffers.destination(single, null, 0, 0, 5));
        buffers.delivered(single, 5, single, null, 0, 0);
        assertEquals(5, single.position());
    }

    @Test
    void argumentsAreCheckedAsJsseSays() {
        assertThrows(IllegalArgumentException.class, () -> EngineBuffers.checkArray(null, 0, 0, "srcs"));
        assertThrows(IndexOutOfBoundsException.class,
            () -> EngineBuffers.checkArray(new ByteBuffer[2], 1, 2, "srcs"));
        assertThrows(IllegalArgumentException.class,
            () -> EngineBuffers.checkArray(new ByteBuffer[] {ByteBuffer.allocate(1), null}, 0, 2, "dsts"));
        assertThrows(ReadOnlyBufferException.class,
            () -> EngineBuffers.checkDestination(ByteBuffer.allocate(1).asReadOnlyBuffer()));
        assertThrows(IllegalArgumentException.class, () -> EngineBuffers.checkDestination(null));
    }

    /**
     * The gathering array belongs to the thread, not the engine: a second engine on the same
     * thread stages in the same array (so an engine keeps none of its own while idle), another
     * thread in its own (so engines driven by two threads at once never share one).
     */
    @Test
    void stagingBelongsToTheCallingThreadNotToTheEngine() throws Exception {
        ByteBuffer[] two = {bytes("ab"), bytes("cd")};
        byte[] first = new EngineBuffers().source(null, two, 0, 2).array();
        byte[] second = new EngineBuffers().source(null, two, 0, 2).array();
        assertSame(first, second);
        byte[][] other = new byte[1][];
        Thread t = new Thread(() -> other[0] = new EngineBuffers().source(null, two, 0, 2).array());
        t.start();
        t.join();
        assertNotSame(first, other[0]);
        assertEquals(RecordFraming.MAX_PLAINTEXT, other[0].length);
    }

    /** A thread that only ever unwraps into one roomy destination never allocates a staging array. */
    @Test
    void aThreadThatNeverStagesHoldsNoStagingArray() throws Exception {
        boolean[] held = new boolean[2];
        Thread t = new Thread(() -> {
            EngineBuffers buffers = new EngineBuffers();
            ByteBuffer single = ByteBuffer.allocate(16);
            ByteBuffer dst = buffers.destination(single, null, 0, 0, 16);
            buffers.delivered(dst, 16, single, null, 0, 0);
            ByteBuffer[] one = {ByteBuffer.allocate(16)};
            ByteBuffer first = buffers.destination(null, one, 0, 1, 16);
            buffers.delivered(first, 16, null, one, 0, 1);
            held[0] = EngineBuffers.threadHoldsStaging();
            ByteBuffer[] split = {ByteBuffer.allocate(8), ByteBuffer.allocate(8)};
            buffers.delivered(buffers.destination(null, split, 0, 2, 16), 16, null, split, 0, 2);
            held[1] = EngineBuffers.threadHoldsStaging();
        });
        t.start();
        t.join();
        assertFalse(held[0], "no staging after unwraps that never needed it");
        assertTrue(held[1], "staging once a record had to be scattered");
    }
}
