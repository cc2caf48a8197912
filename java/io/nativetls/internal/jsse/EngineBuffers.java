package io.nativetls.internal.jsse;

import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;

/**
 * The engine's side of its callers' buffers: JSSE's argument checks, and the copies that native
 * calls need when a caller's buffers cannot be handed over as they are. OpenSSL reads and writes
 * one contiguous direct or array-backed buffer; so wrap gathers several sources (or a read-only
 * heap one) into a staging array, and unwrap decrypts into staging when no single destination can
 * take the whole record, then scatters it in order.
 *
 * <p>A call names its buffers either as one ({@code single}, the array then null) or as a slice
 * of an array ({@code single} null). The record staging array is made on first need and reused,
 * guarded by the owning engine's lock.
 *
 * <p>The plaintext staging array belongs to the calling thread, not to the engine: what it holds
 * never outlives the call that filled it (gathered, encrypted and consumed in one wrap; decrypted
 * and scattered in one unwrap), and both happen only on established connections, whose record
 * work pins the arrays and so runs no Java callback in between. An engine therefore keeps no
 * 16 KiB array of its own: a Jetty connection, whose every response is a gathering wrap of header
 * and body, used to hold one for as long as it stayed open, idle or not.
 */
final class EngineBuffers {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    /**
     * Plaintext staging: gathered sources for wrap, a record's plaintext to scatter for unwrap.
     * Filled on first need, so a thread that never gathers or scatters never holds one.
     */
    private static final ThreadLocal<byte[]> STAGING = new ThreadLocal<>();
    /** A copy of one whole record from a read-only heap source, which has no array to hand over. */
    private byte[] recordStaging;

    // ---- argument checks ----------------------------------------------------------------------

    static void checkArray(ByteBuffer[] buffers, int offset, int length, String name) {
        if (buffers == null) {
            throw new IllegalArgumentException(name + " is null");
        }
        if (offset < 0 || length < 0 || offset > buffers.length - length) {
            throw new IndexOutOfBoundsException(name + ": offset " + offset + ", length " + length + ", size "
                + buffers.length);
        }
        for (int i = offset; i < offset + length; i++) {
            if (buffers[i] == null) {
                throw new IllegalArgumentException(name + "[" + i + "] is null");
            }
        }
    }

    static void checkDestination(ByteBuffer dst) {
        if (dst == null) {
            throw new IllegalArgumentException("destination buffer is null");
        }
        if (dst.isReadOnly()) {
            throw new ReadOnlyBufferException();
        }
    }

    // ---- wrap: gather -------------------------------------------------------------------------

    /**
     * What wrap hands OpenSSL: the one source with bytes left if OpenSSL can read it in place
     * (an empty buffer if none has any), else a copy of up to one record's worth of all of them.
     * The sources are left as they are; {@link #advance} moves them by what OpenSSL took.
     */
    ByteBuffer source(ByteBuffer single, ByteBuffer[] srcs, int offset, int length) {
        ByteBuffer src = single != null ? single : soleSource(srcs, offset, length);
        if (src != null && (src.isDirect() || src.hasArray())) {
            return src;
        }
        return gather(single, srcs, offset, length);
    }

    private static ByteBuffer soleSource(ByteBuffer[] srcs, int offset, int length) {
        ByteBuffer found = null;
        for (int i = offset; i < offset + length; i++) {
            if (srcs[i].hasRemaining()) {
                if (found != null) {
                    return null;
                }
                found = srcs[i];
            }
        }
        return found != null ? found : EMPTY;
    }

    private ByteBuffer gather(ByteBuffer single, ByteBuffer[] srcs, int offset, int length) {
        byte[] buf = staging();
        int filled = 0;
        int end = single != null ? 1 : offset + length;
        for (int i = single != null ? 0 : offset; i < end && filled < buf.length; i++) {
            ByteBuffer b = single != null ? single : srcs[i];
            int n = Math.min(b.remaining(), buf.length - filled);
            b.get(b.position(), buf, filled, n);
            filled += n;
        }
        return ByteBuffer.wrap(buf, 0, filled);
    }

    /** Moves the sources past the consumed bytes, in order. */
    static void advance(ByteBuffer single, ByteBuffer[] srcs, int offset, int length, int consumed) {
        if (single != null) {
            single.position(single.position() + consumed);
            return;
        }
        for (int i = offset; i < offset + length && consumed > 0; i++) {
            int n = Math.min(srcs[i].remaining(), consumed);
            srcs[i].position(srcs[i].position() + n);
            consumed -= n;
        }
    }

    // ---- unwrap: one record in, its plaintext out ---------------------------------------------

    /** src itself, unless it is a read-only heap buffer (no array to hand over): then a copy of the record. */
    ByteBuffer record(ByteBuffer src, int recordLength) {
        if (src.isDirect() || src.hasArray()) {
            return src;
        }
        if (recordStaging == null) {
            recordStaging = new byte[RecordFraming.MAX_RECORD];
        }
        src.get(src.position(), recordStaging, 0, recordLength);
        return ByteBuffer.wrap(recordStaging, 0, recordLength);
    }

    /**
     * Where unwrap decrypts a record of up to needed bytes of plaintext: the single destination,
     * else the first one with room if it can take them all, else staging (to be scattered); null
     * if the destinations together are too small (BUFFER_OVERFLOW, before anything is decrypted).
     */
    ByteBuffer destination(ByteBuffer single, ByteBuffer[] dsts, int offset, int length, int needed) {
        if (single != null) {
            return single.remaining() >= needed ? single : null;
        }
        ByteBuffer direct = roomyDestination(dsts, offset, length, needed);
        if (direct != null) {
            return direct;
        }
        return needed > remaining(dsts, offset, length) ? null : ByteBuffer.wrap(staging());
    }

    /** OpenSSL wrote produced bytes into dst (from {@link #destination}): the caller's buffers now hold them. */
    void delivered(ByteBuffer dst, int produced, ByteBuffer single, ByteBuffer[] dsts, int offset, int length) {
        // A single destination is never staged, so the common path skips the thread-local lookup.
        if (dst != single && dst.hasArray() && dst.array() == STAGING.get()) {
            scatter(dst.array(), produced, dsts, offset, length);
        } else {
            dst.position(dst.position() + produced);
        }
    }

    private static ByteBuffer roomyDestination(ByteBuffer[] dsts, int offset, int length, int needed) {
        for (int i = offset; i < offset + length; i++) {
            ByteBuffer b = dsts[i];
            if (b.hasRemaining() || needed == 0) {
                return b.remaining() >= needed && (b.isDirect() || b.hasArray()) ? b : null;
            }
        }
        return null;
    }

    private static long remaining(ByteBuffer[] dsts, int offset, int length) {
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            total += dsts[i].remaining();
        }
        return total;
    }

    private static void scatter(byte[] from, int count, ByteBuffer[] dsts, int offset, int length) {
        int done = 0;
        for (int i = offset; i < offset + length && done < count; i++) {
            int n = Math.min(dsts[i].remaining(), count - done);
            dsts[i].put(from, done, n);
            done += n;
        }
    }

    /** For tests: whether the calling thread has ever needed staging. */
    static boolean threadHoldsStaging() {
        return STAGING.get() != null;
    }

    private static byte[] staging() {
        byte[] buf = STAGING.get();
        if (buf == null) {
            buf = new byte[RecordFraming.MAX_PLAINTEXT];
            STAGING.set(buf);
        }
        return buf;
    }
}
