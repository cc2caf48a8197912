package io.nativetls.fuzz;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.SplittableRandom;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;

/**
 * Feeds one fuzz input to an engine's unwrap the way a network framework would, checks the
 * SSLEngine contract on every call, and reports how it ended. The input arrives in chunks: the
 * next chunk is appended when unwrap asks for more (BUFFER_UNDERFLOW) or has read everything.
 * Whenever the engine wants to wrap (an alert, its own flight) it is wrapped. Anything but an
 * SSLException from the engine propagates; contract violations throw {@link Violation}.
 *
 * <p>A hostile input must be refused within a bounded number of bytes: when one ends with the
 * engine still content (OK, or BUFFER_UNDERFLOW waiting for more), it is sent again and again,
 * as a peer would that kept sending it, until the engine fails or closes. The engine may take at
 * most {@link #SILENT_BOUND} bytes without a sign of life (plaintext produced, records to wrap,
 * the handshake finished), and the input at most {@link #MAX_REPEATED} bytes of repetitions in
 * all; beyond either is a {@link Violation}. (An empty input, truncated to nothing, is nothing
 * to refuse.)
 */
final class UnwrapDriver {
    /** A broken promise of the SSLEngine contract (not an exception thrown by the engine). */
    static final class Violation extends RuntimeException {
        Violation(String message) {
            super(message);
        }
    }

    /** How the input ended. */
    static final class Outcome {
        /** How the input itself ended: "CLOSED", "OK", "UNDERFLOW", or the simple name of the SSLException. */
        final String name;
        /** The engine's SSLException, thrown by the input or by its repetitions; null if none. */
        final SSLException exception;
        /** How the repetitions ended ("CLOSED" or the SSLException's simple name); null if there were none. */
        final String repeated;
        /** Bytes of repetitions sent after the input. */
        final long repeatedBytes;
        /** The most bytes the engine took in a row without a sign of life. */
        final long maxSilent;

        Outcome(String name, SSLException exception, String repeated, long repeatedBytes, long maxSilent) {
            this.name = name;
            this.exception = exception;
            this.repeated = repeated;
            this.repeatedBytes = repeatedBytes;
            this.maxSilent = maxSilent;
        }
    }

    /** Where the input sits: heap or direct, writable or a read-only view (unwrap only reads it). */
    enum Source { HEAP, DIRECT, HEAP_READ_ONLY, DIRECT_READ_ONLY }

    /**
     * Destinations for unwrap: one heap or direct buffer, a heap buffer sliced out of a larger
     * array (non-zero arrayOffset), a small one that must grow, or several.
     */
    enum Destination { HEAP, DIRECT, HEAP_SLICE, SMALL, SCATTER }

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    /**
     * A safety net: far more calls than an input and its repetitions need. An engine refuses a
     * handshake that takes 2^19 bytes without moving on; in records of 9 bytes (a HelloRequest
     * each) that is 58,255 calls.
     */
    private static final int MAX_CALLS = 200_000;
    /**
     * The most input an engine may take without a sign of life: 2^19 bytes. No legitimate peer
     * needs more. The longest flight OpenSSL takes with its default limits (max_cert_list 100
     * KiB) is a TLS 1.2 server's: ServerHello (at most 20,000 bytes), Certificate (102,400),
     * CertificateStatus (16,384), ServerKeyExchange (102,400), CertificateRequest (102,400),
     * ServerHelloDone, each with a 4-byte header, in records of at most 2^14 bytes: 343,713
     * bytes. A ClientHello is at most 131,396 bytes, a client's second flight about 121 KB, a
     * TLS 1.3 server flight about 265 KB. (After a TLS 1.3 handshake a server may legitimately
     * send any number of NewSessionTickets, each taken silently; no input here carries one.)
     */
    static final long SILENT_BOUND = 1L << 19;
    /** The most bytes of repetitions of one input: a few times the bound, as each sign of life restarts it. */
    static final long MAX_REPEATED = 4 * SILENT_BOUND;
    /** Repetitions are sent in rounds of at least this many bytes, so a tiny input needs few rounds. */
    private static final int REPEAT_ROUND = 4096;
    private static final int SRC_CAPACITY = 256 * 1024;

    private final ByteBuffer heapSrc = ByteBuffer.allocate(SRC_CAPACITY);
    private final ByteBuffer directSrc = ByteBuffer.allocateDirect(SRC_CAPACITY);
    private final ByteBuffer heapApp = ByteBuffer.allocate(32 * 1024);
    private final ByteBuffer directApp = ByteBuffer.allocateDirect(32 * 1024);
    private final ByteBuffer net = ByteBuffer.allocate(64 * 1024);
    /** How often closing took an SSLException from wrap. */
    long closeWrapExceptions;

    /**
     * Feeds chunks to e from a source buffer of the given kind; offset places the input that far
     * into its buffer (a sliced heap buffer gets a non-zero arrayOffset).
     */
    Outcome feed(SSLEngine e, List<byte[]> chunks, Source kind, int offset, Destination mode,
                 SplittableRandom rnd) throws SSLException {
        return feed(e, chunks, kind, offset, mode, rnd, false);
    }

    /** As above; repeat: send a hostile input again until the engine refuses it (see the class comment). */
    Outcome feed(SSLEngine e, List<byte[]> chunks, Source kind, int offset, Destination mode,
                 SplittableRandom rnd, boolean repeat) throws SSLException {
        boolean srcDirect = kind == Source.DIRECT || kind == Source.DIRECT_READ_ONLY;
        int total = 0;
        for (byte[] c : chunks) {
            total += c.length;
        }
        ByteBuffer src;
        if (total + offset > SRC_CAPACITY) {
            src = srcDirect ? ByteBuffer.allocateDirect(total) : ByteBuffer.allocate(total);
        } else {
            ByteBuffer base = srcDirect ? directSrc : heapSrc;
            base.clear().position(offset);
            src = base.slice();
        }
        for (byte[] c : chunks) {
            src.put(c);
        }
        src.flip();
        if (kind == Source.HEAP_READ_ONLY || kind == Source.DIRECT_READ_ONLY) {
            src = src.asReadOnlyBuffer();
        }
        int nextChunk = 0;
        int visible = 0;
        src.limit(0);

        int appSize = e.getSession().getApplicationBufferSize();
        ByteBuffer[] dsts = destinations(mode, appSize, rnd);
        boolean fullSize = mode != Destination.SMALL;
        boolean needMore = true;
        int idle = 0;
        String inputEnd = null;
        byte[] whole = null;
        long repeated = 0;
        long silent = 0;
        long maxSilent = 0;
        for (int calls = 0; ; calls++) {
            if (calls > MAX_CALLS) {
                throw new Violation("unwrap did not settle after " + MAX_CALLS + " calls; " + src.remaining()
                    + " bytes unread, status " + e.getHandshakeStatus()
                    + (inputEnd == null ? "" : ", after " + repeated + " bytes of repetitions"));
            }
            if (needMore || !src.hasRemaining()) {
                if (nextChunk < chunks.size()) {
                    visible += chunks.get(nextChunk++).length;
                    src.limit(visible);
                    needMore = false;
                    continue;
                }
                if (inputEnd == null) {
                    inputEnd = needMore && src.hasRemaining() ? "UNDERFLOW" : "OK";
                    if (!repeat || total == 0) {
                        return new Outcome(inputEnd, null, null, 0, maxSilent);
                    }
                    whole = Tls.concat(chunks);
                }
                if (repeated >= MAX_REPEATED) {
                    throw new Violation("the input, sent again and again (" + repeated + " bytes after it), is never"
                        + " refused; status " + e.getHandshakeStatus() + ", input itself ended " + inputEnd);
                }
                int unread = src.remaining();
                src = again(src, whole, srcDirect, kind);
                repeated += src.remaining() - unread;
                needMore = false;
                continue;
            }
            int srcBefore = src.position();
            long dstBefore = remaining(dsts);
            SSLEngineResult r;
            try {
                r = dsts.length == 1 ? e.unwrap(src, dsts[0]) : e.unwrap(src, dsts, 0, dsts.length);
            } catch (SSLException x) {
                afterFailure(e, src, dsts);
                return ended(inputEnd, x.getClass().getSimpleName(), x, repeated, maxSilent);
            }
            int consumed = src.position() - srcBefore;
            long produced = dstBefore - remaining(dsts);
            if (r.bytesConsumed() != consumed || r.bytesProduced() != produced) {
                throw new Violation("unwrap reported " + r.bytesConsumed() + "/" + r.bytesProduced()
                    + " bytes consumed/produced but moved " + consumed + "/" + produced + ": " + r);
            }
            for (ByteBuffer d : dsts) {
                d.clear();
            }
            if (r.getStatus() == Status.CLOSED) {
                return ended(inputEnd, "CLOSED", null, repeated, maxSilent);
            }
            silent = produced > 0 || r.getHandshakeStatus() == HandshakeStatus.FINISHED ? 0 : silent + consumed;
            maxSilent = Math.max(maxSilent, silent);
            if (silent > SILENT_BOUND) {
                throw new Violation("took " + silent + " bytes without failing, answering or producing data (at most "
                    + SILENT_BOUND + " allowed)" + (inputEnd == null ? "" : "; the input itself ended " + inputEnd
                    + ", then " + repeated + " bytes of it again"));
            }
            if (r.getStatus() == Status.BUFFER_UNDERFLOW) {
                if (consumed + produced != 0) {
                    throw new Violation("BUFFER_UNDERFLOW after moving bytes: " + r);
                }
                if (wholeRecordAt(src)) {
                    throw new Violation("BUFFER_UNDERFLOW with a whole record of " + src.remaining()
                        + " bytes available");
                }
                needMore = true;
                continue;
            }
            if (r.getStatus() == Status.BUFFER_OVERFLOW) {
                if (consumed + produced != 0) {
                    throw new Violation("BUFFER_OVERFLOW after moving bytes: " + r);
                }
                if (fullSize) {
                    throw new Violation("BUFFER_OVERFLOW with " + dstBefore + " bytes of room (application buffer"
                        + " size " + appSize + ")");
                }
                dsts = new ByteBuffer[] {ByteBuffer.allocate(appSize)};
                fullSize = true;
                continue;
            }
            boolean moved = consumed + produced > 0;
            HandshakeStatus hs = r.getHandshakeStatus();
            if (hs == HandshakeStatus.NEED_WRAP || e.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                try {
                    if (flush(e)) {
                        moved = true;
                        silent = 0;
                    }
                } catch (SSLException x) {
                    afterFailure(e, src, dsts);
                    return ended(inputEnd, x.getClass().getSimpleName(), x, repeated, maxSilent);
                }
            }
            if (hs == HandshakeStatus.NEED_TASK || e.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                Conversation.runTasks(e);
            }
            idle = moved ? 0 : idle + 1;
            if (idle >= 3) {
                throw new Violation("unwrap makes no progress: " + r + " with " + src.remaining()
                    + " bytes available, engine status " + e.getHandshakeStatus());
            }
        }
    }

    /** How it ended: during the input (inputEnd null), or during its repetitions. */
    private static Outcome ended(String inputEnd, String how, SSLException x, long repeated, long maxSilent) {
        return inputEnd == null ? new Outcome(how, x, null, 0, maxSilent)
            : new Outcome(inputEnd, x, how, repeated, maxSilent);
    }

    /**
     * A new source holding what src has not been read yet followed by the input, as often as
     * makes at least {@link #REPEAT_ROUND} new bytes; in drain mode, of the same kind as src.
     */
    private static ByteBuffer again(ByteBuffer src, byte[] input, boolean direct, Source kind) {
        int copies = Math.max(1, (REPEAT_ROUND + input.length - 1) / input.length);
        int size = src.remaining() + copies * input.length;
        ByteBuffer next = direct ? ByteBuffer.allocateDirect(size) : ByteBuffer.allocate(size);
        next.put(src.duplicate());
        for (int i = 0; i < copies; i++) {
            next.put(input);
        }
        next.flip();
        return kind == Source.HEAP_READ_ONLY || kind == Source.DIRECT_READ_ONLY ? next.asReadOnlyBuffer() : next;
    }

    /**
     * After an SSLException the engine is closed for reading: unwrap reports CLOSED (or throws an
     * SSLException again) and moves nothing, and its state can still be queried.
     */
    private static void afterFailure(SSLEngine e, ByteBuffer src, ByteBuffer[] dsts) {
        if (!e.isInboundDone()) {
            throw new Violation("isInboundDone() false after unwrap threw");
        }
        int before = src.position();
        long dstBefore = remaining(dsts);
        try {
            SSLEngineResult r = dsts.length == 1 ? e.unwrap(src, dsts[0]) : e.unwrap(src, dsts, 0, dsts.length);
            if (r.getStatus() != Status.CLOSED || r.bytesConsumed() + r.bytesProduced() != 0) {
                throw new Violation("unwrap after the SSLException returned " + r);
            }
        } catch (SSLException again) {
            // also acceptable
        }
        if (src.position() != before || remaining(dsts) != dstBefore) {
            throw new Violation("unwrap after the SSLException moved bytes");
        }
        e.getHandshakeStatus();
        e.getSession().getCipherSuite();
        e.getSession().getProtocol();
        e.getHandshakeSession();
        e.getApplicationProtocol();
        e.getDelegatedTask();
    }

    /** Wraps while the engine asks to; true if anything was produced. */
    private boolean flush(SSLEngine e) throws SSLException {
        boolean produced = false;
        for (int i = 0; i < 50 && !e.isOutboundDone()
            && e.getHandshakeStatus() == HandshakeStatus.NEED_WRAP; i++) {
            net.clear();
            SSLEngineResult r = e.wrap(EMPTY, net);
            if (r.bytesProduced() != net.position() || r.bytesConsumed() != 0) {
                throw new Violation("wrap reported " + r.bytesConsumed() + "/" + r.bytesProduced()
                    + " bytes consumed/produced but moved 0/" + net.position() + ": " + r);
            }
            if (r.getStatus() == Status.BUFFER_OVERFLOW) {
                throw new Violation("wrap overflowed a " + net.capacity() + "-byte destination");
            }
            if (r.bytesProduced() == 0) {
                break;
            }
            produced = true;
        }
        return produced;
    }

    /**
     * Closes e the way a framework does after a failure or at the end of a connection:
     * closeOutbound, wrap until outbound is done, closeInbound. Only SSLExceptions are tolerated
     * (from wrap, and from closeInbound when no close_notify came); both directions must end done.
     */
    void close(SSLEngine e) {
        e.closeOutbound();
        for (int i = 0; i < 20 && !e.isOutboundDone(); i++) {
            net.clear();
            try {
                SSLEngineResult r = e.wrap(EMPTY, net);
                if (r.getStatus() == Status.CLOSED) {
                    break;
                }
                if (r.getStatus() == Status.BUFFER_OVERFLOW) {
                    throw new Violation("closing wrap overflowed a " + net.capacity() + "-byte destination");
                }
            } catch (SSLException x) {
                closeWrapExceptions++;
            }
        }
        if (!e.isOutboundDone()) {
            throw new Violation("isOutboundDone() still false after closeOutbound() and 20 wraps");
        }
        try {
            e.closeInbound();
        } catch (SSLException expected) {
            // no close_notify from the peer: the truncation warning every engine gives
        }
        if (!e.isInboundDone()) {
            throw new Violation("isInboundDone() false after closeInbound()");
        }
    }

    private ByteBuffer[] destinations(Destination mode, int appSize, SplittableRandom rnd) {
        switch (mode) {
            case DIRECT:
                directApp.clear();
                return new ByteBuffer[] {directApp};
            case HEAP_SLICE: {
                int off = 1 + rnd.nextInt(100);
                return new ByteBuffer[] {ByteBuffer.wrap(new byte[off + appSize + rnd.nextInt(100)], off,
                    appSize).slice()};
            }
            case SMALL:
                return new ByteBuffer[] {ByteBuffer.allocate(rnd.nextInt(3) == 0 ? rnd.nextInt(17)
                    : rnd.nextInt(appSize))};
            case SCATTER: {
                int n = 2 + rnd.nextInt(3);
                ByteBuffer[] out = new ByteBuffer[n];
                int left = appSize + rnd.nextInt(1024);
                for (int i = 0; i < n; i++) {
                    int size = i == n - 1 ? left : rnd.nextInt(left + 1);
                    out[i] = rnd.nextInt(3) == 0 ? ByteBuffer.allocateDirect(size) : ByteBuffer.allocate(size);
                    left -= size;
                }
                return out;
            }
            default:
                heapApp.clear();
                return new ByteBuffer[] {heapApp};
        }
    }

    private static long remaining(ByteBuffer[] dsts) {
        long n = 0;
        for (ByteBuffer d : dsts) {
            n += d.remaining();
        }
        return n;
    }

    /** Whether a whole record, as its header describes it (and NativeTLS accepts the length), is there. */
    private static boolean wholeRecordAt(ByteBuffer src) {
        if (src.remaining() < Tls.HEADER) {
            return false;
        }
        int len = ((src.get(src.position() + 3) & 0xff) << 8) | (src.get(src.position() + 4) & 0xff);
        return len > Tls.MAX_BODY || src.remaining() >= Tls.HEADER + len;
    }
}
