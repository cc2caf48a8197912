package io.nativetls.interop;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.internal.tool.EngineStream;
import io.nativetls.testing.ChildProcess;
import io.nativetls.testing.Contexts;
import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.Contexts;
import io.nativetls.testing.Tags;
import io.nativetls.testing.TestPki;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A NativeTLS server resumes a session only for the server name it was made for (RFC 6066,
 * section 3). JSSE clients cannot show this (SunJSSE's resends the session's own name, NativeTLS's
 * does not offer the session), but {@code openssl s_client -sess_in} offers a saved session with
 * whatever {@code -servername} it is given, and says "Reused" or "New" for each connection.
 */
@Timeout(60)
@Tag(Tags.INTEROP)
class OpenSslServerNameResumptionTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @ParameterizedTest(name = "{0}, tickets {1}, second name {2}")
    @CsvSource({
        "-tls1_3, true, a.example, true",
        "-tls1_3, true, b.example, false",
        "-tls1_2, true, a.example, true",
        "-tls1_2, true, b.example, false",
        "-tls1_2, false, a.example, true",
        "-tls1_2, false, b.example, false",
    })
    void resumesOnlyForTheSameServerName(String flag, boolean tickets, String secondName, boolean resumes)
        throws Exception {
        SSLContext server = serverContext(tickets);
        Path sessionFile = Files.createTempFile("nativetls-session-", ".pem");
        try {
            String first = connect(server, flag, "a.example", "-sess_out", sessionFile);
            assertTrue(first.contains("\nNew, "), "the first connection is a full handshake:\n" + first);
            assertTrue(Files.size(sessionFile) > 0, "s_client saved the session:\n" + first);
            String second = connect(server, flag, secondName, "-sess_in", sessionFile);
            String expected = resumes ? "\nReused, " : "\nNew, ";
            assertTrue(second.contains(expected), "second connection for " + secondName + " should say "
                + expected.trim() + ":\n" + second);
        } finally {
            Files.deleteIfExists(sessionFile);
        }
    }

    private static SSLContext serverContext(boolean tickets) {
        String property = "jdk.tls.server.enableSessionTicketExtension";
        String old = System.getProperty(property);
        System.setProperty(property, Boolean.toString(tickets));
        try {
            return Contexts.server(Impl.NATIVE, "server-ec");
        } finally {
            if (old == null) {
                System.clearProperty(property);
            } else {
                System.setProperty(property, old);
            }
        }
    }

    /** One s_client connection to a NativeTLS server engine; returns what s_client printed. */
    private static String connect(SSLContext context, String flag, String serverName, String sessionFlag,
                                  Path sessionFile) throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getByName(ChildProcess.LOOPBACK));
             ChildProcess client = ChildProcess.openssl(TestPki.get().dir, List.of("s_client",
                 "-connect", ChildProcess.LOOPBACK + ":" + listener.getLocalPort(), flag,
                 "-servername", serverName, sessionFlag, sessionFile.toString()))) {
            listener.setSoTimeout(10_000);
            try (Socket socket = listener.accept()) {
                socket.setSoTimeout(10_000);
                SSLEngine engine = context.createSSLEngine();
                engine.setUseClientMode(false);
                EngineStream stream = new EngineStream(engine, socket);
                stream.handshake();
                // Data after the handshake: s_client reads the TLS 1.3 ticket sent before it.
                byte[] line = ("hello " + serverName + "\n").getBytes(StandardCharsets.US_ASCII);
                stream.write(line, 0, line.length);
                assertTrue(client.awaitOutput("hello " + serverName, WAIT), "s_client got the data"
                    + client.describe());
                client.closeStdin(); // s_client says goodbye and exits, having saved its session
                byte[] buf = new byte[256];
                try {
                    while (stream.read(buf, 0, buf.length) >= 0) {
                        // until s_client's close_notify
                    }
                } catch (IOException e) {
                    // s_client may close the TCP connection without waiting
                }
                assertTrue(client.awaitOutput("DONE", WAIT) || !client.isAlive(), "s_client ended"
                    + client.describe());
                return client.output();
            }
        }
    }
}
