package io.nativetls.diagnostics;

import io.nativetls.testing.EnginePair;
import io.nativetls.NativeTlsProvider;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.SSLException;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/**
 * Run by HandshakeLogTest in a JVM whose java.util.logging configuration it chose: makes a full
 * handshake with ALPN and SNI, a resumption, a handshake the client refuses (untrusted server)
 * and one with no common cipher suite, all NativeTLS on both sides, in memory.
 * Argument: the directory with server.p12, trust.p12 and rogue-trust.p12 (trusting another issuer).
 */
public final class HandshakeLogProbe {
    private static final char[] PASSWORD = "changeit".toCharArray();

    private HandshakeLogProbe() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        NativeTlsProvider provider = new NativeTlsProvider();
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(load(dir.resolve("server.p12")), PASSWORD);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(load(dir.resolve("trust.p12")));
        SSLContext server = SSLContext.getInstance("TLS", provider);
        server.init(kmf.getKeyManagers(), null, null);
        SSLContext client = SSLContext.getInstance("TLS", provider);
        client.init(null, tmf.getTrustManagers(), null);

        for (int i = 0; i < 2; i++) { // the second one resumes the first one's session
            report("ok", new EnginePair(alpn(client.createSSLEngine("tls.example.org", 8443), "h2", "http/1.1"),
                alpn(server.createSSLEngine(), "h2")));
        }
        TrustManagerFactory other = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        other.init(load(dir.resolve("rogue-trust.p12")));
        SSLContext distrustful = SSLContext.getInstance("TLS", provider);
        distrustful.init(null, other.getTrustManagers(), null);
        report("untrusted", new EnginePair(distrustful.createSSLEngine("tls.example.org", 8443), server.createSSLEngine()));

        SSLEngine c = client.createSSLEngine("tls.example.org", 8444);
        SSLEngine s = server.createSSLEngine();
        c.setEnabledCipherSuites(new String[] {"TLS_AES_128_GCM_SHA256"});
        s.setEnabledCipherSuites(new String[] {"TLS_AES_256_GCM_SHA384"});
        report("nosuite", new EnginePair(c, s));
    }

    private static SSLEngine alpn(SSLEngine e, String... protocols) {
        SSLParameters p = e.getSSLParameters();
        p.setApplicationProtocols(protocols);
        e.setSSLParameters(p);
        return e;
    }

    private static void report(String what, EnginePair h) {
        System.out.println(what + " " + h.settle(SSLException.class) + " client=" + h.client.failure + " server=" + h.server.failure);
    }

    private static KeyStore load(Path file) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, PASSWORD);
        }
        return ks;
    }
}
