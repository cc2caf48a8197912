package io.nativetls.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.testing.Contexts;
import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.DelegatingKeyManager;
import io.nativetls.testing.EnginePair;
import java.net.Socket;
import java.security.Principal;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.X509ExtendedKeyManager;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A server asks its key manager for an alias no more often than SunJSSE does for the same
 * handshake (same keys, same client offer): a key manager in front of an HSM or a remote store
 * pays for every question. The key chosen must still be one the client can use.
 */
class KeyManagerCallCountTest {
    private static final String RSA_SUITES = "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384";

    /** Counts server alias choices, engine and socket variants alike. */
    static final class CountingKeyManager extends DelegatingKeyManager {
        final AtomicInteger serverChoices = new AtomicInteger();

        CountingKeyManager(X509ExtendedKeyManager real) {
            super(real);
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            serverChoices.incrementAndGet();
            return super.chooseEngineServerAlias(keyType, issuers, engine);
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            serverChoices.incrementAndGet();
            return super.chooseServerAlias(keyType, issuers, socket);
        }
    }

    @ParameterizedTest(name = "{0} keys {1}, client suites {2}")
    @CsvSource({
        "TLSv1.3, server-ec, ",
        "TLSv1.3, server-rsa, ",
        "TLSv1.3, server-ec+server-rsa, ",
        "TLSv1.2, server-ec, ",
        "TLSv1.2, server-rsa, ",
        "TLSv1.2, server-ec+server-rsa, ",
        "TLSv1.2, server-ec+server-rsa, rsa",
        "TLSv1.2, server-rsa+server-ec, rsa",
    })
    void noMoreAliasChoicesThanSunJsse(String protocol, String keys, String clientSuites) throws Exception {
        Handshake sun = handshake(Impl.SUN, protocol, keys.split("\\+"), clientSuites);
        Handshake nat = handshake(Impl.NATIVE, protocol, keys.split("\\+"), clientSuites);
        assertTrue(nat.choices >= 1, "NativeTLS asked its key manager");
        assertTrue(nat.choices <= sun.choices, "NativeTLS asked " + nat.choices + " times, SunJSSE " + sun.choices);
        assertEquals(sun.keyAlgorithm, nat.keyAlgorithm, "the key the server presented");
    }

    record Handshake(int choices, String keyAlgorithm) {}

    private static Handshake handshake(Impl server, String protocol, String[] keys, String clientSuites)
        throws Exception {
        X509ExtendedKeyManager real = Hook.keyManager(keys[0]);
        if (keys.length > 1) {
            for (KeyManager km : io.nativetls.testing.TestPki.get().keyManagers(keys)) {
                if (km instanceof X509ExtendedKeyManager) {
                    real = (X509ExtendedKeyManager) km;
                }
            }
        }
        CountingKeyManager counting = new CountingKeyManager(real);
        SSLContext serverCtx = Contexts.create(server, "TLS", new KeyManager[] {counting}, null);
        SSLEngine c = Contexts.client(Impl.SUN).createSSLEngine("localhost", 443);
        c.setEnabledProtocols(new String[] {protocol});
        if ("rsa".equals(clientSuites)) {
            c.setEnabledCipherSuites(RSA_SUITES.split(","));
        }
        EnginePair pair = new EnginePair(c, serverCtx.createSSLEngine());
        pair.handshake();
        SSLSession s = c.getSession();
        return new Handshake(counting.serverChoices.get(), s.getPeerCertificates()[0].getPublicKey().getAlgorithm());
    }
}
