package io.nativetls.internal.ssl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nativetls.internal.jni.SslNative;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import org.junit.jupiter.api.Test;

/** A trust manager's refusal becomes the verify error whose alert says why. */
class VerifyErrorsTest {
    @Test
    void validityProblemsAnywhereInTheCauseChainNameThemselves() {
        assertEquals(SslNative.X509_V_ERR_CERT_HAS_EXPIRED,
            VerifyErrors.of(new CertificateException("wrapped", new CertificateExpiredException("old"))));
        assertEquals(SslNative.X509_V_ERR_CERT_NOT_YET_VALID, VerifyErrors.of(new CertificateNotYetValidException()));
    }

    @Test
    void otherRefusalsAreUntrustedOrAnApplicationFailure() {
        assertEquals(SslNative.X509_V_ERR_CERT_UNTRUSTED, VerifyErrors.of(new CertificateException("no path")));
        assertEquals(SslNative.X509_V_ERR_APPLICATION_VERIFICATION, VerifyErrors.of(new IllegalStateException("bug")));
    }
}
