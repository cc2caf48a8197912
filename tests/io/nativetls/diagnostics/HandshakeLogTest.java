package io.nativetls.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.install.ForkedJvm;
import io.nativetls.testing.Tags;
import io.nativetls.testing.TestPki;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The handshake log as a user turns it on: a logging.properties setting the logger "io.nativetls"
 * to FINE (System.Logger's DEBUG on java.util.logging) and a file handler, in a fresh JVM running
 * HandshakeLogProbe. One line per handshake, done or failed, never a WARNING; nothing at INFO.
 */
@Timeout(120)
@Tag(Tags.JVM)
class HandshakeLogTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void keyStores() throws Exception {
        ForkedJvm.writeKeyStores(dir);
        KeyStore rogue = KeyStore.getInstance("PKCS12");
        rogue.load(null, null);
        rogue.setCertificateEntry("rogue", TestPki.get().certificate("rogue"));
        try (OutputStream out = Files.newOutputStream(dir.resolve("rogue-trust.p12"))) {
            rogue.store(out, TestPki.PASSWORD);
        }
    }

    /** Runs the probe with io.nativetls at level; returns the log file's lines. */
    private static List<String> logAt(String level) throws Exception {
        Path log = dir.resolve("nativetls-" + level + ".log");
        Path config = dir.resolve("logging-" + level + ".properties");
        Files.writeString(config, String.join("\n",
            "handlers=java.util.logging.FileHandler",
            "java.util.logging.FileHandler.pattern=" + log,
            "java.util.logging.FileHandler.level=ALL",
            "java.util.logging.FileHandler.formatter=java.util.logging.SimpleFormatter",
            "java.util.logging.SimpleFormatter.format=%4$s %5$s%n",
            ".level=INFO",
            "io.nativetls.level=" + level, ""));
        String out = ForkedJvm.run(List.of("-Djava.util.logging.config.file=" + config,
            "-cp", System.getProperty("java.class.path"), HandshakeLogProbe.class.getName(), dir.toString()));
        assertTrue(out.contains("ok true"), out);
        assertTrue(out.contains("untrusted false"), out);
        assertTrue(out.contains("nosuite false"), out);
        // java.util.logging opens the file only when something is logged.
        return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
    }

    private static List<String> matching(List<String> lines, String... parts) {
        return lines.stream().filter(l -> List.of(parts).stream().allMatch(l::contains)).collect(Collectors.toList());
    }

    @Test
    void debugLogsOneLinePerHandshakeWithWhatWasNegotiated() throws Exception {
        List<String> log = logAt("FINE");
        String all = String.join("\n", log);
        assertTrue(matching(log, "WARNING").isEmpty(), all);

        String clientDone = "FINE TLS handshake done: role=client peer=tls.example.org:8443 protocol=TLSv1.3 suite=TLS_";
        List<String> client = matching(log, clientDone, " alpn=h2 sni=tls.example.org ", "peerSubject=\"CN=localhost\"");
        assertEquals(2, client.size(), all);
        assertTrue(client.get(0).contains(" resumed=false "), all);
        assertTrue(client.get(1).contains(" resumed=true "), all);
        List<String> server = matching(log, "FINE TLS handshake done: role=server peer=unknown protocol=TLSv1.3 suite=TLS_",
            " alpn=h2 sni=tls.example.org ", "peerSubject=\"none\"");
        assertEquals(2, server.size(), all);
        assertTrue(server.get(0).contains(" resumed=false "), all);
        assertTrue(server.get(1).contains(" resumed=true "), all);

        List<String> failed = matching(log, "FINE TLS handshake failed: ", " exception=SSLHandshakeException reason=\"");
        assertEquals(4, failed.size(), all);
        // The client refuses the server's certificate: its reason, what its trust manager said, the alert it sent;
        // the server reads that alert.
        assertTrue(matches(failed.get(0), "role=client peer=tls.example.org:8443", "certificate", "caused by:",
            "alert sent:"), all);
        assertTrue(matches(failed.get(1), "role=server peer=unknown", "alert received:"), all);
        // No common suite: the server's OpenSSL reason and alert, with the hint; the client reads that alert.
        assertTrue(matches(failed.get(2), "role=server", "no shared cipher", "alert sent: handshake failure", "hint:",
            "enables TLS_AES_256_GCM_SHA384 ("), all);
        assertTrue(matches(failed.get(3), "role=client peer=tls.example.org:8444", "alert received: handshake failure",
            "hint:", "enables TLS_AES_128_GCM_SHA256 ("), all);
        assertEquals(8, matching(log, "TLS handshake").size(), all);
    }

    private static boolean matches(String line, String... parts) {
        return !matching(List.of(line), parts).isEmpty();
    }

    @Test
    void atInfoNothingIsLogged() throws Exception {
        List<String> log = logAt("INFO");
        assertFalse(String.join("\n", log).contains("TLS handshake"), String.join("\n", log));
    }
}
