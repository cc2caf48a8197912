package io.nativetls.bench.peers;

import io.nativetls.bench.Endpoints;
import io.nativetls.bench.JsseEndpoints;
import io.nativetls.bench.Peer;
import io.nativetls.bench.Tls;
import javax.net.ssl.SSLContext;

/** The JDK's own provider. */
public final class SunJssePeer extends Peer {
    @Override
    public String name() {
        return SUNJSSE;
    }

    @Override
    public String version() {
        return "SunJSSE of " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
    }

    @Override
    public Endpoints open(Tls tls) throws Exception {
        return new JsseEndpoints(() -> SSLContext.getInstance("TLS", "SunJSSE"), tls);
    }

    @Override
    public Endpoints open(Tls tls, javax.net.ssl.KeyManager[] serverKeys) throws Exception {
        return new JsseEndpoints(() -> SSLContext.getInstance("TLS", "SunJSSE"), tls, serverKeys, io.nativetls.bench.Pki.get().trustManagers());
    }
}
