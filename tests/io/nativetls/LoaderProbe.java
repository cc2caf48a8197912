package io.nativetls;

/** Run in a forked JVM by LoaderTest: reports whether NativeTLS loaded, and what the provider offers. */
public final class LoaderProbe {
    private LoaderProbe() {}

    public static void main(String[] args) {
        NativeTlsProvider provider = new NativeTlsProvider();
        if (NativeTls.isAvailable()) {
            System.out.println("available " + NativeTls.openSslVersion());
        } else {
            System.out.println("unavailable: " + NativeTls.unavailabilityCause().getMessage()
                + (provider.getService("SSLContext", "TLS") == null ? " (no SSLContext service)" : " (SERVICE!)"));
        }
    }
}
