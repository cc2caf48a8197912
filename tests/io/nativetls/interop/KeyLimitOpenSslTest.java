package io.nativetls.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.testing.ChildProcess;
import io.nativetls.testing.Closer;
import io.nativetls.testing.Contexts;
import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.Tags;
import io.nativetls.testing.TestPki;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.Security;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * jdk.tls.keyLimits on the wire: NativeTLS sockets with a 4 KiB limit exchange 20 KiB with
 * openssl, which prints every KeyUpdate it receives and sends ({@code -msg}). Writing past the
 * limit (client to s_server) and reading past it (s_client to a NativeTLS server) both make
 * NativeTLS send a KeyUpdate that asks openssl for one too; without a limit (the JDK default,
 * 2^37 bytes) the same traffic has none. The property is read when a context is created, so it
 * is set only around the creation of the NativeTLS context.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@Tag(Tags.INTEROP)
class KeyLimitOpenSslTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String RECEIVED = MsgTrace.KEY_UPDATE_RECEIVED;
    private static final String SENT = MsgTrace.KEY_UPDATE_SENT;
    private static final int LINES = 20;
    private static final int LINE = 1023; // and '\n': 20 KiB in all, five times the limit

    @RegisterExtension
    final Closer cleanup = new Closer();

    private static SSLContext withLimits(String limits, Supplier<SSLContext> make) {
        String saved = Security.getProperty("jdk.tls.keyLimits");
        Security.setProperty("jdk.tls.keyLimits", limits);
        try {
            return make.get();
        } finally {
            Security.setProperty("jdk.tls.keyLimits", saved == null ? "" : saved);
        }
    }

    private static String line(int i) {
        String head = "line-" + i + "-";
        return head + "x".repeat(LINE - head.length()) + "\n";
    }

    private static int count(String output, String what) {
        return MsgTrace.count(output, what);
    }

    /** Lines to s_server; its reply line back. Returns s_server's output. */
    private String clientWrites(String limits) throws Exception {
        SSLContext ctx = withLimits(limits, () -> Contexts.client(Impl.NATIVE));
        TestPki pki = TestPki.get();
        ChildProcess server = cleanup.later(ChildProcess.opensslServer(pki.dir,
            List.of("-cert", "server-ec.pem", "-key", "server-ec.key", "-tls1_3", "-msg"), WAIT));
        try (SSLSocket socket = (SSLSocket) ctx.getSocketFactory().createSocket()) {
            socket.connect(new InetSocketAddress(InetAddress.getByName(ChildProcess.LOOPBACK), server.port()), 10_000);
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            for (int i = 0; i < LINES; i++) {
                out.write(line(i).getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();
            assertTrue(server.awaitOutput("line-" + (LINES - 1) + "-", WAIT), "s_server got every line" + server.describe());
            server.write("reply-from-s_server\n");
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            assertEquals("reply-from-s_server", in.readLine(), "data from s_server under its new keys");
        }
        assertTrue(server.awaitOutput("DONE", WAIT), "s_server saw a clean close" + server.describe());
        return server.output();
    }

    @Test
    void writingPastTheLimitSendsKeyUpdatesToOpenSsl() throws Exception {
        String output = clientWrites("AES/GCM/NoPadding KeyUpdate 4096, ChaCha20-Poly1305 KeyUpdate 4096");
        int received = count(output, RECEIVED);
        // 20 KiB at 4 KiB per key: a KeyUpdate after each 4 KiB written (the last may fall after the data).
        assertTrue(received >= 4 && received <= 5, received + " KeyUpdates reached s_server:\n" + output);
        assertTrue(count(output, SENT) >= 1, "s_server answered the request (before its reply line):\n" + output);
    }

    @Test
    void withoutALimitTheSameTrafficHasNoKeyUpdate() throws Exception {
        String output = clientWrites("AES/GCM/NoPadding KeyUpdate 2^37, ChaCha20-Poly1305 KeyUpdate 2^37");
        assertEquals(0, count(output, RECEIVED), "KeyUpdates reached s_server:\n" + output);
        assertTrue(output.contains("line-" + (LINES - 1) + "-"), output);
    }

    @Test
    void readingPastTheLimitSendsKeyUpdatesToOpenSsl() throws Exception {
        SSLContext ctx = withLimits("AES/GCM/NoPadding KeyUpdate 4096, ChaCha20-Poly1305 KeyUpdate 4096",
            () -> Contexts.server(Impl.NATIVE, "server-ec"));
        try (SSLServerSocket listener = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 1,
            InetAddress.getByName(ChildProcess.LOOPBACK))) {
            ChildProcess client = cleanup.later(ChildProcess.in(TestPki.get().dir).openssl(List.of("s_client",
                "-connect", ChildProcess.LOOPBACK + ":" + listener.getLocalPort(), "-tls1_3", "-msg")));
            listener.setSoTimeout(15_000);
            try (SSLSocket socket = (SSLSocket) listener.accept()) {
                socket.setSoTimeout(15_000);
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII));
                for (int i = 0; i < LINES; i++) {
                    client.write(line(i));
                    assertEquals(line(i).trim(), in.readLine(), "line " + i + " from s_client");
                }
                socket.getOutputStream().write("reply-from-nativetls\n".getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                assertTrue(client.awaitOutput("reply-from-nativetls", WAIT), "s_client got the reply" + client.describe());
            }
            String output = client.output();
            int received = count(output, RECEIVED);
            assertTrue(received >= 4 && received <= 5, received + " KeyUpdates reached s_client:\n" + output);
            assertTrue(count(output, SENT) >= 1, "s_client answered:\n" + output);
        }
    }
}
