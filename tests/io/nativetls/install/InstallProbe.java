package io.nativetls.install;

import io.nativetls.NativeTls;
import io.nativetls.NativeTlsProvider;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.Security;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * Run in a fresh JVM by the installation tests: reports, one "key value" line each, how NativeTLS
 * was found and installed, then makes a TLS handshake over 127.0.0.1 with the most preferred
 * provider's SSLContext. Uses only public API, so it runs against the named module too.
 * Arguments: the directory with server.p12 and trust.p12, then optionally "install" or
 * "install-after-append" (NativeTLS appended to the provider list first).
 */
public final class InstallProbe {
    private static final char[] PASSWORD = "changeit".toCharArray();

    private InstallProbe() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        for (Provider p : ServiceLoader.load(Provider.class)) {
            if (p.getName().equals(NativeTlsProvider.NAME)) {
                System.out.println("serviceloader " + p.getName() + " " + moduleOf(p.getClass()));
            }
        }
        System.out.println("module " + moduleOf(NativeTlsProvider.class));
        if (args.length > 1 && args[1].startsWith("install")) {
            if (args[1].equals("install-after-append")) {
                // registered already, but last: install() must still make it the default
                Security.addProvider(new NativeTlsProvider());
            }
            System.out.println("install " + NativeTls.install());
            System.out.println("registered " + java.util.Arrays.stream(Security.getProviders())
                .filter(p -> p.getName().equals(NativeTlsProvider.NAME)).count());
        }
        System.out.println("available " + NativeTls.isAvailable());
        if (!NativeTls.isAvailable()) {
            System.out.println("cause " + NativeTls.unavailabilityCause().getMessage());
        }
        System.out.println("first " + Security.getProviders()[0].getName());
        Provider named = Security.getProvider(NativeTlsProvider.NAME);
        System.out.println("named " + (named == null ? "none" : named.getName() + " services=" + named.getServices().size()));
        System.out.println("default " + SSLContext.getDefault().getProvider().getName());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, null, null);
        System.out.println("tls " + tls.getProvider().getName() + " " + String.join(",",
            tls.createSSLEngine().getSupportedProtocols()));
        try {
            SSLContext.getInstance("TLS", new NativeTlsProvider());
            System.out.println("direct ok");
        } catch (NoSuchAlgorithmException e) {
            System.out.println("direct NoSuchAlgorithmException " + e.getMessage());
        }
        handshake(dir);
    }

    private static String moduleOf(Class<?> c) {
        return c.getModule().isNamed() ? c.getModule().getName() : "unnamed";
    }

    /** One handshake and a one-byte echo between a server and a client socket of one context. */
    private static void handshake(Path dir) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(load(dir.resolve("server.p12")), PASSWORD);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(load(dir.resolve("trust.p12")));
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (SSLServerSocket server = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 1, loopback)) {
            server.setSoTimeout(20_000);
            CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
                try (SSLSocket s = (SSLSocket) server.accept()) {
                    s.setSoTimeout(20_000);
                    s.getOutputStream().write(s.getInputStream().read());
                    s.getOutputStream().flush();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            String result;
            try (SSLSocket client = (SSLSocket) ctx.getSocketFactory().createSocket(loopback, server.getLocalPort())) {
                client.setSoTimeout(20_000);
                client.startHandshake();
                client.getOutputStream().write(42);
                client.getOutputStream().flush();
                int echoed = client.getInputStream().read();
                result = ctx.getProvider().getName() + " " + client.getSession().getProtocol() + " "
                    + client.getSession().getCipherSuite() + " echo=" + echoed;
            }
            // After the client's close: SunJSSE's server socket waits in close() for the peer's close_notify.
            served.get(20, TimeUnit.SECONDS);
            System.out.println("handshake " + result);
        }
    }

    private static KeyStore load(Path file) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, PASSWORD);
        }
        return ks;
    }
}
