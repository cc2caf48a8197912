package io.nativetls;

import io.nativetls.internal.jsse.NativeSslContextSpi;
import io.nativetls.internal.ssl.NativeRuntime;
import java.security.InvalidParameterException;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.util.List;
import java.util.concurrent.Callable;
import javax.net.ssl.SSLContextSpi;

/**
 * The NativeTLS security provider: {@code SSLContext} for TLS, TLSv1.2, TLSv1.3 and Default,
 * backed by the system's OpenSSL 3. When the native side is unavailable it registers nothing
 * (and logs one warning saying why), so the JVM falls back to its other providers.
 */
public final class NativeTlsProvider extends Provider {
    public static final String NAME = "NativeTLS";
    private static final long serialVersionUID = 1L;
    private static final String SPI = "io.nativetls.internal.jsse.NativeSslContextSpi$";

    public NativeTlsProvider() {
        super(NAME, "0.1", NativeRuntime.isLoaded() ? "TLS through the system's OpenSSL 3 (JNI)"
            : "unavailable, no services: " + NativeRuntime.failure().getMessage());
        if (!NativeRuntime.isLoaded()) {
            NativeRuntime.warnUnavailableOnce();
            return;
        }
        putService(new ContextService(this, "TLS", "Tls", List.of("SSL"), NativeSslContextSpi.Tls::new));
        putService(new ContextService(this, "TLSv1.2", "Tls12", null, NativeSslContextSpi.Tls12::new));
        putService(new ContextService(this, "TLSv1.3", "Tls13", null, NativeSslContextSpi.Tls13::new));
        putService(new ContextService(this, "Default", "DefaultContext", null, NativeSslContextSpi.DefaultContext::new));
    }

    /**
     * Constructs its SPI directly: the JDK's reflective instantiation cannot reach a class in a
     * package this module does not export, so on the module path it would fail.
     */
    private static final class ContextService extends Service {
        private final Callable<SSLContextSpi> factory;

        ContextService(Provider provider, String algorithm, String spiClass, List<String> aliases,
                       Callable<SSLContextSpi> factory) {
            super(provider, "SSLContext", algorithm, SPI + spiClass, aliases, null);
            this.factory = factory;
        }

        @Override
        public Object newInstance(Object constructorParameter) throws NoSuchAlgorithmException {
            if (constructorParameter != null) {
                throw new InvalidParameterException("SSLContext takes no constructor parameter");
            }
            try {
                return factory.call();
            } catch (Exception e) {
                throw (NoSuchAlgorithmException) new NoSuchAlgorithmException("Error constructing implementation"
                    + " (algorithm: " + getAlgorithm() + ", provider: " + NAME + "): " + e.getMessage()).initCause(e);
            }
        }
    }
}
