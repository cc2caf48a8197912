package io.nativetls.tomcat;

import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLContext;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.apache.tomcat.util.net.jsse.JSSEUtil;

/** Tomcat's JSSEUtil, asked for NativeTLS's contexts, protocols and suites instead of the default provider's. */
final class NativeTlsUtil extends JSSEUtil {
    NativeTlsUtil(SSLHostConfigCertificate certificate) {
        super(certificate);
    }

    @Override
    public org.apache.tomcat.util.net.SSLContext createSSLContextInternal(List<String> negotiableProtocols)
        throws NoSuchAlgorithmException {
        return new TomcatSslContext(SSLContext.getInstance(sslHostConfig.getSslProtocol(), ProviderLookup.get()));
    }

    // Both are called from the superclass constructor: they may not use fields of this class.
    @Override
    protected Set<String> getImplementedProtocols() {
        return new LinkedHashSet<>(List.of(ProviderLookup.supported().getProtocols()));
    }

    @Override
    protected Set<String> getImplementedCiphers() {
        return new LinkedHashSet<>(List.of(ProviderLookup.supported().getCipherSuites()));
    }
}
