package io.nativetls;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nativetls.testing.Contexts;
import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.EnginePair;
import io.nativetls.testing.TestPki;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SSLContext "Default" takes its key and trust stores from the javax.net.ssl system properties. */
class DefaultContextTest {
    private static final String[] PROPERTIES = {"javax.net.ssl.keyStore", "javax.net.ssl.keyStorePassword",
        "javax.net.ssl.keyStoreType", "javax.net.ssl.trustStore", "javax.net.ssl.trustStorePassword",
        "javax.net.ssl.trustStoreType"};

    @Test
    void keyAndTrustStoresFromSystemProperties(@TempDir Path dir) throws Exception {
        TestPki pki = TestPki.get();
        Path keys = dir.resolve("keys.p12");
        try (OutputStream out = Files.newOutputStream(keys)) {
            pki.keyStore("server-ec").store(out, TestPki.PASSWORD);
        }
        Path trust = dir.resolve("trust.p12");
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        ts.setCertificateEntry("ca", pki.certificate("ca"));
        try (OutputStream out = Files.newOutputStream(trust)) {
            ts.store(out, TestPki.PASSWORD);
        }
        String[] saved = new String[PROPERTIES.length];
        for (int i = 0; i < PROPERTIES.length; i++) {
            saved[i] = System.getProperty(PROPERTIES[i]);
        }
        try {
            System.setProperty("javax.net.ssl.keyStore", keys.toString());
            System.setProperty("javax.net.ssl.keyStorePassword", new String(TestPki.PASSWORD));
            System.setProperty("javax.net.ssl.keyStoreType", "PKCS12");
            System.setProperty("javax.net.ssl.trustStore", trust.toString());
            System.setProperty("javax.net.ssl.trustStorePassword", new String(TestPki.PASSWORD));
            System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
            SSLContext def = SSLContext.getInstance("Default", Contexts.NATIVE);
            // The default context serves with the key store's key ...
            SSLEngine client = Contexts.client(Impl.SUN).createSSLEngine("localhost", 443);
            EnginePair pair = new EnginePair(client, def.createSSLEngine());
            pair.handshake();
            assertEquals(pki.certificate("server-ec"), client.getSession().getPeerCertificates()[0]);
            // ... and trusts what the trust store trusts.
            SSLEngine nativeClient = def.createSSLEngine("localhost", 443);
            EnginePair second = new EnginePair(nativeClient, Contexts.server(Impl.SUN, "server-rsa").createSSLEngine());
            second.handshake();
            assertEquals(pki.certificate("server-rsa"), nativeClient.getSession().getPeerCertificates()[0]);
        } finally {
            for (int i = 0; i < PROPERTIES.length; i++) {
                if (saved[i] == null) {
                    System.clearProperty(PROPERTIES[i]);
                } else {
                    System.setProperty(PROPERTIES[i], saved[i]);
                }
            }
        }
    }
}
