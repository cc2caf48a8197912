package io.nativetls.testing;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * An X509ExtendedTrustManager that hands every call to a delegate, so a test's trust manager
 * overrides only the calls it watches or changes and the rest behave as the real one does.
 * {@link #onCheck} sees every certificate check first.
 */
public class ForwardingTrustManager extends X509ExtendedTrustManager {
    protected final X509ExtendedTrustManager delegate;

    public ForwardingTrustManager(X509ExtendedTrustManager delegate) {
        this.delegate = delegate;
    }

    /** Forwarding to SunJSSE's PKIX trust manager trusting the test CA. */
    public ForwardingTrustManager() {
        this(testCa());
    }

    /** SunJSSE's PKIX trust manager trusting the test CA. */
    public static X509ExtendedTrustManager testCa() {
        for (TrustManager tm : TestPki.get().trustManagers()) {
            if (tm instanceof X509ExtendedTrustManager) {
                return (X509ExtendedTrustManager) tm;
            }
        }
        throw new IllegalStateException("no X509ExtendedTrustManager");
    }

    /** Called before each of the six certificate checks is forwarded; does nothing here. */
    protected void onCheck() {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
        onCheck();
        delegate.checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
        onCheck();
        delegate.checkServerTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
        onCheck();
        delegate.checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
        onCheck();
        delegate.checkServerTrusted(chain, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        onCheck();
        delegate.checkClientTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        onCheck();
        delegate.checkServerTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return delegate.getAcceptedIssuers();
    }
}
