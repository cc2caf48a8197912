package io.nativetls.fips;

import io.nativetls.NativeTls;
import io.nativetls.NativeTlsProvider;
import io.nativetls.internal.ssl.NativeRuntime;
import javax.net.ssl.SSLContext;

/**
 * Run in a fresh JVM by FipsFailClosedTest: one line saying whether NativeTLS started, in FIPS mode
 * or not, whether it could be installed, whether an SSLContext of it can be had, and why not.
 */
public final class FipsProbe {
    private FipsProbe() {}

    public static void main(String[] args) {
        NativeTlsProvider provider = new NativeTlsProvider();
        String context;
        try {
            context = SSLContext.getInstance("TLS", provider).getProvider().getName();
        } catch (Exception e) {
            context = e.getClass().getSimpleName();
        }
        System.out.println("available=" + NativeTls.isAvailable() + " fipsMode=" + NativeRuntime.fipsMode()
            + " fipsEnabled=" + NativeTls.isFipsEnabled() + " install=" + NativeTls.install() + " context=" + context
            + " cause=" + (NativeTls.isAvailable() ? "none" : NativeTls.unavailabilityCause().getMessage()));
    }
}
