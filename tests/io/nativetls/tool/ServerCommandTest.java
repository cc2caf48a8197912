package io.nativetls.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.testing.ChildProcess;
import io.nativetls.testing.Tags;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code server} with its self-signed identity, answered by curl and by openssl s_client. */
@Timeout(90)
@Tag(Tags.INTEROP)
class ServerCommandTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** How long curl and s_client may take to their end. */
    private static final Duration COMMAND_WAIT = Duration.ofSeconds(40);

    @Test
    void curlAndOpenSslClient() throws Exception {
        Assumptions.assumeTrue(ChildProcess.onPath("curl"), "curl is not installed (.ci/run installs it)");
        ToolRun server = ToolRun.start("server", "--port", "0", "--requests", "2", "--alpn", "http/1.1");
        String port = server.awaitOut(Pattern.compile("Listening on https://127\\.0\\.0\\.1:(\\d+)/"), WAIT);
        assertNotNull(port, server.describe());
        String saved = server.awaitOut(Pattern.compile("saved to (\\S+\\.pem)\\n"), WAIT);
        assertNotNull(saved, server.describe());
        assertTrue(Files.readString(Path.of(saved)).startsWith("-----BEGIN CERTIFICATE-----\n"), saved);
        Path dir = Path.of(saved).getParent();

        // curl names localhost (SNI) but connects to 127.0.0.1
        ChildProcess.Result curl = ChildProcess.in(dir).systemLibraries().run(List.of("curl", "-sS", "--max-time", "20", "--http1.1",
            "--cacert", saved, "--resolve", "localhost:" + port + ":127.0.0.1", "https://localhost:" + port + "/hello"),
            null, COMMAND_WAIT);
        assertEquals(0, curl.exit, curl + "\n" + server.describe());
        assertTrue(curl.output.startsWith("Hello from NativeTLS "), curl.output);
        assertTrue(curl.output.contains("\nprotocol:      TLSv1.3\n"), curl.output);
        assertTrue(curl.output.contains("\ngroup:         x25519\n"), curl.output);
        assertTrue(curl.output.contains("\nALPN:          http/1.1\n"), curl.output);
        assertTrue(curl.output.contains("\nSNI:           localhost\n"), curl.output);
        assertTrue(curl.output.contains("\nrequest:       GET /hello HTTP/1.1\n"), curl.output);

        ChildProcess.Result sClient = ChildProcess.in(dir).systemLibraries().run(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
            "-servername", "localhost", "-tls1_2", "-groups", "secp384r1:prime256v1", "-CAfile", saved, "-verify_return_error", "-ign_eof"),
            "GET /from-s_client HTTP/1.1\r\nHost: localhost\r\n\r\n", COMMAND_WAIT);
        assertEquals(0, sClient.exit, sClient + "\n" + server.describe());
        assertTrue(sClient.output.contains("Verify return code: 0 (ok)"), sClient.output);
        assertTrue(sClient.output.contains("\nprotocol:      TLSv1.2\n"), sClient.output);
        assertTrue(sClient.output.contains("\ncipher suite:  TLS_ECDHE_ECDSA_WITH_"), sClient.output);
        // The server's order decides (the P-256 certificate needs prime256v1 offered); s_client saw the same group.
        assertTrue(sClient.output.contains("\ngroup:         secp256r1\n"), sClient.output);
        assertTrue(sClient.output.contains("Server Temp Key: ECDH, prime256v1"), sClient.output);
        assertTrue(sClient.output.contains("\nALPN:          (none)\n"), sClient.output);
        assertTrue(sClient.output.contains("\nrequest:       GET /from-s_client HTTP/1.1\n"), sClient.output);

        assertTrue(server.await(WAIT), server.describe());
        assertEquals(0, server.exit(), server.describe());
        assertTrue(server.out().contains("Stopped after 2 requests."), server.describe());
    }

    @Test
    void portInUseIsAClearFailure() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1,
            java.net.InetAddress.getByName("127.0.0.1"))) {
            ToolRun r = ToolRun.run("server", "--port", String.valueOf(taken.getLocalPort()), "--requests", "1");
            assertEquals(1, r.exit(), r.describe());
            assertTrue(r.err().startsWith("nativetls server: cannot listen on 127.0.0.1:" + taken.getLocalPort()),
                r.describe());
        }
    }
}
