package io.nativetls.internal.ssl;

import io.nativetls.internal.jni.SslNative;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;

/**
 * The X509_V_ERR code for a trust manager's refusal: OpenSSL turns it into the alert the peer
 * reads, so an expired certificate is reported as certificate_expired, not as a generic failure.
 */
final class VerifyErrors {
    private VerifyErrors() {}

    static int of(Throwable refusal) {
        for (Throwable t = refusal; t != null; t = t.getCause()) {
            if (t instanceof CertificateExpiredException) {
                return SslNative.X509_V_ERR_CERT_HAS_EXPIRED;
            }
            if (t instanceof CertificateNotYetValidException) {
                return SslNative.X509_V_ERR_CERT_NOT_YET_VALID;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return refusal instanceof CertificateException ? SslNative.X509_V_ERR_CERT_UNTRUSTED
            : SslNative.X509_V_ERR_APPLICATION_VERIFICATION;
    }
}
