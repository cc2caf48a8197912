package io.nativetls.security;

import io.nativetls.testing.Causes;
import io.nativetls.testing.EnginePair;
import io.nativetls.testing.PlainTrustManager;
import io.nativetls.security.SecuritySupport.FixedKeyManager;
import io.nativetls.testing.Contexts;
import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.TestPki;
import java.net.Socket;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Runs in a fresh JVM, where the JSSE properties under test are set from the start (SunJSSE reads
 * most of them once, when its classes load), the same scenario with SunJSSE and NativeTLS in both
 * roles, and prints one line per outcome for JdkPolicyTest to compare. Arguments: the parent's
 * PKI directory, then scenarios separated by ";", each a space-separated list:
 * <ul>
 * <li>{@code handshake serverKey km tm [clientKey] [suite]}: km "pkix" (SunJSSE's key manager) or
 *     "fixed"; tm the client's trust manager, "pkix", "ext" (an X509ExtendedTrustManager trusting
 *     all) or "plain" (a plain X509TrustManager trusting all); with a clientKey the server needs
 *     client authentication and verifies with tm, the client trusting the CAs. Prints
 *     {@code HS client server protocol OK|FAIL}.</li>
 * <li>{@code schemes serverKey}: {@code PEER client protocol algorithms} as a SunJSSE server sees the client's.</li>
 * <li>{@code defaults}: {@code DEF impl context role protocols suites} for fresh engines and sockets.</li>
 * <li>{@code extensions}: {@code EXT client server names alpn}: what the server saw of SNI and ALPN.</li>
 * <li>{@code connect port protocol suite}: {@code CONNECT impl OK|FAIL} against a server on 127.0.0.1.</li>
 * </ul>
 */
public final class PolicyProbe {
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private PolicyProbe() {}

    public static void main(String[] args) throws Exception {
        TestPki pki = TestPki.existing(Path.of(args[0]));
        for (String scenario : String.join(" ", Arrays.copyOfRange(args, 1, args.length)).split(";")) {
            String[] a = scenario.trim().split("\\s+");
            switch (a[0]) {
                case "handshake" -> handshakes(pki, a);
                case "schemes" -> schemes(pki, a[1]);
                case "defaults" -> defaults();
                case "extensions" -> extensions(pki);
                case "connect" -> connect(Integer.parseInt(a[1]), a[2], a[3]);
                default -> throw new IllegalArgumentException("unknown scenario " + a[0]);
            }
        }
    }

    private static KeyManager[] keyManagers(TestPki pki, String name, String kind) {
        if (kind.equals("pkix")) {
            return pki.keyManagers(name);
        }
        X509Certificate[] chain = {pki.certificate(name), pki.certificate(TestPki.issuerOf(name))};
        return new KeyManager[] {new FixedKeyManager("only", chain, pki.privateKey(name))};
    }

    private static TrustManager trustManager(TestPki pki, String kind) {
        switch (kind) {
            case "pkix":
                return pki.trustManagersFor("ca", "ca-rsa")[0];
            case "ext":
                return new TrustAll();
            default:
                return new PlainTrustManager(new TrustAll()); // trusts all, without the extended checks
        }
    }

    private static void handshakes(TestPki pki, String[] a) {
        String serverKey = a[1];
        String km = a[2];
        String tm = a[3];
        String clientKey = a.length > 4 && !a[4].equals("-") ? a[4] : null;
        String suite = a.length > 5 ? a[5] : null;
        for (String protocol : PROTOCOLS) {
            for (Impl c : Impl.values()) {
                for (Impl s : Impl.values()) {
                    SSLContext clientCtx = Contexts.create(c, "TLS",
                        clientKey == null ? null : keyManagers(pki, clientKey, "fixed"),
                        new TrustManager[] {clientKey == null ? trustManager(pki, tm) : trustManager(pki, "pkix")});
                    SSLContext serverCtx = Contexts.create(s, "TLS", keyManagers(pki, serverKey, km),
                        new TrustManager[] {clientKey == null ? trustManager(pki, "pkix") : trustManager(pki, tm)});
                    SSLEngine client = clientCtx.createSSLEngine("localhost", 443);
                    client.setUseClientMode(true);
                    client.setEnabledProtocols(new String[] {protocol});
                    SSLEngine server = serverCtx.createSSLEngine();
                    server.setUseClientMode(false);
                    if (clientKey != null) {
                        server.setNeedClientAuth(true);
                    }
                    if (suite != null) {
                        client.setEnabledCipherSuites(new String[] {suite});
                        server.setEnabledCipherSuites(new String[] {suite});
                    }
                    EnginePair d = new EnginePair(client, server);
                    boolean ok = d.settle(Exception.class);
                    Exception failure = d.client.failure != null ? d.client.failure : d.server.failure;
                    System.out.println("HS " + c + " " + s + " " + protocol + " " + (ok ? "OK" : "FAIL")
                        + " # " + (ok ? client.getSession().getCipherSuite() : Causes.describe(failure)));
                }
            }
        }
    }

    private static void schemes(TestPki pki, String serverKey) {
        for (String protocol : PROTOCOLS) {
            for (Impl c : Impl.values()) {
                SSLEngine client = Contexts.client(c).createSSLEngine("localhost", 443);
                client.setUseClientMode(true);
                client.setEnabledProtocols(new String[] {protocol});
                SSLEngine server = Contexts.server(Impl.SUN, serverKey).createSSLEngine();
                server.setUseClientMode(false);
                EnginePair d = new EnginePair(client, server);
                d.settle(Exception.class);
                String[] seen = ((ExtendedSSLSession) (server.getHandshakeSession() != null ? server.getHandshakeSession()
                    : server.getSession())).getPeerSupportedSignatureAlgorithms();
                System.out.println("PEER " + c + " " + protocol + " " + String.join(",", seen));
            }
        }
    }

    private static void defaults() throws Exception {
        for (Impl impl : Impl.values()) {
            for (String name : new String[] {"TLS", "TLSv1.2", "TLSv1.3", "Default"}) {
                SSLContext ctx;
                try {
                    ctx = SSLContext.getInstance(name, impl == Impl.NATIVE ? Contexts.NATIVE
                        : java.security.Security.getProvider("SunJSSE"));
                } catch (java.security.GeneralSecurityException | RuntimeException e) {
                    System.out.println("DEF " + impl + " " + name + " ERROR " + e.getClass().getSimpleName() + " # " + e);
                    continue;
                }
                if (!name.equals("Default")) {
                    ctx.init(null, null, null);
                }
                SSLEngine e = ctx.createSSLEngine();
                print(impl, name, "new-engine", e.getEnabledProtocols(), e.getEnabledCipherSuites());
                e.setUseClientMode(true);
                print(impl, name, "client-engine", e.getEnabledProtocols(), e.getEnabledCipherSuites());
                e.setUseClientMode(false);
                print(impl, name, "server-engine", e.getEnabledProtocols(), e.getEnabledCipherSuites());
                SSLParameters p = ctx.getDefaultSSLParameters();
                print(impl, name, "default-parameters", p.getProtocols(), p.getCipherSuites());
                try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket();
                     SSLServerSocket ss = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket()) {
                    print(impl, name, "socket", s.getEnabledProtocols(), s.getEnabledCipherSuites());
                    print(impl, name, "server-socket", ss.getEnabledProtocols(), ss.getEnabledCipherSuites());
                }
                print(impl, name, "factories", ctx.getSocketFactory().getDefaultCipherSuites(),
                    ctx.getServerSocketFactory().getDefaultCipherSuites());
            }
        }
    }

    private static void print(Impl impl, String context, String what, String[] protocols, String[] suites) {
        System.out.println("DEF " + impl + " " + context + " " + what + " " + String.join(",", protocols) + " "
            + String.join(",", suites));
    }

    private static void extensions(TestPki pki) {
        for (Impl c : Impl.values()) {
            for (Impl s : Impl.values()) {
                SSLEngine client = Contexts.client(c).createSSLEngine("localhost", 443);
                client.setUseClientMode(true);
                SSLParameters cp = client.getSSLParameters();
                cp.setServerNames(List.of(new SNIHostName("www.example.org")));
                cp.setApplicationProtocols(new String[] {"h2", "http/1.1"});
                client.setSSLParameters(cp);
                SSLEngine server = Contexts.server(s, "server-ec").createSSLEngine();
                server.setUseClientMode(false);
                SSLParameters sp = server.getSSLParameters();
                sp.setApplicationProtocols(new String[] {"http/1.1"});
                server.setSSLParameters(sp);
                EnginePair d = new EnginePair(client, server);
                boolean ok = d.settle(Exception.class);
                List<SNIServerName> names = ((ExtendedSSLSession) server.getSession()).getRequestedServerNames();
                String alpn = server.getApplicationProtocol();
                System.out.println("EXT " + c + " " + s + " " + (ok ? names.toString().replace(' ', '_') : "FAIL")
                    + " " + (alpn == null || alpn.isEmpty() ? "none" : alpn));
            }
        }
    }

    private static void connect(int port, String protocol, String suite) {
        for (Impl impl : Impl.values()) {
            SSLContext ctx = Contexts.create(impl, "TLS", null, new TrustManager[] {new TrustAll()});
            try (Socket plain = new Socket("127.0.0.1", port);
                 SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(plain, "localhost", port, true)) {
                s.setSoTimeout(10_000);
                s.setEnabledProtocols(new String[] {protocol});
                if (!suite.equals("-")) {
                    s.setEnabledCipherSuites(new String[] {suite});
                }
                s.startHandshake();
                System.out.println("CONNECT " + impl + " OK # " + s.getSession().getCipherSuite());
            } catch (Exception e) {
                System.out.println("CONNECT " + impl + " FAIL # " + Causes.describe(e));
            }
        }
    }

    /** Trusts every chain, and as an X509ExtendedTrustManager makes no further checks in SunJSSE. */
    static final class TrustAll extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
