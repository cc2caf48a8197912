package io.nativetls.internal.ssl;

import io.nativetls.internal.jni.SslNative;

/**
 * What OpenSSL reported about a failed handshake, as numbers: each error queue entry's library
 * and reason, and the last alerts sent and received. Code that decides from a failure (the
 * negotiation hint) reads these instead of the message's words. Immutable.
 */
public final class NativeFailure {
    /** The reasons a hint tells apart (OpenSSL's numbers, all of libssl). */
    public static final int BAD_PROTOCOL_VERSION_NUMBER = SslNative.SSL_R_BAD_PROTOCOL_VERSION_NUMBER;
    public static final int NO_CIPHERS_AVAILABLE = SslNative.SSL_R_NO_CIPHERS_AVAILABLE;
    public static final int NO_CIPHER_MATCH = SslNative.SSL_R_NO_CIPHER_MATCH;
    public static final int NO_PROTOCOLS_AVAILABLE = SslNative.SSL_R_NO_PROTOCOLS_AVAILABLE;
    public static final int NO_SHARED_CIPHER = SslNative.SSL_R_NO_SHARED_CIPHER;
    public static final int UNSUPPORTED_PROTOCOL = SslNative.SSL_R_UNSUPPORTED_PROTOCOL;
    /** The peer's handshake_failure alert, as OpenSSL reports it. */
    public static final int PEER_ALERT_HANDSHAKE_FAILURE = SslNative.SSL_R_SSLV3_ALERT_HANDSHAKE_FAILURE;
    /** The peer's protocol_version alert, as OpenSSL reports it. */
    public static final int PEER_ALERT_PROTOCOL_VERSION = SslNative.SSL_R_TLSV1_ALERT_PROTOCOL_VERSION;

    /** TLS alert descriptions (RFC 8446, section 6). */
    public static final int ALERT_HANDSHAKE_FAILURE = 40;
    public static final int ALERT_PROTOCOL_VERSION = 70;

    private final boolean handshake;
    private final int[] libraries;
    private final int[] reasons;
    private final int alertSent;
    private final int alertReceived;

    NativeFailure(int kind, int[] libraries, int[] reasons, int alertSent, int alertReceived) {
        this.handshake = kind == SslNative.FAILURE_HANDSHAKE;
        this.libraries = libraries.clone();
        this.reasons = reasons.clone();
        this.alertSent = alertSent;
        this.alertReceived = alertReceived;
    }

    /** Whether the handshake failed (else a record operation of an established connection). */
    public boolean handshake() {
        return handshake;
    }

    /** Whether some entry of the error queue is this libssl reason. */
    public boolean hasSslReason(int reason) {
        for (int i = 0; i < reasons.length; i++) {
            if (libraries[i] == SslNative.ERR_LIB_SSL && reasons[i] == reason) {
                return true;
            }
        }
        return false;
    }

    /** The description of the last alert this side sent (e.g. {@link #ALERT_HANDSHAKE_FAILURE}), or -1 for none. */
    public int alertSent() {
        return description(alertSent);
    }

    /** The description of the last alert the peer sent, or -1 for none. */
    public int alertReceived() {
        return description(alertReceived);
    }

    private static int description(int alert) {
        return alert == 0 ? -1 : alert & 0xff;
    }
}
