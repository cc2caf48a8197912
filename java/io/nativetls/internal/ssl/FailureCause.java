package io.nativetls.internal.ssl;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLProtocolException;

/**
 * Attaches what a callback threw (the trust or key manager's reason) to the handshake failure
 * and repeats it in the message, since that, not OpenSSL's summary, tells the user what to fix.
 */
final class FailureCause {
    private FailureCause() {}

    /** e itself when there is no cause to add (or it has one), else the same type of exception with it. */
    static SSLException attach(SSLException e, Throwable cause) {
        if (cause == null || e.getCause() != null) {
            return e;
        }
        String message = e.getMessage() + "; caused by: " + cause;
        SSLException detailed = e instanceof SSLHandshakeException ? new SSLHandshakeException(message)
            : e instanceof SSLProtocolException ? new SSLProtocolException(message) : new SSLException(message);
        detailed.initCause(cause);
        return detailed;
    }
}
