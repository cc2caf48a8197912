package io.nativetls.internal.ssl;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.testing.TestPki;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;

/** The identity check NativeTLS applies for plain X509TrustManagers. */
class HostnameMatcherTest {
    @Test
    void wildcardsOnlyAsTheWholeLeftMostLabel() {
        assertTrue(HostnameMatcher.matches("a.example.org", "*.example.org"));
        assertFalse(HostnameMatcher.matches("a.b.example.org", "*.example.org"));
        assertFalse(HostnameMatcher.matches("example.org", "*.example.org"));
        assertFalse(HostnameMatcher.matches("example.com", "*.com"));
        assertFalse(HostnameMatcher.matches("aexample.org", "*.example.org"));
        assertTrue(HostnameMatcher.matches("example.org", "example.org"));
        assertFalse(HostnameMatcher.matches("example.org", "example.net"));
    }

    @Test
    void namesAndAddressesAgainstTheTestCertificate() {
        X509Certificate cert = TestPki.get().certificate("server-ec"); // SAN DNS:localhost, IP:127.0.0.1
        assertDoesNotThrow(() -> HostnameMatcher.check("localhost", cert));
        assertDoesNotThrow(() -> HostnameMatcher.check("LOCALHOST.", cert));
        assertDoesNotThrow(() -> HostnameMatcher.check("127.0.0.1", cert));
        CertificateException wrongName = assertThrows(CertificateException.class,
            () -> HostnameMatcher.check("wrong.example", cert));
        assertTrue(wrongName.getMessage().contains("wrong.example"), wrongName.getMessage());
        assertThrows(CertificateException.class, () -> HostnameMatcher.check("127.0.0.2", cert));
        assertThrows(CertificateException.class, () -> HostnameMatcher.check("::1", cert));
        assertThrows(CertificateException.class, () -> HostnameMatcher.check(null, cert));
    }
}
