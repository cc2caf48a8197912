package io.nativetls.internal.jni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The cause built from SslNative.initialise()'s findings: one line, OpenSSL's words, and what to
 * check. (The findings themselves come from real broken files in OpenSslConfigTest.)
 */
class OpenSslSetupTest {
    @Test
    void aWorkingSetupHasNoCause() {
        assertNull(OpenSslSetup.cause(null, "/etc/ssl/openssl.cnf"));
    }

    @Test
    void theDefaultFileIsNamedAsSuchWithTheAdviceToSetOpensslConf() {
        String[][] rows = {{"file", "/usr/lib/ssl/openssl.cnf", "", ""},
                           {"parse", "/usr/lib/ssl/openssl.cnf", "", "missing equal sign (line 7)"}};
        String msg = OpenSslSetup.cause(rows, null).getMessage();
        assertTrue(msg.startsWith("OpenSSL cannot run TLS with its configuration file /usr/lib/ssl/openssl.cnf"
            + " (OpenSSL's default file): it does not parse: missing equal sign (line 7)."), msg);
        assertTrue(msg.contains("Fix that line of /usr/lib/ssl/openssl.cnf, or set OPENSSL_CONF to a working file"), msg);
    }

    @Test
    void everyMissingProviderIsNamedAndOpenSslsLineBreaksDoNotSplitTheLine() {
        String[][] rows = {{"file", "/x/fips.cnf", "", ""},
                           {"provider", "fips", "fips_sect", "init fail\n(name=fips)"},
                           {"provider", "pkcs11", "p11_sect", "could not load the shared library"},
                           {"context", "SSL_CTX_new", "", "library has no ciphers"}};
        String msg = OpenSslSetup.cause(rows, "/x/fips.cnf").getMessage();
        assertFalse(msg.contains("\n"), msg);
        assertTrue(msg.contains("(named by OPENSSL_CONF)"), msg);
        assertTrue(msg.contains("the provider \"fips\" (section [fips_sect]), which did not load (loading it alone:"
            + " init fail (name=fips))"), msg);
        assertTrue(msg.contains("the provider \"pkcs11\" (section [p11_sect])"), msg);
        assertTrue(msg.contains("SSL_CTX_new failed: library has no ciphers"), msg);
        assertTrue(msg.contains("install the providers \"fips\", \"pkcs11\" or remove their activate lines"), msg);
    }

    @Test
    void noFileAtAllPointsAtTheInstallation() {
        String[][] rows = {{"file", "", "", ""}, {"context", "SSL_CTX_new", "", "library has no ciphers"}};
        String msg = OpenSslSetup.cause(rows, null).getMessage();
        assertEquals("OpenSSL cannot run TLS (it read no configuration file): SSL_CTX_new failed: library has no"
            + " ciphers. Check the OpenSSL installation: its providers (openssl list -providers) offer no TLS", msg);
    }
}
