package com.example.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.NativeTls;
import io.nativetls.NativeTlsProvider;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user of the published artifact does: install the provider, take an SSLContext the
 * ordinary way and talk TLS, here to a SunJSSE server on 127.0.0.1. Nothing of the NativeTLS build
 * tree is on this project's class path: only what Maven resolved by coordinates.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConsumerHandshakeTest {
    private static final char[] PASSWORD = "consumer".toCharArray();

    @TempDir
    static Path dir;
    private static KeyStore serverKeys;

    /** A self-signed EC certificate for 127.0.0.1, made by the JDK's keytool as a user would. */
    @BeforeAll
    static void makeCertificate() throws Exception {
        Path store = dir.resolve("server.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "server", "-keyalg", "EC",
            "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "san=ip:127.0.0.1", "-validity", "2",
            "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", new String(PASSWORD))
            .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "keytool did not finish");
        assertEquals(0, p.exitValue(), "keytool failed: " + output);
        serverKeys = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(store)) {
            serverKeys.load(in, PASSWORD);
        }
    }

    @Test
    void installedProviderServesTheDefaultSslContext() throws Exception {
        assertTrue(NativeTls.install(), () -> "NativeTLS is unavailable: " + NativeTls.unavailabilityCause());

        SSLContext server = SSLContext.getInstance("TLS", "SunJSSE");
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(serverKeys, PASSWORD);
        server.init(kmf.getKeyManagers(), null, null);

        // No provider named: after install() the JDK hands out NativeTLS's context.
        SSLContext client = SSLContext.getInstance("TLS");
        assertEquals(NativeTlsProvider.NAME, client.getProvider().getName());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(serverKeys);
        client.init(null, tmf.getTrustManagers(), null);

        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (SSLServerSocket listener = (SSLServerSocket) server.getServerSocketFactory()
                .createServerSocket(0, 1, loopback)) {
            CompletableFuture<SSLSession> served = CompletableFuture.supplyAsync(() -> echoOnce(listener));
            SSLSession session;
            try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket()) {
                socket.connect(new InetSocketAddress(loopback, listener.getLocalPort()), 10_000);
                socket.setSoTimeout(10_000);
                SSLParameters params = socket.getSSLParameters();
                params.setEndpointIdentificationAlgorithm("HTTPS");
                socket.setSSLParameters(params);

                Writer out = new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8);
                out.write("hello from the consumer\n");
                out.flush();
                String echoed = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.UTF_8)).readLine();
                assertEquals("hello from the consumer", echoed);

                session = socket.getSession();
                // The classes behind the standard interfaces are NativeTLS's own.
                assertTrue(socket.getClass().getName().startsWith("io.nativetls."), socket.getClass().getName());
            }
            assertTrue(session.getClass().getName().startsWith("io.nativetls."), session.getClass().getName());
            assertEquals("TLSv1.3", session.getProtocol());
            // Closed first: SunJSSE's server socket waits for the client's close_notify in close().
            SSLSession serverSide = served.get(20, TimeUnit.SECONDS);
            assertEquals(serverSide.getCipherSuite(), session.getCipherSuite());
        }
    }

    /** The -sources and -javadoc jars were published beside the jar and hold the API. */
    @Test
    void sourcesAndJavadocArePublished() throws Exception {
        List<String> classPath = List.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator));
        String sources = classPath.stream().filter(e -> e.endsWith("-sources.jar")).findFirst().orElse(null);
        String javadoc = classPath.stream().filter(e -> e.endsWith("-javadoc.jar")).findFirst().orElse(null);
        assertNotNull(sources, "no -sources.jar resolved: " + classPath);
        assertNotNull(javadoc, "no -javadoc.jar resolved: " + classPath);
        try (JarFile jar = new JarFile(sources)) {
            assertNotNull(jar.getEntry("io/nativetls/NativeTls.java"), "sources jar without NativeTls.java");
        }
        try (JarFile jar = new JarFile(javadoc)) {
            assertTrue(jar.stream().anyMatch(e -> e.getName().endsWith("io/nativetls/NativeTls.html")),
                "javadoc jar without NativeTls.html");
            assertTrue(jar.stream().noneMatch(e -> e.getName().contains("/internal/")),
                "javadoc jar documents internal packages");
        }
    }

    private static SSLSession echoOnce(SSLServerSocket listener) {
        try {
            listener.setSoTimeout(20_000);
            try (SSLSocket accepted = (SSLSocket) listener.accept()) {
                accepted.setSoTimeout(10_000);
                String line = new BufferedReader(new InputStreamReader(accepted.getInputStream(),
                    StandardCharsets.UTF_8)).readLine();
                OutputStream out = accepted.getOutputStream();
                out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                return accepted.getSession();
            }
        } catch (Exception e) {
            throw new IllegalStateException("the SunJSSE server failed", e);
        }
    }
}
