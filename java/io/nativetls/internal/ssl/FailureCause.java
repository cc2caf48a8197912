package io.nativetls.internal.ssl;

import io.nativetls.internal.jni.SslNative;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLProtocolException;

/**
 * Puts what a callback threw (the trust or key manager's reason) into the failure it caused: as
 * the cause, and repeated in the message, since that, not OpenSSL's summary, tells the user what
 * to fix.
 */
final class FailureCause {
    private FailureCause() {}

    /** The exception of a native failure's kind, its message built once: OpenSSL's account, the cause, the hint. */
    static SSLException create(int kind, String message, Throwable cause, String hint) {
        String text = describe(message, cause) + (hint != null ? hint : "");
        SSLException e = kind == SslNative.FAILURE_HANDSHAKE ? new SSLHandshakeException(text)
            : kind == SslNative.FAILURE_PROTOCOL ? new SSLProtocolException(text) : new SSLException(text);
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }

    /** e itself when there is no cause to add (or it has one), else the same type of exception with it. */
    static SSLException attach(SSLException e, Throwable cause) {
        if (cause == null || e.getCause() != null) {
            return e;
        }
        String message = describe(e.getMessage(), cause);
        SSLException detailed = e instanceof SSLHandshakeException ? new SSLHandshakeException(message)
            : e instanceof SSLProtocolException ? new SSLProtocolException(message) : new SSLException(message);
        detailed.initCause(cause);
        return detailed;
    }

    private static String describe(String message, Throwable cause) {
        return cause == null ? message : message + "; caused by: " + cause;
    }
}
