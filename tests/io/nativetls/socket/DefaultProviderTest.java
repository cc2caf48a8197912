package io.nativetls.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.testing.ChildProcess;
import io.nativetls.testing.Tags;
import io.nativetls.testing.TestPki;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * NativeTLS as the highest-priority provider serves HttpsURLConnection and HttpClient through
 * SSLContext.getDefault() and the javax.net.ssl trust store properties, in a fresh JVM (the JDK
 * caches its default factories, so this cannot share the test JVM).
 */
@Timeout(120)
@Tag(Tags.JVM)
class DefaultProviderTest {
    private static Path trustStore() throws Exception {
        Path file = TestPki.get().dir.resolve("default-truststore.p12");
        if (!Files.exists(file)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setCertificateEntry("ca", TestPki.get().certificate("ca"));
            try (OutputStream out = Files.newOutputStream(file)) {
                ks.store(out, TestPki.PASSWORD);
            }
        }
        return file;
    }

    private static List<String> probe(String url) throws Exception {
        List<String> cmd = ChildProcess.java(List.of("-Djavax.net.ssl.trustStore=" + trustStore(),
            "-Djavax.net.ssl.trustStorePassword=" + new String(TestPki.PASSWORD), "-Djavax.net.ssl.trustStoreType=PKCS12",
            "-cp", System.getProperty("java.class.path"), DefaultProviderProbe.class.getName(), url));
        ChildProcess.Result r = ChildProcess.in(null).charset(StandardCharsets.UTF_8).run(cmd, null, Duration.ofSeconds(90));
        String out = r.output;
        assertTrue(r.exit >= 0, out);
        assertEquals(0, r.exit, out);
        List<String> lines = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.startsWith("default ") || line.startsWith("urlconnection ") || line.startsWith("httpclient ")) {
                lines.add(line.trim());
            }
        }
        assertEquals(3, lines.size(), out);
        return lines;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void defaultClientsUseNativeTls(String protocol) throws Exception {
        try (ChildProcess server = SocketSupport.wwwServer(TestPki.get().dir, "server-ec",
            protocol.equals("TLSv1.3") ? "-tls1_3" : "-tls1_2")) {
            List<String> lines = probe("https://localhost:" + server.port() + "/");
            assertEquals("default NativeTLS", lines.get(0));
            assertTrue(lines.get(1).startsWith("urlconnection 200 TLS_") && lines.get(1).endsWith(" true"),
                lines + "\n" + server.output());
            assertEquals("httpclient 200 NativeTLS " + protocol + " true", lines.get(2), server.output());
        }
    }

    @Test
    void untrustedServerFailsTheHandshake() throws Exception {
        try (ChildProcess server = SocketSupport.wwwServer(TestPki.get().dir, "rogue", "-tls1_3")) {
            List<String> lines = probe("https://localhost:" + server.port() + "/");
            assertEquals("urlconnection failed javax.net.ssl.SSLHandshakeException", lines.get(1));
            assertEquals("httpclient failed javax.net.ssl.SSLHandshakeException", lines.get(2));
        }
    }
}
