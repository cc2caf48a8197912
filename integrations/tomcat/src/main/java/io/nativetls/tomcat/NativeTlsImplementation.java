package io.nativetls.tomcat;

import io.nativetls.NativeTls;
import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.apache.tomcat.util.net.SSLUtil;
import org.apache.tomcat.util.net.jsse.JSSEImplementation;

/**
 * Tomcat's JSSE implementation with NativeTLS's SSLContexts. Name it on a connector:
 * {@code sslImplementationName="io.nativetls.tomcat.NativeTlsImplementation"}. Tomcat has no
 * setting for a JSSE provider (its own implementation calls {@code SSLContext.getInstance(protocol)}),
 * hence this class.
 *
 * <p>Tomcat still does everything else as with its JSSE implementation: it reads the key stores or
 * PEM files of the {@code SSLHostConfig}, builds the key and trust managers, and sets protocols,
 * cipher suites, client authentication and ALPN (h2) on every engine. Only the SSLContext is
 * NativeTLS's, and the protocols and suites Tomcat may choose from are NativeTLS's.
 *
 * <p>Where NativeTLS cannot run (no native library for the platform, no OpenSSL 3), it logs one
 * WARNING (logger {@code io.nativetls.tomcat}) and Tomcat's own JSSE implementation serves, so the
 * connector still starts.
 */
public class NativeTlsImplementation extends JSSEImplementation {
    private static final System.Logger LOG = System.getLogger("io.nativetls.tomcat");
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    /** Tomcat instantiates it by name. */
    public NativeTlsImplementation() {}

    @Override
    public SSLUtil getSSLUtil(SSLHostConfigCertificate certificate) {
        if (!NativeTls.isAvailable()) {
            if (WARNED.compareAndSet(false, true)) {
                LOG.log(Level.WARNING, "NativeTLS is unavailable, Tomcat's JSSE implementation serves instead: {0}",
                    NativeTls.unavailabilityCause().getMessage());
            }
            return super.getSSLUtil(certificate);
        }
        return new NativeTlsUtil(certificate);
    }
}
