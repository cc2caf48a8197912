package io.nativetls.internal.jsse;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLProtocolException;

/**
 * Drives one engine over a connected socket's byte streams with blocking I/O: the whole TLS side
 * of {@link NativeSslSocket}. The engine holds all TLS state; this class only moves records.
 *
 * <p>Locks, always taken in this order and never the other way round: {@code handshakeLock}
 * (one thread runs the initial handshake, others wait for it), {@code readLock} (ciphertext and
 * plaintext buffers of the inbound side), {@code writeLock} (the outbound buffer and the order of
 * records on the wire). A reader that must answer the peer (KeyUpdate, close_notify) takes the
 * write lock while holding the read lock; a writer never takes the read lock.
 */
final class SocketTls {
    /** Bounds every loop: far more steps than any legitimate record or handshake needs. */
    private static final int MAX_STEPS = 1 << 16;
    /** Records in a row that carry no application data (tickets, empty records) before we give up. */
    private static final int MAX_EMPTY_RECORDS = 1024;
    /** How long a reader waits for a busy writer before leaving its answer to the writer's next call. */
    private static final long ANSWER_WAIT_MS = 200;
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    /** What the socket does for this class: close its transport, learn of a completed handshake. */
    interface Owner {
        /** Closes the underlying socket (unless layered without autoClose); must not throw. */
        void abort();

        /** Called once, with no lock held, when the initial handshake has completed. */
        void handshakeCompleted();
    }

    private final NativeSslEngine engine;
    private final InputStream in;
    private final OutputStream out;
    private final Owner owner;
    private final ReentrantLock handshakeLock = new ReentrantLock();
    private final ReentrantLock readLock = new ReentrantLock();
    private final ReentrantLock writeLock = new ReentrantLock();

    /** Ciphertext read but not yet unwrapped, in fill mode. Guarded by readLock. */
    private ByteBuffer netIn;
    /** Plaintext unwrapped but not yet read, in drain mode. Guarded by readLock. */
    private ByteBuffer appIn;
    /** One wrap's output. Guarded by writeLock. */
    private ByteBuffer netOut;

    private volatile int buffered;
    private volatile boolean established;
    private volatile boolean endOfStream;
    private volatile boolean closing;
    private volatile IOException failure;

    /** prefix: bytes already taken off the socket by the caller, handled before anything read later. */
    SocketTls(NativeSslEngine engine, InputStream in, OutputStream out, byte[] prefix, Owner owner) {
        this.engine = engine;
        this.in = in;
        this.out = out;
        this.owner = owner;
        // Room for one whole record each way, and one record's plaintext; they grow if a peer needs more.
        int packet = RecordFraming.MAX_RECORD;
        int prefixLength = prefix != null ? prefix.length : 0;
        this.netIn = ByteBuffer.allocate(Math.max(packet, prefixLength));
        if (prefixLength > 0) {
            netIn.put(prefix);
        }
        this.appIn = ByteBuffer.allocate(RecordFraming.MAX_PLAINTEXT).flip();
        this.netOut = ByteBuffer.allocate(packet);
    }

    NativeSslEngine engine() {
        return engine;
    }

    boolean isEstablished() {
        return established;
    }

    // ---- handshake ----------------------------------------------------------------------------

    /**
     * Runs the initial handshake unless it has completed; a thread arriving while another runs
     * it waits for that one. A read timeout leaves the handshake where it was, to be resumed.
     */
    void handshake() throws IOException {
        if (established) {
            return;
        }
        checkNotInCallback();
        boolean completed = false;
        handshakeLock.lock();
        try {
            if (established) {
                return;
            }
            checkUsable();
            readLock.lock();
            try {
                writeLock.lock();
                try {
                    runHandshake();
                    completed = true;
                } finally {
                    writeLock.unlock();
                }
            } finally {
                readLock.unlock();
            }
        } catch (IOException | RuntimeException e) {
            throw fatal(e);
        } catch (Error e) {
            throw abandoned(e);
        } finally {
            handshakeLock.unlock();
        }
        if (completed) {
            owner.handshakeCompleted();
        }
    }

    private void runHandshake() throws IOException {
        engine.beginHandshake();
        for (int step = 0; step < MAX_STEPS; step++) {
            HandshakeStatus status = engine.getHandshakeStatus();
            SSLEngineResult r;
            switch (status) {
                case NEED_WRAP:
                    r = wrapAndSend(EMPTY);
                    break;
                case NEED_UNWRAP:
                case NEED_UNWRAP_AGAIN:
                    r = unwrapRecord();
                    if (r == null) {
                        throw new SSLHandshakeException("Remote host terminated the handshake");
                    }
                    break;
                case NEED_TASK:
                    for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
                        task.run();
                    }
                    continue;
                default:
                    if (!engine.isInboundDone() && !engine.isOutboundDone() && engine.getSession().isValid()) {
                        established = true;
                        return;
                    }
                    r = null;
                    break;
            }
            if (r != null && r.getHandshakeStatus() == HandshakeStatus.FINISHED) {
                established = true;
                return;
            }
            if (r == null || r.getStatus() == Status.CLOSED) {
                throw closedDuringHandshake();
            }
        }
        throw new SSLHandshakeException("the handshake did not complete in " + MAX_STEPS + " steps");
    }

    private IOException closedDuringHandshake() {
        if (closing) {
            return new SocketException("Socket closed during the TLS handshake");
        }
        return new SSLHandshakeException("the connection was closed during the TLS handshake");
    }

    // ---- reading ------------------------------------------------------------------------------

    /** Decrypted bytes that a read can return without touching the network. */
    int available() {
        return failure == null ? buffered : 0;
    }

    int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        checkNotInCallback();
        if (len == 0) {
            return 0;
        }
        handshake();
        readLock.lock();
        try {
            for (int empty = 0; empty < MAX_EMPTY_RECORDS; empty++) {
                if (appIn.hasRemaining()) {
                    int n = Math.min(len, appIn.remaining());
                    appIn.get(b, off, n);
                    buffered = appIn.remaining();
                    return n;
                }
                checkFailure();
                if (endOfStream || engine.isInboundDone()) {
                    return -1;
                }
                SSLEngineResult r = unwrapRecord();
                if (r == null) {
                    // As SunJSSE by default: a peer that just closes TCP after the handshake ends the stream.
                    endOfStream = true;
                    return -1;
                }
                if (r.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                    answer();
                }
            }
            throw new SSLProtocolException(MAX_EMPTY_RECORDS + " records in a row without application data");
        } catch (IOException | RuntimeException e) {
            throw fatal(e);
        } catch (Error e) {
            throw abandoned(e);
        } finally {
            readLock.unlock();
        }
    }

    /**
     * Unwraps one record into appIn, reading from the network as needed; null if the stream ends
     * first. Bytes read before a timeout stay in netIn for the next call. A header that cannot be
     * TLS (a plaintext HTTP request, say) fails in the engine's unwrap as soon as its first bytes
     * are here (RecordFraming), so a peer never has us wait for a "record" it will not finish.
     */
    private SSLEngineResult unwrapRecord() throws IOException {
        for (int step = 0; step < MAX_STEPS; step++) {
            SSLEngineResult r;
            netIn.flip();
            appIn.compact();
            try {
                r = engine.unwrap(netIn, appIn);
            } finally {
                netIn.compact();
                appIn.flip();
                buffered = appIn.remaining();
            }
            switch (r.getStatus()) {
                case BUFFER_UNDERFLOW:
                    if (!netIn.hasRemaining()) {
                        netIn = grown(netIn, true);
                    }
                    int n = in.read(netIn.array(), netIn.arrayOffset() + netIn.position(), netIn.remaining());
                    if (n < 0) {
                        return null;
                    }
                    netIn.position(netIn.position() + n);
                    break;
                case BUFFER_OVERFLOW:
                    appIn = grown(appIn, false);
                    break;
                default:
                    return r;
            }
        }
        throw new SSLProtocolException("no whole record after " + MAX_STEPS + " reads");
    }

    /** Sends what the engine wants to say after a read; a busy writer sends it with its next record. */
    private void answer() throws IOException {
        boolean locked;
        try {
            locked = writeLock.tryLock(ANSWER_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (!locked) {
            return;
        }
        try {
            if (engine.isOutboundDone()) {
                return;
            }
            try {
                flushPending();
            } catch (IOException e) {
                // The answer to close_notify may find the peer gone; the stream still ends normally.
                if (!engine.isOutboundDone()) {
                    throw e;
                }
            }
        } finally {
            writeLock.unlock();
        }
    }

    // ---- writing ------------------------------------------------------------------------------

    void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        checkNotInCallback();
        if (len == 0) {
            return;
        }
        handshake();
        writeLock.lock();
        try {
            checkFailure();
            if (engine.isOutboundDone()) {
                throw new ClosedException("Connection or outbound has closed");
            }
            ByteBuffer src = ByteBuffer.wrap(b, off, len);
            int idle = 0;
            for (int step = 0; src.hasRemaining(); step++) {
                SSLEngineResult r = wrapAndSend(src);
                if (r.getStatus() == Status.CLOSED) {
                    throw new ClosedException("Connection or outbound has closed");
                }
                idle = r.bytesConsumed() > 0 ? 0 : idle + 1;
                if (idle > 16) {
                    throw new SSLException("wrap consumed nothing " + idle + " times in a row");
                }
            }
            // Anything a reader could not send while we held the lock (e.g. a KeyUpdate answer).
            if (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                flushPending();
            }
        } catch (IOException | RuntimeException e) {
            throw fatal(e);
        } catch (Error e) {
            throw abandoned(e);
        } finally {
            writeLock.unlock();
        }
    }

    /** Wraps once from src and sends the result. Caller holds writeLock. */
    private SSLEngineResult wrapAndSend(ByteBuffer src) throws IOException {
        for (int attempt = 0; attempt < 4; attempt++) {
            netOut.clear();
            SSLEngineResult r = engine.wrap(src, netOut);
            if (r.getStatus() == Status.BUFFER_OVERFLOW) {
                netOut = ByteBuffer.allocate(netOut.capacity() * 2);
                continue;
            }
            if (netOut.position() > 0) {
                out.write(netOut.array(), netOut.arrayOffset(), netOut.position());
                out.flush();
            }
            return r;
        }
        throw new SSLException("wrap wants more than " + netOut.capacity() + " bytes of room");
    }

    /**
     * startHandshake on an established connection: the engine's answer (TLS 1.3: a KeyUpdate
     * requesting the peer's, sent now, as SunJSSE's socket does; TLS 1.2: renegotiation refused).
     */
    void renewKeys() throws IOException {
        writeLock.lock();
        try {
            checkFailure();
            engine.beginHandshake();
            flushPending();
        } catch (SSLException e) {
            throw e; // a refused request: the connection goes on
        } catch (IOException | RuntimeException e) {
            throw fatal(e);
        } catch (Error e) {
            throw abandoned(e);
        } finally {
            writeLock.unlock();
        }
    }

    /** Sends everything the engine has queued (alerts, close_notify, post-handshake answers). */
    private void flushPending() throws IOException {
        for (int i = 0; i < 16 && !engine.isOutboundDone()
            && engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP; i++) {
            if (wrapAndSend(EMPTY).bytesProduced() == 0) {
                return;
            }
        }
    }

    // ---- closing ------------------------------------------------------------------------------

    /**
     * Closes the outbound side and sends close_notify, waiting at most waitMs for a writer that
     * holds the write lock (whose next wrap then sends it instead).
     */
    void closeOutbound(long waitMs) throws IOException {
        engine.closeOutbound();
        sendQueued(waitMs);
    }

    /** Closes the inbound side; throws, as SunJSSE, if the peer's close_notify never came. */
    void closeInbound(long waitMs) throws IOException {
        try {
            engine.closeInbound();
        } finally {
            // The engine answers an inbound close with its own close_notify.
            sendQueued(waitMs);
        }
    }

    /** The socket is being closed: no more I/O will succeed, waiting threads get SocketException. */
    void markClosing() {
        closing = true;
    }

    /** Frees the engine's native connection (close_notify is sent by then, or never will be). */
    void release() {
        engine.closeOutbound();
        try {
            engine.closeInbound();
        } catch (SSLException e) {
            // expected when the peer has not sent close_notify: we are closing anyway
        }
    }

    private void sendQueued(long waitMs) throws IOException {
        if (engine.isOutboundDone() || engine.getHandshakeStatus() != HandshakeStatus.NEED_WRAP) {
            return;
        }
        boolean locked;
        try {
            locked = writeLock.tryLock(waitMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (locked) {
            try {
                flushPending();
            } finally {
                writeLock.unlock();
            }
        }
    }

    // ---- failures -----------------------------------------------------------------------------

    /**
     * A callback of this socket's handshake or record layer (trust or key manager, ALPN selector,
     * SNI matcher, session listener) runs on the thread that holds these locks: reading, writing
     * or handshaking from there would run the engine inside itself. Refused without harm to the
     * connection, which goes on once the callback returns.
     */
    void checkNotInCallback() throws SSLException {
        if (handshakeLock.isHeldByCurrentThread() || readLock.isHeldByCurrentThread()
            || writeLock.isHeldByCurrentThread()) {
            throw new SSLException("the socket's streams and startHandshake cannot be used from a callback of"
                + " its own handshake (a trust or key manager, ALPN selector, SNI matcher or session listener)");
        }
    }

    private void checkUsable() throws IOException {
        checkFailure();
        if (closing) {
            throw new ClosedException("Socket is closed");
        }
        if (engine.isInboundDone() || engine.isOutboundDone()) {
            throw new ClosedException("Socket has been closed or broken");
        }
    }

    private void checkFailure() throws IOException {
        IOException f = failure;
        if (f != null) {
            throw new SSLException("Connection has closed: " + f, f);
        }
        if (closing) {
            throw new ClosedException("Socket is closed");
        }
    }

    /**
     * A failure ends the connection: the engine's alert is sent if the writer can be had at once,
     * and the socket is closed. Timeouts and interrupts are not failures: the caller may retry.
     */
    private IOException fatal(Throwable t) {
        if (t instanceof InterruptedIOException || t instanceof ClosedException) {
            return (IOException) t;
        }
        IOException e = t instanceof IOException ? (IOException) t
            : new SSLException("TLS failed unexpectedly: " + t, t);
        if (closing || failure != null) {
            return e;
        }
        failure = e;
        if (writeLock.tryLock()) {
            try {
                flushPending();
            } catch (IOException | RuntimeException ignored) {
                // the alert is a courtesy; the exception the caller gets is what matters
            } finally {
                writeLock.unlock();
            }
        }
        owner.abort();
        return e;
    }

    /** An Error from a callback (the engine has already ended the connection): the socket closes too. */
    private Error abandoned(Error e) {
        if (failure == null) {
            failure = new SSLException("the connection was abandoned after " + e, e);
        }
        owner.abort();
        return e;
    }

    /** Using a socket (or one direction of it) after it was closed: a mistake, not a broken connection. */
    private static final class ClosedException extends SocketException {
        private static final long serialVersionUID = 1L;

        ClosedException(String message) {
            super(message);
        }
    }

    private static ByteBuffer grown(ByteBuffer b, boolean fillMode) {
        ByteBuffer bigger = ByteBuffer.allocate(b.capacity() * 2);
        if (fillMode) {
            b.flip();
        }
        bigger.put(b);
        if (!fillMode) {
            bigger.flip();
        }
        return bigger;
    }
}
