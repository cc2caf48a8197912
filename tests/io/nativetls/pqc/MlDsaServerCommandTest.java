package io.nativetls.pqc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nativetls.internal.tool.Main;
import io.nativetls.testing.ChildProcess;
import io.nativetls.testing.Tags;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The tool's {@code server} with an ML-DSA certificate and key from PEM files (the PKCS#8 form JDK
 * 25 reads), answered by OpenSSL 3.5's s_client, which verifies an mldsa65 signature.
 */
@Timeout(90)
@Tag(Tags.PQC)
class MlDsaServerCommandTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void serverCommandWithAnMlDsaKey() throws Exception {
        String missing = MlDsaPki.missing();
        assumeTrue(missing == null, missing);
        MlDsaPki pki = MlDsaPki.get();
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> {
            try {
                return Main.run(new String[] {"server", "--port", "0", "--requests", "1",
                    "--cert", pki.file("server-mldsa65.pem").toString(),
                    "--key", pki.file("server-mldsa65.key").toString()}, out, out, null);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        String port = null;
        Pattern listening = Pattern.compile("Listening on https://127\\.0\\.0\\.1:(\\d+)/");
        for (long end = System.nanoTime() + WAIT.toNanos(); port == null && System.nanoTime() < end && !exit.isDone();) {
            Matcher m = listening.matcher(text(outBytes));
            if (m.find()) {
                port = m.group(1);
            } else {
                Thread.sleep(20);
            }
        }
        assertNotNull(port, "the server did not start:\n" + text(outBytes));
        ChildProcess.Result client = ChildProcess.in(pki.dir).env(pki.environment).run(List.of(pki.openssl,
            "s_client", "-connect", "127.0.0.1:" + port, "-servername", "localhost", "-CAfile", "ca.pem",
            "-verify_return_error", "-ign_eof"), "GET /pq HTTP/1.1\r\nHost: localhost\r\n\r\n", WAIT);
        assertEquals(0, client.exit, client + "\n" + text(outBytes));
        assertTrue(client.output.contains("Peer signature type: mldsa65"), client.output);
        assertTrue(client.output.contains("\nrequest:       GET /pq HTTP/1.1\n"), client.output);
        assertEquals(0, exit.get(30, TimeUnit.SECONDS), text(outBytes));
    }

    private static String text(ByteArrayOutputStream bytes) {
        synchronized (bytes) {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
