package io.nativetls.integrations.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * One self-signed EC server certificate for 127.0.0.1, made once per JVM by the JDK's keytool into a
 * PKCS12 file (frameworks are configured with a key store file, as applications are).
 */
public final class TestKeys {
    public static final String PASSWORD = "nativetls-test";
    public static final String ALIAS = "server";
    private static TestKeys instance;

    private final Path file;
    private final KeyStore keyStore;

    private TestKeys(Path file, KeyStore keyStore) {
        this.file = file;
        this.keyStore = keyStore;
    }

    public static synchronized TestKeys get() {
        if (instance == null) {
            instance = generate();
        }
        return instance;
    }

    /** The PKCS12 file, password {@link #PASSWORD}, key alias {@link #ALIAS}. */
    public Path file() {
        return file;
    }

    public KeyStore keyStore() {
        return keyStore;
    }

    /**
     * A SunJSSE client context that trusts the certificate: the clients of these tests are the JDK's
     * own, so whatever is NativeTLS's in a connection is the server side.
     */
    public SSLContext sunJsseClient() {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(keyStore);
            SSLContext context = SSLContext.getInstance("TLS", "SunJSSE");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static TestKeys generate() {
        try {
            Path dir = Files.createTempDirectory("nativetls-keys");
            Path file = dir.resolve("server.p12");
            file.toFile().deleteOnExit();
            dir.toFile().deleteOnExit();
            Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
            Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", ALIAS, "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "san=ip:127.0.0.1,dns:localhost",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", file.toString(), "-storepass", PASSWORD)
                .redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("keytool failed: " + output);
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(file)) {
                store.load(in, PASSWORD.toCharArray());
            }
            return new TestKeys(file, store);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
