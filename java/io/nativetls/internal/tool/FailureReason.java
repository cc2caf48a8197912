package io.nativetls.internal.tool;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.Locale;
import javax.net.ssl.SSLException;

/** Turns a failed connection's exception into one line saying what went wrong, in the user's terms. */
final class FailureReason {
    private FailureReason() {}

    static String describe(Throwable failure, String target) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String msg = String.valueOf(t.getMessage());
            String lower = msg.toLowerCase(Locale.ROOT);
            if (t instanceof UnknownHostException) {
                return "unknown host " + msg;
            }
            if (t instanceof ConnectException) {
                return "connection to " + target + " refused (" + msg + ")";
            }
            if (t instanceof NoRouteToHostException) {
                return "no route to " + target + " (" + msg + ")";
            }
            if (t instanceof SocketTimeoutException) {
                return "timed out talking to " + target + " (" + msg + ")";
            }
            if (t instanceof CertificateExpiredException || t instanceof CertificateNotYetValidException
                || lower.contains("validity check failed")) {
                return "certificate outside its validity period: " + msg;
            }
            if (lower.contains("no subject alternative") || lower.contains("no name matching")
                || lower.contains("hostname") && lower.contains("match")) {
                return "hostname mismatch: the server's certificate is not for " + target + " (" + msg + ")";
            }
            if (t instanceof CertPathBuilderException || lower.contains("pkix path building failed")
                || lower.contains("unable to find valid certification path")) {
                return "untrusted certificate: the server's chain does not lead to a trusted CA"
                    + " (give the CA with --cafile ca.pem)";
            }
            if (t instanceof CertPathValidatorException) {
                return "certificate rejected: " + msg;
            }
        }
        if (failure instanceof SSLException) {
            return "TLS handshake failed: " + failure.getMessage();
        }
        return failure.getClass().getSimpleName() + ": " + failure.getMessage();
    }
}
