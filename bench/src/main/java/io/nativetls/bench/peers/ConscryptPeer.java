package io.nativetls.bench.peers;

import io.nativetls.bench.Endpoints;
import io.nativetls.bench.JsseEndpoints;
import io.nativetls.bench.Peer;
import io.nativetls.bench.Pki;
import io.nativetls.bench.Tls;
import java.security.Provider;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.conscrypt.Conscrypt;

/**
 * Conscrypt (BoringSSL inside its own native library). BoringSSL does not let TLS 1.3 suites be
 * chosen: Conscrypt accepts only TLS 1.2 names in setEnabledCipherSuites and always enables all
 * three TLS 1.3 suites, so a TLS 1.3 configuration leaves the suites alone and the harness checks
 * afterwards which one was negotiated.
 *
 * <p>The client uses Conscrypt's own trust manager: Conscrypt's TLS 1.3 client calls
 * checkServerTrusted with the auth type "GENERIC", which the JDK's PKIX trust manager rejects
 * ("Unknown authType: GENERIC") when the certificate has a key usage extension.
 */
public final class ConscryptPeer extends Peer {
    private final Provider provider;

    public ConscryptPeer() throws UnavailableException {
        try {
            Conscrypt.checkAvailability();
        } catch (Throwable t) {
            throw new UnavailableException(CONSCRYPT, "native library not loaded: " + t, t);
        }
        provider = Conscrypt.newProviderBuilder().provideTrustManager(true).build();
    }

    @Override
    public String name() {
        return CONSCRYPT;
    }

    @Override
    public String version() {
        Conscrypt.Version v = Conscrypt.version();
        return "Conscrypt " + v.major() + "." + v.minor() + "." + v.patch() + " (BoringSSL built in)";
    }

    @Override
    public Endpoints open(Tls tls) throws Exception {
        return new JsseEndpoints(() -> SSLContext.getInstance("TLS", provider), tls,
            Pki.get().keyManagers(tls.keyType), Pki.get().trustManagers(provider)) {
            @Override
            protected void configure(SSLEngine e) {
                e.setEnabledProtocols(tls.protocols());
                if (!tls.isTls13()) {
                    e.setEnabledCipherSuites(tls.suites());
                }
            }
        };
    }
}
