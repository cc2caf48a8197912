package io.nativetls.spring.boot;

import io.nativetls.NativeTls;
import io.nativetls.NativeTlsProvider;
import java.lang.System.Logger.Level;
import java.security.Provider;
import java.security.Security;
import org.springframework.core.env.Environment;

/**
 * Whether this application's servers use NativeTLS, and why not: turned off by
 * {@code nativetls.enabled=false}, or NativeTLS cannot run here. Says so once, at INFO, when the
 * context starts. When in use, NativeTLS is registered in java.security.Security at the end of the
 * list (Jetty looks providers up by name), so nothing that does not ask for it changes provider.
 */
public final class NativeTlsStatus {
    /** The property that turns the adapter off. */
    public static final String ENABLED = "nativetls.enabled";
    private static final System.Logger LOG = System.getLogger("io.nativetls.spring.boot");

    private final boolean inUse;
    private final String description;
    private final Provider provider;

    NativeTlsStatus(Environment environment) {
        boolean enabled = environment.getProperty(ENABLED, Boolean.class, true);
        if (!enabled) {
            inUse = false;
            provider = null;
            description = "NativeTLS is off (" + ENABLED + "=false): the JDK's TLS serves";
        } else if (!NativeTls.isAvailable()) {
            inUse = false;
            provider = null;
            description = "NativeTLS is unavailable, the JDK's TLS serves: "
                + NativeTls.unavailabilityCause().getMessage();
        } else {
            inUse = true;
            provider = registered();
            description = "NativeTLS is in use for the embedded web server and SSL bundles ("
                + NativeTls.openSslVersion() + ")";
        }
        LOG.log(Level.INFO, description);
    }

    private static Provider registered() {
        synchronized (Security.class) {
            Provider existing = Security.getProvider(NativeTlsProvider.NAME);
            if (existing != null) {
                return existing;
            }
            Provider created = new NativeTlsProvider();
            Security.addProvider(created);
            return created;
        }
    }

    /** True when the servers are switched to NativeTLS. */
    public boolean inUse() {
        return inUse;
    }

    /** The line logged at startup. */
    public String description() {
        return description;
    }

    /** The NativeTLS provider, registered in java.security.Security; null when not {@link #inUse()}. */
    public Provider provider() {
        return provider;
    }
}
