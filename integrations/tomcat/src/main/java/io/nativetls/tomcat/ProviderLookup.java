package io.nativetls.tomcat;

import io.nativetls.NativeTlsProvider;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.Security;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The NativeTLS provider Tomcat's contexts come from: the one registered in java.security.Security
 * when there is one (so an application's NativeTls.install() and this adapter share it), else one
 * of this adapter's own, unregistered, so nothing else in the JVM changes provider.
 */
final class ProviderLookup {
    private ProviderLookup() {}

    static Provider get() {
        Provider registered = Security.getProvider(NativeTlsProvider.NAME);
        return registered != null ? registered : Own.PROVIDER;
    }

    /** What NativeTLS supports: Tomcat chooses its protocols and suites among these. */
    static SSLParameters supported() {
        return Supported.PARAMETERS;
    }

    private static final class Own {
        static final Provider PROVIDER = new NativeTlsProvider();
    }

    private static final class Supported {
        static final SSLParameters PARAMETERS;

        static {
            try {
                SSLContext probe = SSLContext.getInstance("TLS", get());
                probe.init(null, null, null);
                PARAMETERS = probe.getSupportedSSLParameters();
            } catch (GeneralSecurityException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
    }
}
