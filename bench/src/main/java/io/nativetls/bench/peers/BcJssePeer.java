package io.nativetls.bench.peers;

import io.nativetls.bench.Endpoints;
import io.nativetls.bench.JsseEndpoints;
import io.nativetls.bench.Peer;
import io.nativetls.bench.Pki;
import io.nativetls.bench.Tls;
import java.security.Provider;
import java.security.Security;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;

/**
 * Bouncy Castle's JSSE provider as {@code new BouncyCastleJsseProvider()} makes it: its TLS code
 * over the JCA primitives of the installed providers. The BC provider is added last (it supplies
 * the "DEFAULT" SecureRandom that BCJSSE asks for and the JDK lacks), so AES-GCM, X25519 and ECDSA
 * still come from the JDK's SunJCE and SunEC.
 *
 * <p>The server uses BCJSSE's own key manager (its PKIX KeyManagerFactory): BCJSSE asks the key
 * manager for key types such as "EC/secp256r1" and "ECDHE_ECDSA", which the JDK's SunX509 key
 * manager does not know, so with it BCJSSE finds no EC key. The client trusts through the JDK's
 * PKIX trust manager, as the other providers' clients do.
 */
public final class BcJssePeer extends Peer {
    /** Kept referenced: java.util.logging holds its loggers weakly. */
    private static final Logger BC_LOG = Logger.getLogger("org.bouncycastle");

    private final Provider provider;

    public BcJssePeer() {
        // BCJSSE logs every connection at INFO through java.util.logging: that would be measured too.
        BC_LOG.setLevel(Level.WARNING);
        if (Security.getProvider(BouncyCastleProvider.PROVIDER_NAME) == null) {
            Security.addProvider(new BouncyCastleProvider());
        }
        provider = new BouncyCastleJsseProvider();
    }

    @Override
    public String name() {
        return BCJSSE;
    }

    @Override
    public String version() {
        return "BCJSSE " + provider.getVersionStr() + " (" + provider.getInfo() + ")";
    }

    @Override
    public Endpoints open(Tls tls) throws Exception {
        return new JsseEndpoints(() -> SSLContext.getInstance("TLS", provider), tls,
            Pki.get().keyManagers(tls.keyType, provider), Pki.get().trustManagers());
    }
}
