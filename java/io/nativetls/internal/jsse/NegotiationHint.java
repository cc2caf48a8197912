package io.nativetls.internal.jsse;

import java.util.Locale;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * Adds to a handshake failure that comes from the two sides sharing no protocol version or no
 * cipher suite what this side enables and where that is set, since OpenSSL's reason ("no shared
 * cipher", "unsupported protocol", an alert from the peer) does not say what either side offered.
 */
final class NegotiationHint {
    /** OpenSSL reasons and alert texts (lower case) that mean "no common protocol version". */
    private static final String[] NO_PROTOCOL = {
        "unsupported protocol", "no protocols available", "alert protocol version", "protocol version",
        "no appropriate protocol"};
    /** ... and "no common cipher suite". */
    private static final String[] NO_SUITE = {"no shared cipher", "no ciphers available", "no cipher match"};
    /** A peer's handshake_failure alert: most often no common suite, but other refusals send it too. */
    private static final String[] PEER_REFUSED = {"alert handshake failure", "alert received: handshake failure"};

    private NegotiationHint() {}

    /** e itself, or an exception of the same type with the hint added to its message. */
    static SSLException addTo(SSLEngine engine, SSLException e) {
        if (!(e instanceof SSLHandshakeException) || e.getMessage() == null) {
            return e;
        }
        String reason = e.getMessage().toLowerCase(Locale.ROOT);
        boolean protocol = matches(reason, NO_PROTOCOL);
        boolean suite = matches(reason, NO_SUITE);
        if (!protocol && !suite && !matches(reason, PEER_REFUSED)) {
            return e;
        }
        String side = engine.getUseClientMode() ? "this client" : "this server";
        String hint = protocol
            ? "; hint: the peers share no TLS protocol version: " + side + " enables "
                + String.join(", ", engine.getEnabledProtocols())
                + " (change with setEnabledProtocols or SSLParameters.setProtocols; jdk.tls.disabledAlgorithms"
                + " removes protocols) and the peer must enable one of them"
            : (suite ? "; hint: the peers share no cipher suite: "
                : "; hint: the peer's handshake_failure alert most often means the peers share no cipher suite: ")
                + side + " enables "
                + String.join(", ", engine.getEnabledCipherSuites())
                + " (change with setEnabledCipherSuites or SSLParameters.setCipherSuites; jdk.tls.disabledAlgorithms"
                + " removes suites); compare with the peer's suites, and check that a server has a certificate"
                + " whose key type a common suite can use";
        SSLHandshakeException hinted = new SSLHandshakeException(e.getMessage() + hint);
        hinted.initCause(e.getCause());
        hinted.setStackTrace(e.getStackTrace());
        for (Throwable s : e.getSuppressed()) {
            hinted.addSuppressed(s);
        }
        return hinted;
    }

    private static boolean matches(String reason, String[] phrases) {
        for (String p : phrases) {
            if (reason.contains(p)) {
                return true;
            }
        }
        return false;
    }
}
