package io.nativetls.jdbc;

import io.nativetls.NativeTls;
import io.nativetls.NativeTlsProvider;
import java.security.Provider;
import java.security.Security;

/**
 * NativeTLS installed as the most preferred provider (what an application does with
 * NativeTls.install()) for one test class, then put back where it was: the other test classes in
 * this JVM expect SunJSSE to be the default.
 */
final class NativeTlsFirst implements AutoCloseable {
    private final int formerPosition;

    private NativeTlsFirst(int formerPosition) {
        this.formerPosition = formerPosition;
    }

    static NativeTlsFirst install() {
        Provider[] providers = Security.getProviders();
        int former = 0;
        for (int i = 0; i < providers.length; i++) {
            if (providers[i].getName().equals(NativeTlsProvider.NAME)) {
                former = i + 1;
            }
        }
        if (!NativeTls.install()) {
            throw new IllegalStateException("NativeTLS is not available", NativeTls.unavailabilityCause());
        }
        return new NativeTlsFirst(former);
    }

    @Override
    public void close() {
        Provider installed = Security.getProvider(NativeTlsProvider.NAME);
        Security.removeProvider(NativeTlsProvider.NAME);
        if (formerPosition > 0 && installed != null) {
            Security.insertProviderAt(installed, formerPosition);
        }
    }
}
