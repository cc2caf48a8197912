package io.nativetls.internal.jsse;

import io.nativetls.internal.ssl.Protocols;
import io.nativetls.internal.ssl.SslContextHandle;
import java.security.KeyManagementException;
import java.security.KeyStore;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;

/**
 * SSLContext on OpenSSL. {@code init} builds the one SSL_CTX every engine of this context shares;
 * the subclasses differ only in the protocols a client enables by default, as in SunJSSE.
 */
public abstract class NativeSslContextSpi extends SSLContextSpi {
    private final ContextDefaults defaults;
    private final NativeSessionContext clientSessions = new NativeSessionContext();
    private final NativeSessionContext serverSessions = new NativeSessionContext();
    private volatile SslContextHandle handle;

    /** customisable: jdk.tls.{client,server}.protocols apply (the "TLS" and "Default" contexts, as in SunJSSE). */
    NativeSslContextSpi(boolean customisable, String... clientDefaultProtocols) {
        this.defaults = new ContextDefaults(clientDefaultProtocols, customisable);
    }

    @Override
    protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom random) throws KeyManagementException {
        // OpenSSL draws from its own seeded DRBG; a caller's SecureRandom is not consulted.
        handle = new SslContextHandle(firstKeyManager(km), firstTrustManager(tm));
    }

    private static X509KeyManager firstKeyManager(KeyManager[] managers) {
        if (managers != null) {
            for (KeyManager m : managers) {
                if (m instanceof X509KeyManager) {
                    return (X509KeyManager) m;
                }
            }
        }
        return null;
    }

    private static X509TrustManager firstTrustManager(TrustManager[] managers) throws KeyManagementException {
        if (managers != null) {
            for (TrustManager m : managers) {
                if (m instanceof X509TrustManager) {
                    return (X509TrustManager) m;
                }
            }
        }
        return defaultTrustManager();
    }

    static X509TrustManager defaultTrustManager() throws KeyManagementException {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init((KeyStore) null);
            for (TrustManager m : tmf.getTrustManagers()) {
                if (m instanceof X509TrustManager) {
                    return (X509TrustManager) m;
                }
            }
            throw new KeyManagementException("the default TrustManagerFactory made no X509TrustManager");
        } catch (GeneralSecurityException e) {
            throw new KeyManagementException("loading the default trust store failed: " + e.getMessage(), e);
        }
    }

    private SslContextHandle initialised() {
        SslContextHandle h = handle;
        if (h == null) {
            throw new IllegalStateException("SSLContext is not initialized");
        }
        return h;
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
        return new NativeSslEngine(initialised(), this, null, -1);
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String host, int port) {
        return new NativeSslEngine(initialised(), this, host, port);
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
        return new NativeSslSocketFactory(new SocketEngines(initialised(), this));
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
        return new NativeSslServerSocketFactory(new SocketEngines(initialised(), this));
    }

    /** What a client engine of this context starts with (SunJSSE answers for clients too). */
    @Override
    protected SSLParameters engineGetDefaultSSLParameters() {
        SSLEngine engine = engineCreateSSLEngine();
        engine.setUseClientMode(true);
        return engine.getSSLParameters();
    }

    /**
     * Every protocol and suite NativeTLS can be configured with; servers follow their own suite
     * order unless told otherwise, and the parameters say so, as SunJSSE's do.
     */
    @Override
    protected SSLParameters engineGetSupportedSSLParameters() {
        SSLEngine engine = engineCreateSSLEngine();
        SSLParameters supported = new SSLParameters(engine.getSupportedCipherSuites(), engine.getSupportedProtocols());
        supported.setUseCipherSuitesOrder(true);
        supported.setMaximumPacketSize(PacketSize.DEFAULT); // as SunJSSE's
        return supported;
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
        return serverSessions;
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
        return clientSessions;
    }

    String[] clientDefaultProtocols() {
        return defaults.clientProtocols.clone();
    }

    /** The protocols and suites engines of this context enable by default, per role. */
    ContextDefaults defaults() {
        return defaults;
    }

    NativeSessionContext sessionContext(boolean client) {
        return client ? clientSessions : serverSessions;
    }

    /** SSLContext "TLS": TLS 1.3 and 1.2. */
    public static final class Tls extends NativeSslContextSpi {
        public Tls() {
            super(true, Protocols.TLS13, Protocols.TLS12);
        }
    }

    /** SSLContext "TLSv1.2": clients offer TLS 1.2 only. */
    public static final class Tls12 extends NativeSslContextSpi {
        public Tls12() {
            super(false, Protocols.TLS12);
        }
    }

    /** SSLContext "TLSv1.3": TLS 1.3 and 1.2, as SunJSSE. */
    public static final class Tls13 extends NativeSslContextSpi {
        public Tls13() {
            super(false, Protocols.TLS13, Protocols.TLS12);
        }
    }

    /** SSLContext "Default": initialised from the javax.net.ssl.* system properties, as SunJSSE's. */
    public static final class DefaultContext extends NativeSslContextSpi {
        public DefaultContext() throws KeyManagementException {
            super(true, Protocols.TLS13, Protocols.TLS12);
            super.engineInit(DefaultKeyManagers.fromSystemProperties(), null, null);
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom random)
            throws KeyManagementException {
            throw new KeyManagementException("Default SSLContext is initialized automatically");
        }
    }
}
