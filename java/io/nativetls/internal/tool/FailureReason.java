package io.nativetls.internal.tool;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import javax.net.ssl.SSLException;

/** Turns a failed connection's exception into one line saying what went wrong, in the user's terms. */
final class FailureReason {
    private FailureReason() {}

    static String describe(Throwable failure, String target) {
        return describe(failure, target, target);
    }

    /**
     * name: the name the certificate had to match (the server name, else the host). Reasons are tried
     * from the most specific to the most general, each over the whole cause chain, because a trust
     * failure's wrappers and causes name several things at once.
     */
    static String describe(Throwable failure, String target, String name) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = failure; t != null && chain.size() < 20; t = t.getCause()) {
            chain.add(t);
        }
        Throwable t;
        if ((t = find(chain, e -> e instanceof UnknownHostException)) != null) {
            return "unknown host " + t.getMessage();
        }
        if ((t = find(chain, e -> e instanceof ConnectException)) != null) {
            return "connection to " + target + " refused (" + t.getMessage() + ")";
        }
        if ((t = find(chain, e -> e instanceof NoRouteToHostException)) != null) {
            return "no route to " + target + " (" + t.getMessage() + ")";
        }
        if ((t = find(chain, e -> e instanceof SocketTimeoutException)) != null) {
            return "timed out talking to " + target + " (" + t.getMessage() + ")";
        }
        if ((t = find(chain, e -> has(e, "no subject alternative") || has(e, "no name matching")
            || has(e, "hostname") && has(e, "match"))) != null) {
            return "hostname mismatch: the server's certificate is not for " + name + " (" + innermost(t) + ")";
        }
        if ((t = find(chain, e -> e instanceof CertificateExpiredException || e instanceof CertificateNotYetValidException
            || has(e, "validity check failed"))) != null) {
            return "certificate outside its validity period (" + innermost(t) + ")";
        }
        if (find(chain, e -> e instanceof CertPathBuilderException || has(e, "pkix path building failed")
            || has(e, "unable to find valid certification path") || has(e, "does not chain with any of the trust"))
            != null) {
            return "untrusted certificate: the server's chain does not lead to a trusted CA"
                + " (give the CA with --cafile ca.pem)";
        }
        if ((t = find(chain, e -> e instanceof CertPathValidatorException)) != null) {
            return "certificate rejected: " + t.getMessage();
        }
        if (failure instanceof SocketException) {
            return "connection to " + target + " failed: " + failure.getMessage();
        }
        if (failure instanceof SSLException) {
            return "TLS handshake failed: " + failure.getMessage();
        }
        return failure.getClass().getSimpleName() + ": " + failure.getMessage();
    }

    /** The deepest throwable in the chain that matches. */
    private static Throwable find(List<Throwable> chain, Predicate<Throwable> test) {
        for (int i = chain.size() - 1; i >= 0; i--) {
            if (test.test(chain.get(i))) {
                return chain.get(i);
            }
        }
        return null;
    }

    private static boolean has(Throwable t, String text) {
        return String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT).contains(text);
    }

    /** A wrapper's message often quotes its cause's: keep the part after the last "caused by: ". */
    private static String innermost(Throwable t) {
        String msg = String.valueOf(t.getMessage());
        int at = msg.lastIndexOf("caused by: ");
        return at >= 0 ? msg.substring(at + "caused by: ".length()) : msg;
    }
}
