package io.nativetls.internal.ssl;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A trust or key manager question that a paused handshake waits for, run as an
 * {@code SSLEngine.getDelegatedTask()} runnable on whatever thread the application picks, with no
 * engine lock held. It keeps the answer (or what the manager threw) for the callback OpenSSL makes
 * again when the handshake resumes, which answers OpenSSL as the inline call would have.
 *
 * <p>Handed out once; a second {@code run}, or one after the engine closed, does nothing harmful:
 * the work touches only Java objects, never the native connection.
 */
public final class HandshakeTask implements Runnable {
    /** The manager call itself. */
    interface Work {
        Object compute() throws Exception;
    }

    /** Which callback asked: the retried callback must be the same one. */
    enum Kind {
        VERIFY_PEER,
        SELECT_CREDENTIALS
    }

    final Kind kind;
    private final Work work;
    private final AtomicBoolean handedOut = new AtomicBoolean();
    private final AtomicBoolean started = new AtomicBoolean();
    // Written by the task's thread before done; read by the engine's thread after it sees done.
    private Object answer;
    private Throwable thrown;
    private volatile boolean done;

    HandshakeTask(Kind kind, Work work) {
        this.kind = kind;
        this.work = work;
    }

    /** True the first time only: getDelegatedTask hands each task out once, as SunJSSE's does. */
    public boolean handOut() {
        return handedOut.compareAndSet(false, true);
    }

    /** The work has run to its end (answered or thrown). */
    public boolean isDone() {
        return done;
    }

    @Override
    public void run() {
        if (!started.compareAndSet(false, true)) {
            return;
        }
        try {
            answer = work.compute();
        } catch (Throwable t) {
            // Kept, not thrown here: it fails the handshake on the next wrap or unwrap, as inline.
            thrown = t;
        } finally {
            done = true;
        }
    }

    /** What the manager answered; only once {@link #isDone}. */
    Object answer() {
        return answer;
    }

    /** What the manager threw, or null; only once {@link #isDone}. */
    Throwable thrown() {
        return thrown;
    }

    @Override
    public String toString() {
        return "NativeTLS delegated task (" + kind + (done ? ", done" : started.get() ? ", running" : "") + ")";
    }
}
