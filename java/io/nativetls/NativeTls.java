package io.nativetls;

import io.nativetls.internal.jsse.SessionDetails;
import io.nativetls.internal.ssl.NativeRuntime;
import java.security.Provider;
import java.security.Security;
import java.util.Optional;
import javax.net.ssl.SSLSession;

/** Whether NativeTLS can run here, why not, and the one-call installation. */
public final class NativeTls {
    private NativeTls() {}

    /**
     * True when the native library and OpenSSL 3 were loaded and OpenSSL can run TLS with the
     * configuration file it read (it parses, and every provider it activates is loaded).
     */
    public static boolean isAvailable() {
        return NativeRuntime.isLoaded();
    }

    /** What is missing and how to get it, or null when {@link #isAvailable()}. */
    public static Throwable unavailabilityCause() {
        return NativeRuntime.failure();
    }

    /** The OpenSSL version in use at run time, e.g. "OpenSSL 3.0.19 27 Jan 2026". */
    public static String openSslVersion() {
        return NativeRuntime.openSslVersion();
    }

    /**
     * Whether OpenSSL runs NativeTLS's TLS in FIPS mode, so every algorithm comes from a FIPS
     * provider: either FIPS mode was asked for with {@code -Dio.nativetls.fips=true} (NativeTLS then
     * runs in a library context of its own with OpenSSL's FIPS provider and {@code fips=yes}, and is
     * unavailable, never running outside FIPS, if that cannot start), or the OpenSSL configuration
     * file's default properties ask for FIPS implementations ({@code fips=yes}, as on a RHEL-like
     * system with FIPS turned on). False when NativeTLS is unavailable.
     * {@code java -jar nativetls.jar info} shows it with the loaded providers.
     */
    public static boolean isFipsEnabled() {
        return NativeRuntime.fipsDefaultProperties();
    }

    /**
     * The key exchange group the session's handshake negotiated, by its IANA name ("x25519",
     * "secp256r1", "X25519MLKEM768", ...), TLS 1.3 and TLS 1.2. For a resumed TLS 1.2 session,
     * which exchanges no new key, the group of the handshake that made the session; for a TLS 1.3
     * resumption, the group of its own key exchange. Empty when the session is not NativeTLS's (JSSE
     * has no such accessor), when its handshake has not completed, or when no group was used (TLS
     * 1.2 RSA key exchange).
     */
    public static Optional<String> negotiatedGroup(SSLSession session) {
        return SessionDetails.negotiatedGroup(session);
    }

    /**
     * Installs NativeTLS as the most preferred security provider (moving it there if it was
     * registered further down), once; later calls find it there.
     * Returns whether NativeTLS is installed. When the native side is unavailable it installs
     * nothing, logs one WARNING (logger "io.nativetls") saying what is missing and how to fix it,
     * and returns false: the JVM keeps its own providers, so TLS keeps working through SunJSSE.
     */
    public static boolean install() {
        if (!isAvailable()) {
            NativeRuntime.warnUnavailableOnce();
            return false;
        }
        synchronized (NativeTls.class) {
            Provider[] providers = Security.getProviders();
            if (providers.length > 0 && providers[0].getName().equals(NativeTlsProvider.NAME)) {
                return true;
            }
            // Registered further down (e.g. appended by a framework's setup) is not installed:
            // the JDK would still hand out SunJSSE's contexts. The same instance moves up.
            Provider existing = Security.getProvider(NativeTlsProvider.NAME);
            if (existing != null) {
                Security.removeProvider(NativeTlsProvider.NAME);
            }
            Security.insertProviderAt(existing != null ? existing : new NativeTlsProvider(), 1);
        }
        return true;
    }
}
