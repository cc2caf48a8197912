package io.nativetls.internal.jsse;

import io.nativetls.internal.ssl.HandshakeTask;
import io.nativetls.internal.ssl.RecordResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;

/**
 * An engine's state: its handshake phase and its two directions, each a state machine of its
 * own, and what OpenSSL said after its last call (bytes waiting to go out, handshake finished),
 * since the HandshakeStatus JSSE reports is made from both. Every change of state is one method
 * here, named for what happened. Guarded by the owning engine's lock.
 */
final class EngineState {
    private HandshakePhase phase = HandshakePhase.NEW;
    private InboundState inbound = InboundState.AWAITING_FIRST_RECORD;
    private OutboundState outbound = OutboundState.OPEN;
    /** OpenSSL's last call left bytes to send. */
    private boolean nativePending;
    /** OpenSSL's last call found its handshake done (its last bytes may still be waiting). */
    private boolean nativeFinished;
    /** The delegated task OpenSSL's paused handshake waits for, or null. */
    private HandshakeTask task;

    // ---- what OpenSSL said after its last call -------------------------------------------------

    /** flags: a RecordResult's. */
    void track(int flags) {
        track(flags, null);
    }

    /** flags: a RecordResult's; paused: the task the handshake now waits for, if flags say it does. */
    void track(int flags, HandshakeTask paused) {
        nativePending = RecordResult.pending(flags);
        nativeFinished = RecordResult.finished(flags);
        task = RecordResult.needsTask(flags) ? paused : null;
    }

    /** TLS 1.3: this side asked for the peer's KeyUpdate and has not read the answer yet. */
    private boolean keyUpdateAnswerAwaited;

    void keyUpdateRequested() {
        keyUpdateAnswerAwaited = true;
    }

    /**
     * After an unwrap on an established connection that read a record without application data:
     * true once, when that is the answer to this side's KeyUpdate (SunJSSE reports FINISHED there).
     */
    boolean keyUpdateAnswered() {
        boolean was = keyUpdateAnswerAwaited && phase == HandshakePhase.ESTABLISHED;
        keyUpdateAnswerAwaited = false;
        return was;
    }

    /** The task the handshake waits for (handed out or not), or null. */
    HandshakeTask task() {
        return task;
    }

    /** The handshake waits for a task that has not run to its end: OpenSSL must not be called. */
    boolean awaitingTask() {
        return task != null && !task.isDone();
    }

    /** Something is to be sent: OpenSSL has bytes queued, or a deferred close_notify is to be made. */
    boolean pendingOutput() {
        return nativePending || outbound == OutboundState.CLOSE_DEFERRED;
    }

    /** OpenSSL's handshake is done, so records now carry application data under the final keys. */
    boolean nativeFinished() {
        return nativeFinished;
    }

    // ---- the handshake phase ------------------------------------------------------------------

    HandshakePhase phase() {
        return phase;
    }

    /** HANDSHAKING once the native connection exists, ESTABLISHED when FINISHED is reported. */
    void advanceTo(HandshakePhase next) {
        phase = phase.advanceTo(next);
    }

    // ---- inbound ------------------------------------------------------------------------------

    InboundState inbound() {
        return inbound;
    }

    /** A record goes to OpenSSL (see {@link InboundState#recordRead}). */
    void recordRead() {
        inbound = inbound.recordRead();
    }

    /**
     * Inbound ends: by the peer's close_notify (which must find it open), or closed by this side
     * (closeInbound; outbound is then the caller's to close).
     */
    void inboundClosed(boolean byPeer) {
        inbound = byPeer ? inbound.closeNotifyReceived() : inbound.close();
    }

    // ---- outbound -----------------------------------------------------------------------------

    /** close_notify was made; flags are what OpenSSL said making it. */
    void closeNotifyQueued(int flags) {
        outbound = outbound.closeNotifyQueued();
        track(flags);
    }

    OutboundState outbound() {
        return outbound;
    }

    /** After a call that may have sent the last queued bytes (a wrap, making close_notify). */
    void drained() {
        outbound = outbound.drained(pendingOutput());
    }

    /** closeOutbound while OpenSSL is busy in a call a callback runs in. */
    void deferCloseNotify() {
        if (outbound != OutboundState.OPEN) {
            throw new IllegalStateException("close_notify cannot be deferred when outbound is " + outbound);
        }
        outbound = OutboundState.CLOSE_DEFERRED;
    }

    // ---- both ---------------------------------------------------------------------------------

    /** Both directions closed: the native connection can go. */
    boolean closed() {
        return inbound.isDone() && outbound.isDone();
    }

    /**
     * The engine stops without a word to the peer: before or during the handshake there is no
     * session to close, so closing either direction ends both (as SunJSSE's does).
     */
    void stop() {
        inbound = inbound.close();
        outbound = OutboundState.CLOSED;
        nativePending = false;
        task = null;
    }

    /** The connection failed; alertQueued: OpenSSL has an alert for the peer that wrap may still send. */
    void fail(boolean alertQueued) {
        inbound = inbound.close();
        outbound = outbound.fail();
        nativePending = alertQueued;
        task = null;
        drained();
    }

    // ---- what JSSE sees -----------------------------------------------------------------------

    HandshakeStatus handshakeStatus() {
        if (phase == HandshakePhase.NEW) {
            return HandshakeStatus.NOT_HANDSHAKING;
        }
        boolean inboundDone = inbound.isDone();
        boolean outboundDone = outbound.isDone();
        if (pendingOutput() && !outboundDone) {
            return HandshakeStatus.NEED_WRAP;
        }
        if (closed()) {
            return HandshakeStatus.NOT_HANDSHAKING;
        }
        if (phase == HandshakePhase.HANDSHAKING && task != null) {
            // Once the task has run, a wrap resumes OpenSSL (SunJSSE too asks for a wrap then).
            return task.isDone() ? HandshakeStatus.NEED_WRAP : HandshakeStatus.NEED_TASK;
        }
        if (phase == HandshakePhase.HANDSHAKING) {
            return inboundDone ? HandshakeStatus.NEED_WRAP : HandshakeStatus.NEED_UNWRAP;
        }
        if (outboundDone) {
            return HandshakeStatus.NEED_UNWRAP;
        }
        if (inboundDone && outbound.isClosing()) {
            return HandshakeStatus.NEED_WRAP;
        }
        return HandshakeStatus.NOT_HANDSHAKING;
    }

    @Override
    public String toString() {
        return phase + ", inbound " + inbound + ", outbound " + outbound;
    }
}
