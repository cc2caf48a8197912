package io.nativetls.internal.jsse;

/**
 * Where an engine's handshake is. It only moves forward, one step at a time, once each: a
 * closed or failed engine stays in the phase it reached (the directions say it is closed), since
 * what JSSE reports afterwards, such as whether a failure counts as a handshake failure, depends
 * on it.
 */
enum HandshakePhase {
    /** No native connection yet: settings may still change, mode included. */
    NEW,
    /** The native connection exists and its handshake has not been reported FINISHED. */
    HANDSHAKING,
    /** FINISHED was reported: there is a session, and application data flows. */
    ESTABLISHED;

    /** The phase after this one, which must be next: a phase is never skipped nor entered twice. */
    HandshakePhase advanceTo(HandshakePhase next) {
        if (next.ordinal() != ordinal() + 1) {
            throw new IllegalStateException("handshake phase " + this + " cannot become " + next);
        }
        return next;
    }
}
