package io.nativetls.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.testing.ChildProcess;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The server command loads keys in the forms the openssl CLI writes (PKCS#8 and traditional, EC and
 * RSA) and serves with them; encrypted keys and mismatched pairs fail with a clear message.
 */
@Timeout(120)
class PemKeysTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;

    @BeforeAll
    static void makeKeys() throws Exception {
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "ec.key");
        openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "rsa.key");
        openssl("ec", "-in", "ec.key", "-out", "ec-traditional.key");
        openssl("rsa", "-in", "rsa.key", "-traditional", "-out", "rsa-traditional.key");
        openssl("ecparam", "-name", "secp384r1", "-genkey", "-out", "ecparam.key");
        openssl("pkcs8", "-topk8", "-in", "ec.key", "-passout", "pass:secret", "-out", "encrypted-pkcs8.key");
        openssl("ec", "-in", "ec.key", "-aes128", "-passout", "pass:secret", "-out", "encrypted-traditional.key");
        for (String key : List.of("ec", "rsa", "ec-traditional", "rsa-traditional", "ecparam")) {
            openssl("req", "-x509", "-new", "-key", key + ".key", "-subj", "/CN=localhost", "-addext",
                "subjectAltName=DNS:localhost,IP:127.0.0.1", "-days", "2", "-out", key + ".pem");
        }
    }

    private static void openssl(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        ChildProcess.Result r = ChildProcess.in(dir).systemLibraries().run(cmd, null, Duration.ofSeconds(40));
        assertEquals(0, r.exit, String.join(" ", cmd) + ": " + r);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"ec, PRIVATE KEY", "rsa, PRIVATE KEY", "ec-traditional, EC PRIVATE KEY",
        "rsa-traditional, RSA PRIVATE KEY", "ecparam, EC PRIVATE KEY"})
    void servesWithTheKey(String name, String pemLabel) throws Exception {
        assertTrue(Files.readString(dir.resolve(name + ".key")).contains("-----BEGIN " + pemLabel + "-----\n"),
            "openssl wrote another form than the test means to cover");
        Path cert = dir.resolve(name + ".pem");
        ToolRun server = ToolRun.start("server", "--port", "0", "--requests", "1", "--cert", cert.toString(),
            "--key", dir.resolve(name + ".key").toString());
        String port = server.awaitOut(Pattern.compile("Listening on https://127\\.0\\.0\\.1:(\\d+)/"), WAIT);
        assertNotNull(port, server.describe());
        X509Certificate expected = (X509Certificate) CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(cert)));

        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", expected);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(trust);
        SSLContext sun = SSLContext.getInstance("TLS", "SunJSSE");
        sun.init(null, tmf.getTrustManagers(), null);
        String response;
        try (SSLSocket s = (SSLSocket) sun.getSocketFactory().createSocket("127.0.0.1", Integer.parseInt(port))) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            out.write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(expected, s.getSession().getPeerCertificates()[0]);
        }
        assertTrue(response.startsWith("HTTP/1.1 200 OK\r\n"), response);
        assertTrue(response.contains("\nprotocol:      TLSv1.3\n"), response);
        assertTrue(server.await(WAIT), server.describe());
        assertEquals(0, server.exit(), server.describe());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"encrypted-pkcs8", "encrypted-traditional"})
    void encryptedKeyGetsTheConversionCommand(String name) throws Exception {
        ToolRun r = ToolRun.run("server", "--port", "0", "--requests", "1", "--cert",
            dir.resolve("ec.pem").toString(), "--key", dir.resolve(name + ".key").toString());
        assertEquals(1, r.exit(), r.describe());
        assertTrue(r.err().contains("is an encrypted private key"), r.describe());
        assertTrue(r.err().contains("openssl pkcs8 -topk8 -nocrypt -in "), r.describe());
        assertEquals(1, r.err().lines().count(), r.describe());
    }

    @Test
    void keyOfAnotherCertificateIsRefused() throws Exception {
        ToolRun r = ToolRun.run("server", "--port", "0", "--requests", "1", "--cert",
            dir.resolve("ec.pem").toString(), "--key", dir.resolve("ecparam.key").toString());
        assertEquals(1, r.exit(), r.describe());
        assertTrue(r.err().contains("does not belong to the first certificate (CN=localhost)"), r.describe());
    }

    @Test
    void notAPemFile() throws Exception {
        Path junk = dir.resolve("junk.pem");
        Files.writeString(junk, "hello\n");
        ToolRun r = ToolRun.run("server", "--port", "0", "--cert", dir.resolve("ec.pem").toString(), "--key",
            junk.toString());
        assertEquals(1, r.exit(), r.describe());
        assertTrue(r.err().contains("holds no PEM private key"), r.describe());
    }
}
