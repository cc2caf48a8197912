package io.nativetls.bench.peers;

import io.nativetls.NativeTls;
import io.nativetls.NativeTlsProvider;
import io.nativetls.bench.Endpoints;
import io.nativetls.bench.JsseEndpoints;
import io.nativetls.bench.Peer;
import io.nativetls.bench.Tls;
import java.security.Provider;
import javax.net.ssl.SSLContext;

/** NativeTLS: the provider under test, on whatever libssl.so.3 the JVM finds. */
public final class NativeTlsPeer extends Peer {
    private final Provider provider;

    public NativeTlsPeer() throws UnavailableException {
        if (!NativeTls.isAvailable()) {
            Throwable cause = NativeTls.unavailabilityCause();
            throw new UnavailableException(NATIVETLS, "native library not loaded: " + cause, cause);
        }
        provider = new NativeTlsProvider();
    }

    @Override
    public String name() {
        return NATIVETLS;
    }

    @Override
    public String version() {
        Package p = NativeTlsProvider.class.getPackage();
        String v = p != null && p.getImplementationVersion() != null ? p.getImplementationVersion()
            : provider.getVersionStr();
        return "NativeTLS " + v + " on " + NativeTls.openSslVersion();
    }

    @Override
    public Endpoints open(Tls tls) throws Exception {
        return new JsseEndpoints(() -> SSLContext.getInstance("TLS", provider), tls);
    }

    @Override
    public Endpoints open(Tls tls, javax.net.ssl.KeyManager[] serverKeys) throws Exception {
        return new JsseEndpoints(() -> SSLContext.getInstance("TLS", provider), tls, serverKeys, io.nativetls.bench.Pki.get().trustManagers());
    }
}
