package io.nativetls.internal.ssl;

import io.nativetls.internal.jni.NativeLibrary;
import io.nativetls.internal.jni.SslNative;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.security.KeyManagementException;
import java.security.cert.X509Certificate;
import java.util.LinkedHashSet;
import java.util.Set;
import javax.net.ssl.SSLException;
import javax.security.auth.x500.X500Principal;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;

/**
 * Owns one SSL_CTX, configured completely at construction and read-only afterwards, so any
 * number of threads create connections from it without a lock. Each SSL holds its own
 * reference on the SSL_CTX, so connections outlive this object safely.
 */
public final class SslContextHandle {
    private final long ctx;
    private final Cleaner.Cleanable cleanable;
    final PeerVerifier verifier;
    final CredentialSelector credentials;
    private final boolean clientTickets = SessionTickets.CLIENT.enabled();

    public SslContextHandle(X509KeyManager keyManager, X509TrustManager trustManager) throws KeyManagementException {
        NativeLibrary.ensureLoaded();
        CipherSuites suites = CipherSuites.get();
        try {
            this.ctx = SslNative.contextNew(suites.defaultTls12List(), suites.defaultTls13List(),
                NamedGroups.fromSystemProperty(), SessionTickets.SERVER.enabled());
        } catch (SSLException | IllegalArgumentException e) {
            throw new KeyManagementException("creating the OpenSSL context failed: " + e.getMessage(), e);
        }
        long handle = ctx;
        this.cleanable = NativeCleaner.CLEANER.register(this, () -> SslNative.contextFree(handle));
        setClientCaNames(trustManager);
        String keyLog = KeyLog.target();
        if (keyLog != null) {
            try {
                SslNative.contextSetKeyLog(ctx, keyLog);
            } catch (KeyManagementException e) {
                // Diagnostics must not stop the application: it runs on without the key log.
                System.getLogger("io.nativetls").log(System.Logger.Level.WARNING,
                    "NativeTLS key log {0} not written: {1}", keyLog, e.getMessage());
            }
        }
        this.verifier = new PeerVerifier(trustManager);
        this.credentials = new CredentialSelector(keyManager);
    }

    /** A server's certificate request names the issuers the trust manager accepts, as SunJSSE's does. */
    private void setClientCaNames(X509TrustManager trustManager) throws KeyManagementException {
        X509Certificate[] issuers = trustManager.getAcceptedIssuers();
        if (issuers == null || issuers.length == 0) {
            return;
        }
        Set<X500Principal> names = new LinkedHashSet<>();
        for (X509Certificate issuer : issuers) {
            names.add(issuer.getSubjectX500Principal());
        }
        byte[][] der = new byte[names.size()][];
        int i = 0;
        for (X500Principal name : names) {
            der[i++] = name.getEncoded();
        }
        SslNative.contextSetClientCaNames(ctx, der);
    }

    /** A new connection in the given role; its native side lives until {@link SslHandle#close()}. */
    public SslHandle newConnection(boolean client, Transport transport, SslHandle.Listener listener)
        throws SSLException {
        try {
            return new SslHandle(this, SslNative.connectionNew(ctx, client, !client || clientTickets), client, transport, listener);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** Releases the SSL_CTX now instead of at garbage collection; live connections keep theirs. */
    public void close() {
        cleanable.clean();
    }
}
