package io.nativetls.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.testing.ChildProcess;
import io.nativetls.testing.Tags;
import io.nativetls.testing.TestPki;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code client} against {@code openssl s_server} on 127.0.0.1: what it prints, and how it fails. */
@Timeout(90)
@Tag(Tags.INTEROP)
class ClientCommandTest {
    private static final TestPki PKI = TestPki.get();

    private static String ca() {
        return PKI.file("ca.pem").toString();
    }

    private static ChildProcess tls13Server() throws Exception {
        return server("-cert", "server-ec.pem", "-key", "server-ec.key", "-tls1_3",
            "-ciphersuites", "TLS_AES_128_GCM_SHA256", "-alpn", "h2,http/1.1");
    }

    /** s_server with the system's libraries, as the client command meets servers in the field. */
    private static ChildProcess server(String... args) throws Exception {
        return ChildProcess.in(PKI.dir).systemLibraries().opensslServer(List.of(args), ChildProcess.WAIT);
    }

    @Test
    void tls13WithAlpnAndResumption() throws Exception {
        try (ChildProcess server = tls13Server()) {
            ToolRun r = ToolRun.run("client", "127.0.0.1:" + server.port(), "--cafile", ca(), "--alpn", "h2,http/1.1",
                "--reconnect");
            assertEquals(0, r.exit(), r.describe() + server.output());
            assertEquals("TLSv1.3", r.field("Protocol:"), r.describe());
            assertEquals("TLS_AES_128_GCM_SHA256", r.field("Cipher suite:"), r.describe());
            assertEquals("x25519", r.field("Group:"), r.describe());
            assertEquals("h2", r.field("ALPN:"), r.describe());
            assertEquals("new (full handshake)", r.field("Session:"), r.describe());
            assertEquals("CN=localhost", r.field(" 0 subject:"), r.describe());
            assertEquals("CN=NativeTLS-Test-CA", r.field("   issuer:"), r.describe());
            assertTrue(r.field("   key:").startsWith("EC secp256r1"), r.describe());
            assertEquals("DNS:localhost, IP:127.0.0.1", r.field("   SANs:"), r.describe());
            assertTrue(r.field("Reconnect:").startsWith("session resumed, TLSv1.3"), r.describe());
        }
    }

    @Test
    void tls12WithServerName() throws Exception {
        try (ChildProcess server = server("-cert", "server-rsa.pem", "-key", "server-rsa.key",
            "-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256", "-groups", "secp384r1")) {
            ToolRun r = ToolRun.run("client", "127.0.0.1:" + server.port(), "--cafile", ca(), "--servername",
                "localhost", "--protocols", "TLSv1.2,TLSv1.3");
            assertEquals(0, r.exit(), r.describe() + server.output());
            assertEquals("TLSv1.2", r.field("Protocol:"), r.describe());
            assertEquals("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", r.field("Cipher suite:"), r.describe());
            assertEquals("secp384r1", r.field("Group:"), r.describe());
            assertEquals("(none negotiated)", r.field("ALPN:"), r.describe());
            assertEquals("localhost", r.field("Server name:"), r.describe());
            assertEquals("RSA 2048 bits, signed with SHA256withECDSA", r.field("   key:"), r.describe());
        }
    }

    @Test
    void untrustedWithoutTheCa() throws Exception {
        try (ChildProcess server = tls13Server()) {
            ToolRun r = ToolRun.run("client", "127.0.0.1:" + server.port());
            assertEquals(1, r.exit(), r.describe());
            assertTrue(r.err().startsWith("nativetls client: untrusted certificate"), r.describe());
            assertEquals(1, r.err().lines().count(), r.describe());
            assertEquals("", r.out(), r.describe());
        }
    }

    @Test
    void hostnameMismatch() throws Exception {
        try (ChildProcess server = tls13Server()) {
            ToolRun r = ToolRun.run("client", "127.0.0.1:" + server.port(), "--cafile", ca(), "--servername",
                "www.example.org");
            assertEquals(1, r.exit(), r.describe());
            assertTrue(r.err().startsWith("nativetls client: hostname mismatch: the server's certificate is not for"
                + " www.example.org ("), r.describe());
        }
    }

    @Test
    void connectionRefused() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        ToolRun r = ToolRun.run("client", "127.0.0.1:" + port, "--cafile", ca());
        assertEquals(1, r.exit(), r.describe());
        assertTrue(r.err().startsWith("nativetls client: connection to 127.0.0.1:" + port + " refused"), r.describe());
    }

    /** End to end as users run it: a separate JVM with Main as the entry point and its exit code. */
    @Test
    void forkedJvm() throws Exception {
        try (ChildProcess server = tls13Server()) {
            List<String> cmd = ChildProcess.java(List.of("-cp", System.getProperty("java.class.path"),
                "io.nativetls.internal.tool.Main", "client", "127.0.0.1:" + server.port(), "--cafile", ca()));
            ChildProcess.Launch launch = ChildProcess.in(null).charset(StandardCharsets.UTF_8);
            if (System.getProperty("io.nativetls.library.path") == null) {
                // Only the sanitizer stage sets the library path, and its library needs the preloaded runtime.
                launch.unset("LD_PRELOAD");
            }
            ChildProcess.Result r = launch.run(cmd, null, Duration.ofSeconds(60));
            String out = r.output;
            assertTrue(r.exit >= 0, out);
            assertEquals(0, r.exit, out);
            assertTrue(out.contains("\nProtocol:      TLSv1.3\n"), out);
            assertTrue(out.contains("\n 0 subject:  CN=localhost\n"), out);
        }
    }
}
