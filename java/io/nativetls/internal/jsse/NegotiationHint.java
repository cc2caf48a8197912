package io.nativetls.internal.jsse;

import io.nativetls.internal.ssl.NativeFailure;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;

/**
 * Adds to a handshake failure that comes from the two sides sharing no protocol version or no
 * cipher suite what this side enables and where that is set, since OpenSSL's reason ("no shared
 * cipher", "unsupported protocol", an alert from the peer) does not say what either side offered.
 * Decided from OpenSSL's numbers (reasons and alerts), not from the message's words.
 */
final class NegotiationHint {
    /** OpenSSL reasons that mean "no common protocol version". */
    private static final int[] NO_PROTOCOL = {
        NativeFailure.UNSUPPORTED_PROTOCOL, NativeFailure.NO_PROTOCOLS_AVAILABLE,
        NativeFailure.BAD_PROTOCOL_VERSION_NUMBER, NativeFailure.PEER_ALERT_PROTOCOL_VERSION};
    /** ... and "no common cipher suite". */
    private static final int[] NO_SUITE = {
        NativeFailure.NO_SHARED_CIPHER, NativeFailure.NO_CIPHERS_AVAILABLE, NativeFailure.NO_CIPHER_MATCH};

    private NegotiationHint() {}

    /** The hint for this failure of engine's handshake, or null when it is not about negotiation. */
    static String of(SSLEngine engine, NativeFailure f) {
        if (!f.handshake()) {
            return null;
        }
        boolean protocol = any(f, NO_PROTOCOL) || f.alertSent() == NativeFailure.ALERT_PROTOCOL_VERSION
            || f.alertReceived() == NativeFailure.ALERT_PROTOCOL_VERSION;
        boolean suite = any(f, NO_SUITE);
        // A peer's handshake_failure alert: most often no common suite, but other refusals send it too.
        boolean peerRefused = f.hasSslReason(NativeFailure.PEER_ALERT_HANDSHAKE_FAILURE)
            || f.alertReceived() == NativeFailure.ALERT_HANDSHAKE_FAILURE;
        if (protocol) {
            return protocolHint(engine);
        }
        if (!suite && !peerRefused) {
            return null;
        }
        return (suite ? "; hint: the peers share no cipher suite: "
                : "; hint: the peer's handshake_failure alert most often means the peers share no cipher suite: ")
            + side(engine) + " enables " + String.join(", ", engine.getEnabledCipherSuites())
            + " (change with setEnabledCipherSuites or SSLParameters.setCipherSuites; jdk.tls.disabledAlgorithms"
            + " removes suites); compare with the peer's suites, and check that a server has a certificate"
            + " whose key type a common suite can use";
    }

    /** The engine's own refusal to start when nothing it enables can be negotiated, with the hint. */
    static SSLHandshakeException noProtocolEnabled(SSLEngine engine, String message) {
        return new SSLHandshakeException(message + protocolHint(engine));
    }

    private static String protocolHint(SSLEngine engine) {
        return "; hint: the peers share no TLS protocol version: " + side(engine) + " enables "
            + String.join(", ", engine.getEnabledProtocols())
            + " (change with setEnabledProtocols or SSLParameters.setProtocols; jdk.tls.disabledAlgorithms"
            + " removes protocols) and the peer must enable one of them";
    }

    private static String side(SSLEngine engine) {
        return engine.getUseClientMode() ? "this client" : "this server";
    }

    private static boolean any(NativeFailure f, int[] reasons) {
        for (int r : reasons) {
            if (f.hasSslReason(r)) {
                return true;
            }
        }
        return false;
    }
}
