package io.nativetls.tomcat;

import java.security.KeyManagementException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;

/**
 * Tomcat's view of one javax.net.ssl.SSLContext. Tomcat asks it for certificate chains and accepted
 * issuers (for its monitoring and client-certificate handling), which a JSSE context does not
 * expose, so the managers it was initialised with are kept.
 */
final class TomcatSslContext implements org.apache.tomcat.util.net.SSLContext {
    private final SSLContext context;
    private final List<X509KeyManager> keyManagers = new ArrayList<>();
    private final List<X509TrustManager> trustManagers = new ArrayList<>();

    TomcatSslContext(SSLContext context) {
        this.context = context;
    }

    @Override
    public void init(KeyManager[] kms, TrustManager[] tms, SecureRandom random) throws KeyManagementException {
        context.init(kms, tms, random);
        for (KeyManager km : kms == null ? new KeyManager[0] : kms) {
            if (km instanceof X509KeyManager x) {
                keyManagers.add(x);
            }
        }
        for (TrustManager tm : tms == null ? new TrustManager[0] : tms) {
            if (tm instanceof X509TrustManager x) {
                trustManagers.add(x);
            }
        }
    }

    /** Nothing to free: the context's native memory goes with the context. */
    @Override
    public void destroy() {
    }

    @Override
    public SSLSessionContext getServerSessionContext() {
        return context.getServerSessionContext();
    }

    @Override
    public SSLEngine createSSLEngine() {
        return context.createSSLEngine();
    }

    @Override
    public SSLServerSocketFactory getServerSocketFactory() {
        return context.getServerSocketFactory();
    }

    @Override
    public SSLParameters getSupportedSSLParameters() {
        return context.getSupportedSSLParameters();
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        for (X509KeyManager km : keyManagers) {
            X509Certificate[] chain = km.getCertificateChain(alias);
            if (chain != null) {
                return chain;
            }
        }
        return null;
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        List<X509Certificate> issuers = new ArrayList<>();
        for (X509TrustManager tm : trustManagers) {
            issuers.addAll(List.of(tm.getAcceptedIssuers()));
        }
        return issuers.toArray(new X509Certificate[0]);
    }
}
