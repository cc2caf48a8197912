package io.nativetls;

import io.nativetls.internal.jni.NativeLibrary;
import io.nativetls.internal.jni.SslNative;
import java.security.Provider;
import java.security.Security;

/** Whether NativeTLS can run here, why not, and the one-call installation. */
public final class NativeTls {
    private static final System.Logger LOG = System.getLogger("io.nativetls");

    private NativeTls() {}

    /** True when the native library and OpenSSL 3 were loaded. */
    public static boolean isAvailable() {
        return NativeLibrary.isLoaded();
    }

    /** What is missing and how to get it, or null when {@link #isAvailable()}. */
    public static Throwable unavailabilityCause() {
        return NativeLibrary.failure();
    }

    /** The OpenSSL version in use at run time, e.g. "OpenSSL 3.0.19 27 Jan 2026". */
    public static String openSslVersion() {
        NativeLibrary.ensureLoaded();
        return SslNative.openSslVersion();
    }

    /**
     * Installs NativeTLS as the most preferred security provider. Returns false (and logs why)
     * when the native side is unavailable; the JVM then keeps its own providers.
     */
    public static boolean install() {
        if (!isAvailable()) {
            LOG.log(System.Logger.Level.WARNING, "NativeTLS not installed: " + unavailabilityCause().getMessage());
            return false;
        }
        Provider existing = Security.getProvider(NativeTlsProvider.NAME);
        if (existing != null) {
            return true;
        }
        Security.insertProviderAt(new NativeTlsProvider(), 1);
        return true;
    }
}
