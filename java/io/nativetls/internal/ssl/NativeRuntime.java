package io.nativetls.internal.ssl;

import io.nativetls.internal.jni.NativeLibrary;
import io.nativetls.internal.jni.SslNative;
import javax.net.ssl.SSLException;

/**
 * The native library as the layers above this one see it: whether it runs, why not, and the few
 * facts about it that the public API and the tool report. Nothing above internal.ssl touches
 * internal.jni (LayeringTest checks), so the JNI surface can change without them.
 */
public final class NativeRuntime {
    private NativeRuntime() {}

    /** The library and OpenSSL 3 are loaded and usable. */
    public static boolean isLoaded() {
        return NativeLibrary.isLoaded();
    }

    /** Why the native side is unavailable (what is missing and how to get it), or null. */
    public static Throwable failure() {
        return NativeLibrary.failure();
    }

    /** Logs, once per JVM, the WARNING that says why NativeTLS is unavailable. */
    public static void warnUnavailableOnce() {
        NativeLibrary.warnUnavailableOnce();
    }

    /** Where the library was loaded from (for diagnostics). */
    public static String loadedFrom() {
        return NativeLibrary.loadedFrom();
    }

    /** The OpenSSL version in use; throws what the loader met when the library is unavailable. */
    public static String openSslVersion() {
        NativeLibrary.ensureLoaded();
        return SslNative.openSslVersion();
    }

    /** Facts about the native build and the OpenSSL it runs with, as name/value lines. */
    public static String[] libraryInfo() throws SSLException {
        return SslNative.libraryInfo();
    }

    /** The providers OpenSSL has loaded, "name\tversion\tactive|inactive" each, in its order. */
    public static String[] providers() throws SSLException {
        NativeLibrary.ensureLoaded();
        return SslNative.providers();
    }

    /**
     * Whether the default properties of the library context NativeTLS runs in ask for fips=yes (its
     * own in FIPS mode, else OpenSSL's default one as the configuration file set it); false when the
     * library is unavailable.
     */
    public static boolean fipsDefaultProperties() {
        return NativeLibrary.isLoaded() && SslNative.fipsDefaultProperties();
    }

    /** Whether FIPS mode (io.nativetls.fips=true) is running: NativeTLS's own library context with the FIPS provider. */
    public static boolean fipsMode() {
        return NativeLibrary.isLoaded() && SslNative.ownLibraryContext();
    }

    /** The OSSL_LIB_CTX address NativeTLS runs in, 0 for OpenSSL's default; for tests that ask libcrypto directly. */
    public static long libraryContextAddress() {
        NativeLibrary.ensureLoaded();
        return SslNative.libraryContextAddress();
    }

    /** A fresh self-signed certificate and key for host: {certificate DER, PKCS#8 key DER}. */
    public static byte[][] selfSignedCertificate(String host) throws SSLException {
        return SslNative.selfSignedCertificate(host);
    }
}
