package io.nativetls.internal.jsse;

/**
 * The outbound direction of an engine: open, on its way to closed (close_notify or a fatal alert
 * still to go out), or closed. Whether bytes are still to go out is OpenSSL's to say, so the
 * step from CLOSING to CLOSED takes its answer ({@link #drained}).
 */
enum OutboundState {
    OPEN,
    /**
     * closeOutbound came from a callback while OpenSSL was busy in a call of this engine: the
     * close_notify cannot be made now, so the next wrap makes it. Output counts as pending.
     */
    CLOSE_DEFERRED,
    /** close_notify or a fatal alert is queued in OpenSSL, for wrap to send. */
    CLOSING,
    CLOSED;

    boolean isDone() {
        return this == CLOSED;
    }

    /** Closing but not yet closed: close_notify or an alert is on its way out. */
    boolean isClosing() {
        return this == CLOSE_DEFERRED || this == CLOSING;
    }

    /** close_notify was made and queued (now or, deferred, by wrap). */
    OutboundState closeNotifyQueued() {
        if (this != OPEN && this != CLOSE_DEFERRED) {
            throw new IllegalStateException("close_notify cannot be queued when outbound is " + this);
        }
        return CLOSING;
    }

    /** The connection failed: whatever alert OpenSSL queued is still to go; a closed outbound stays closed. */
    OutboundState fail() {
        return this == CLOSED ? CLOSED : CLOSING;
    }

    /** OpenSSL says whether bytes remain to be sent: a closing outbound with none left is closed. */
    OutboundState drained(boolean pending) {
        return this == CLOSING && !pending ? CLOSED : this;
    }
}
