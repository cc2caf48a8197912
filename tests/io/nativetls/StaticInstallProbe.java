package io.nativetls;

import java.security.Security;
import javax.net.ssl.SSLContext;

/** Run by StaticInstallTest in a JVM whose java.security names NativeTLS first: reports what it got. */
public final class StaticInstallProbe {
    private StaticInstallProbe() {}

    public static void main(String[] args) throws Exception {
        System.out.println("first " + Security.getProviders()[0].getName());
        System.out.println("default " + SSLContext.getDefault().getProvider().getName());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, null, null);
        System.out.println("tls " + tls.getProvider().getName() + " " + String.join(",",
            tls.createSSLEngine().getSupportedProtocols()));
    }
}
