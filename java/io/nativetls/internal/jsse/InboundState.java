package io.nativetls.internal.jsse;

/**
 * The inbound direction of an engine. The first record is told apart from the rest because two
 * answers depend on it: only a server's first record may be an SSLv2-format hello, and a record
 * refused before any reached OpenSSL needs no keys for its alert.
 */
enum InboundState {
    /** No record has gone to OpenSSL yet. */
    AWAITING_FIRST_RECORD,
    /** Records have gone to OpenSSL; more may come. */
    OPEN,
    /** The peer's close_notify arrived: a clean end. */
    PEER_CLOSED,
    /** Closed by this side, before or without the peer's close_notify, or by a failure. */
    CLOSED;

    boolean isDone() {
        return this == PEER_CLOSED || this == CLOSED;
    }

    /**
     * A record is handed to OpenSSL. A callback of the call that started the handshake may have
     * closed the engine just before; the record then goes on to meet the closed connection.
     */
    InboundState recordRead() {
        return isDone() ? this : OPEN;
    }

    /** The peer's close_notify arrived. */
    InboundState closeNotifyReceived() {
        if (isDone()) {
            throw new IllegalStateException("close_notify cannot end an inbound that is " + this);
        }
        return PEER_CLOSED;
    }

    /** This side closes inbound, or the connection failed; a closed inbound stays as it closed. */
    InboundState close() {
        return isDone() ? this : CLOSED;
    }
}
