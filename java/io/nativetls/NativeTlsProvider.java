package io.nativetls;

import io.nativetls.internal.jni.NativeLibrary;
import java.security.Provider;

/**
 * The NativeTLS security provider: {@code SSLContext} for TLS, TLSv1.2, TLSv1.3 and Default,
 * backed by the system's OpenSSL 3. When the native side is unavailable it registers nothing,
 * so the JVM falls back to its other providers.
 */
public final class NativeTlsProvider extends Provider {
    public static final String NAME = "NativeTLS";
    private static final long serialVersionUID = 1L;
    private static final String SPI = "io.nativetls.internal.jsse.NativeSslContextSpi$";

    public NativeTlsProvider() {
        super(NAME, "0.1", "TLS through the system's OpenSSL 3 (JNI)");
        if (!NativeLibrary.isLoaded()) {
            return;
        }
        putService(new Service(this, "SSLContext", "TLS", SPI + "Tls", java.util.List.of("SSL"), null));
        putService(new Service(this, "SSLContext", "TLSv1.2", SPI + "Tls12", null, null));
        putService(new Service(this, "SSLContext", "TLSv1.3", SPI + "Tls13", null, null));
        putService(new Service(this, "SSLContext", "Default", SPI + "DefaultContext", null, null));
    }
}
