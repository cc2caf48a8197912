package io.nativetls.frameworks;

import io.nativetls.testing.Contexts;
import java.security.GeneralSecurityException;
import java.security.KeyManagementException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.apache.tomcat.util.net.SSLUtil;
import org.apache.tomcat.util.net.jsse.JSSEImplementation;
import org.apache.tomcat.util.net.jsse.JSSEUtil;

/**
 * Tomcat's JSSE implementation with NativeTLS contexts, named on the connector by
 * {@code sslImplementationName}. Tomcat still builds the key and trust managers from the
 * SSLHostConfig (key stores, PEM files) and sets protocols, suites and ALPN on every engine; only
 * the SSLContext comes from NativeTLS. Tomcat's own JSSE implementation has no setting for a
 * provider: it calls {@code SSLContext.getInstance(protocol)}.
 */
public class NativeTlsTomcatImplementation extends JSSEImplementation {
    /** Every engine Tomcat made through this class, so tests can look at the server side. */
    static final ConcurrentLinkedQueue<SSLEngine> ENGINES = new ConcurrentLinkedQueue<>();

    @Override
    public SSLUtil getSSLUtil(SSLHostConfigCertificate certificate) {
        return new NativeTlsUtil(certificate);
    }

    /** Tomcat's JSSEUtil, asked for NativeTLS's contexts, protocols and suites instead of the default provider's. */
    static final class NativeTlsUtil extends JSSEUtil {
        NativeTlsUtil(SSLHostConfigCertificate certificate) {
            super(certificate);
        }

        @Override
        public org.apache.tomcat.util.net.SSLContext createSSLContextInternal(List<String> negotiableProtocols)
            throws java.security.NoSuchAlgorithmException {
            return new Context(SSLContext.getInstance(sslHostConfig.getSslProtocol(), Contexts.NATIVE));
        }

        // Called from the superclass constructor: must not use fields of this class.
        @Override
        protected Set<String> getImplementedProtocols() {
            return new LinkedHashSet<>(List.of(Supported.PARAMETERS.getProtocols()));
        }

        @Override
        protected Set<String> getImplementedCiphers() {
            return new LinkedHashSet<>(List.of(Supported.PARAMETERS.getCipherSuites()));
        }
    }

    private static final class Supported {
        static final SSLParameters PARAMETERS;

        static {
            try {
                SSLContext probe = SSLContext.getInstance("TLS", Contexts.NATIVE);
                probe.init(null, null, null);
                PARAMETERS = probe.getSupportedSSLParameters();
            } catch (GeneralSecurityException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
    }

    /** Tomcat's view of one javax.net.ssl.SSLContext. */
    static final class Context implements org.apache.tomcat.util.net.SSLContext {
        private final SSLContext context;
        private final List<X509KeyManager> keyManagers = new ArrayList<>();
        private final List<X509TrustManager> trustManagers = new ArrayList<>();

        Context(SSLContext context) {
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

        @Override
        public void destroy() {
        }

        @Override
        public SSLSessionContext getServerSessionContext() {
            return context.getServerSessionContext();
        }

        @Override
        public SSLEngine createSSLEngine() {
            SSLEngine engine = context.createSSLEngine();
            ENGINES.add(engine);
            return engine;
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
}
