package io.nativetls.bench;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;

/**
 * Endpoints of a JSSE provider: an SSLContext for each side, initialised with the JDK's default
 * key and trust manager algorithms (SunX509, PKIX) over the benchmark PKI, so every JSSE provider
 * gets the very same managers. Engines get the one protocol and suite of the configuration.
 */
public class JsseEndpoints implements Endpoints {
    /** Makes an uninitialised SSLContext of the provider. */
    public interface ContextFactory {
        SSLContext create() throws Exception;
    }

    protected final Tls tls;
    protected final SSLContext clientContext;
    protected final SSLContext serverContext;

    public JsseEndpoints(ContextFactory factory, Tls tls) throws Exception {
        this(factory, tls, Pki.get().keyManagers(tls.keyType), Pki.get().trustManagers());
    }

    /**
     * With the server's key managers and the client's trust managers given, for the providers
     * that cannot use the JDK's (see ConscryptPeer and BcJssePeer).
     */
    public JsseEndpoints(ContextFactory factory, Tls tls, KeyManager[] serverKeys, TrustManager[] clientTrust)
        throws Exception {
        this.tls = tls;
        Pki pki = Pki.get();
        serverContext = factory.create();
        serverContext.init(serverKeys, pki.trustManagers(), null);
        clientContext = factory.create();
        clientContext.init(null, clientTrust, null);
    }

    @Override
    public SSLEngine client(String host, int port) {
        SSLEngine e = host == null ? clientContext.createSSLEngine() : clientContext.createSSLEngine(host, port);
        e.setUseClientMode(true);
        configure(e);
        return e;
    }

    @Override
    public SSLEngine server() {
        SSLEngine e = serverContext.createSSLEngine();
        e.setUseClientMode(false);
        configure(e);
        return e;
    }

    protected void configure(SSLEngine e) {
        e.setEnabledProtocols(tls.protocols());
        e.setEnabledCipherSuites(tls.suites());
    }
}
