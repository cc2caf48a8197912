package io.nativetls.internal.jsse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.internal.ssl.RecordResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import org.junit.jupiter.api.Test;

/** The engine's state machines and the HandshakeStatus they make, without a connection. */
class EngineStateTest {
    /** The flags OpenSSL would report, found through RecordResult's own predicates. */
    private static int flags(boolean pending, boolean finished) {
        int flags = 0;
        for (int bit = 1; bit != 0; bit <<= 1) {
            if ((pending && RecordResult.pending(bit)) || (finished && RecordResult.finished(bit))) {
                flags |= bit;
            }
        }
        assertEquals(pending, RecordResult.pending(flags));
        assertEquals(finished, RecordResult.finished(flags));
        return flags;
    }

    private static final int QUIET = 0;
    private static final int PENDING = flags(true, false);
    private static final int FINISHED = flags(false, true);

    private static EngineState established() {
        EngineState s = new EngineState();
        s.advanceTo(HandshakePhase.HANDSHAKING);
        s.recordRead();
        s.track(FINISHED);
        s.advanceTo(HandshakePhase.ESTABLISHED);
        return s;
    }

    @Test
    void aNewEngineIsNotHandshaking() {
        EngineState s = new EngineState();
        assertEquals(HandshakePhase.NEW, s.phase());
        assertEquals(HandshakeStatus.NOT_HANDSHAKING, s.handshakeStatus());
        assertEquals(InboundState.AWAITING_FIRST_RECORD, s.inbound());
        assertEquals(OutboundState.OPEN, s.outbound());
        assertFalse(s.inbound().isDone() || s.outbound().isDone());
    }

    @Test
    void handshakeWrapsWhatOpenSslHasAndOtherwiseUnwraps() {
        EngineState s = new EngineState();
        s.advanceTo(HandshakePhase.HANDSHAKING);
        assertEquals(HandshakeStatus.NEED_UNWRAP, s.handshakeStatus());
        s.track(PENDING);
        assertEquals(HandshakeStatus.NEED_WRAP, s.handshakeStatus());
        s.recordRead();
        assertNotEquals(InboundState.AWAITING_FIRST_RECORD, s.inbound());
        s.track(FINISHED);
        assertTrue(s.nativeFinished());
        s.advanceTo(HandshakePhase.ESTABLISHED);
        assertEquals(HandshakePhase.ESTABLISHED, s.phase());
        assertEquals(HandshakeStatus.NOT_HANDSHAKING, s.handshakeStatus());
    }

    @Test
    void phasesOnlyMoveForwardOneStepAtATime() {
        EngineState s = new EngineState();
        assertThrows(IllegalStateException.class, () -> s.advanceTo(HandshakePhase.ESTABLISHED));
        assertThrows(IllegalStateException.class, () -> s.advanceTo(HandshakePhase.NEW));
        s.advanceTo(HandshakePhase.HANDSHAKING);
        assertThrows(IllegalStateException.class, () -> s.advanceTo(HandshakePhase.HANDSHAKING));
        s.advanceTo(HandshakePhase.ESTABLISHED);
        for (HandshakePhase p : HandshakePhase.values()) {
            assertThrows(IllegalStateException.class, () -> s.advanceTo(p));
        }
        assertEquals(HandshakePhase.ESTABLISHED, s.phase());
    }

    @Test
    void closeNotifyIsWrappedThenOutboundIsDone() {
        EngineState s = established();
        s.closeNotifyQueued(PENDING);
        assertTrue(s.outbound().isClosing());
        assertEquals(HandshakeStatus.NEED_WRAP, s.handshakeStatus());
        s.drained();
        assertFalse(s.outbound().isDone(), "bytes are still queued");
        s.track(QUIET);
        s.drained();
        assertTrue(s.outbound().isDone());
        assertFalse(s.outbound().isClosing());
        assertEquals(HandshakeStatus.NEED_UNWRAP, s.handshakeStatus(), "the peer's close_notify is still to come");
        s.inboundClosed(true);
        assertTrue(s.closed());
        assertEquals(HandshakeStatus.NOT_HANDSHAKING, s.handshakeStatus());
    }

    @Test
    void aDeferredCloseNotifyCountsAsPendingUntilWrapMakesIt() {
        EngineState s = established();
        s.deferCloseNotify();
        assertEquals(OutboundState.CLOSE_DEFERRED, s.outbound());
        s.track(QUIET);
        assertTrue(s.pendingOutput(), "a deferred close_notify is output to come, whatever OpenSSL says");
        s.drained();
        assertFalse(s.outbound().isDone());
        assertEquals(HandshakeStatus.NEED_WRAP, s.handshakeStatus());
        assertThrows(IllegalStateException.class, s::deferCloseNotify);
        s.closeNotifyQueued(QUIET);
        assertNotEquals(OutboundState.CLOSE_DEFERRED, s.outbound());
        s.drained();
        assertTrue(s.outbound().isDone());
    }

    @Test
    void closeNotifyCannotBeQueuedTwice() {
        EngineState s = established();
        s.closeNotifyQueued(QUIET);
        assertThrows(IllegalStateException.class, () -> s.closeNotifyQueued(QUIET));
    }

    @Test
    void thePeersCloseNotifyEndsInboundOnce() {
        EngineState s = established();
        s.inboundClosed(true);
        assertTrue(s.inbound().isDone());
        assertFalse(s.outbound().isDone(), "TLS 1.3 half-close: our direction stays open");
        assertEquals(HandshakeStatus.NOT_HANDSHAKING, s.handshakeStatus());
        assertThrows(IllegalStateException.class, () -> s.inboundClosed(true));
        s.inboundClosed(false);
        assertTrue(s.inbound().isDone());
    }

    @Test
    void inboundClosedWhileOutboundClosesWantsWrap() {
        EngineState s = established();
        s.inboundClosed(false);
        s.closeNotifyQueued(PENDING);
        assertEquals(HandshakeStatus.NEED_WRAP, s.handshakeStatus());
    }

    @Test
    void stoppingDuringTheHandshakeClosesBothDirectionsSilently() {
        EngineState s = new EngineState();
        s.advanceTo(HandshakePhase.HANDSHAKING);
        s.track(PENDING);
        s.stop();
        assertTrue(s.closed());
        assertFalse(s.pendingOutput());
        assertEquals(HandshakeStatus.NOT_HANDSHAKING, s.handshakeStatus());
        assertEquals(HandshakePhase.HANDSHAKING, s.phase(), "a stopped engine keeps the phase it reached");
    }

    @Test
    void aFailureLeavesItsAlertToWrapAndForgetsADeferredCloseNotify() {
        EngineState s = established();
        s.deferCloseNotify();
        s.fail(true);
        assertTrue(s.inbound().isDone(), s.toString());
        assertEquals(OutboundState.CLOSING, s.outbound(), "the deferred close_notify gives way to the alert");
        assertEquals(HandshakeStatus.NEED_WRAP, s.handshakeStatus());
        s.track(QUIET);
        s.drained();
        assertTrue(s.closed(), s.toString());
    }

    @Test
    void aFailureWithoutAlertClosesAtOnceAndAClosedOutboundStaysClosed() {
        EngineState s = established();
        s.fail(false);
        assertTrue(s.closed());
        s.fail(true);
        assertTrue(s.outbound().isDone(), "an alert cannot reopen a closed outbound");
        assertEquals(HandshakeStatus.NOT_HANDSHAKING, s.handshakeStatus());
    }

    @Test
    void aRecordAfterInboundClosedLeavesItClosed() {
        EngineState s = new EngineState();
        s.advanceTo(HandshakePhase.HANDSHAKING);
        s.stop();
        s.recordRead();
        assertTrue(s.inbound().isDone());
    }
}
