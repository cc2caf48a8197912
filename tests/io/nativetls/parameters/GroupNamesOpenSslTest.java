package io.nativetls.parameters;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nativetls.internal.ssl.NativeRuntime;
import io.nativetls.internal.tool.EngineStream;
import io.nativetls.testing.ChildProcess;
import io.nativetls.testing.Closer;
import io.nativetls.testing.Contexts;
import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.SavedProperty;
import io.nativetls.testing.Tags;
import io.nativetls.testing.TestPki;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * jdk.tls.namedGroups names that only OpenSSL knows (SunJSSE has neither the ML-KEM hybrids nor
 * the brainpool groups), against an openssl s_server that accepts only the group under test: the
 * handshake completes only if NativeTLS really offered it.
 */
@Tag(Tags.INTEROP)
class GroupNamesOpenSslTest {
    private static final int SOCKET_TIMEOUT_MS = 10_000;
    private static final String PROPERTY = "jdk.tls.namedGroups";

    @RegisterExtension
    final Closer cleanup = new Closer();

    /** The loaded OpenSSL is 3.5 or later (the ML-KEM groups came with 3.5). */
    private static boolean openSsl35() {
        Matcher m = Pattern.compile("OpenSSL (\\d+)\\.(\\d+)").matcher(NativeRuntime.openSslVersion());
        assumeTrue(m.find(), "cannot read the OpenSSL version: " + NativeRuntime.openSslVersion());
        int major = Integer.parseInt(m.group(1));
        int minor = Integer.parseInt(m.group(2));
        return major > 3 || (major == 3 && minor >= 5);
    }

    private ChildProcess server(String key, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("-cert", key + ".pem", "-key", key + ".key"));
        args.addAll(List.of(more));
        return cleanup.later(ChildProcess.opensslServer(TestPki.get().dir, args, ChildProcess.WAIT));
    }

    /**
     * A NativeTLS client handshake with s_server, jdk.tls.namedGroups set to groups meanwhile; the
     * connection is closed after it, so s_server (one connection at a time) takes the next one.
     */
    private void handshake(ChildProcess server, String groups, String... protocols) throws Exception {
        try (SavedProperty restored = SavedProperty.of(PROPERTY); Socket socket = new Socket()) {
            System.setProperty(PROPERTY, groups);
            socket.connect(new InetSocketAddress(InetAddress.getByName(ChildProcess.LOOPBACK), server.port()),
                SOCKET_TIMEOUT_MS);
            socket.setSoTimeout(SOCKET_TIMEOUT_MS);
            SSLEngine engine = Contexts.client(Impl.NATIVE).createSSLEngine("localhost", server.port());
            engine.setUseClientMode(true);
            if (protocols.length > 0) {
                engine.setEnabledProtocols(protocols);
            }
            try (EngineStream stream = new EngineStream(engine, socket)) {
                stream.handshake();
            }
        }
    }

    /** Each hybrid post-quantum group OpenSSL 3.5 has, offered first and alone acceptable to the server. */
    @ParameterizedTest
    @ValueSource(strings = {"X25519MLKEM768", "SecP256r1MLKEM768", "SecP384r1MLKEM1024"})
    void postQuantumGroupsNegotiateOnOpenSsl35(String group) throws Exception {
        assumeTrue(openSsl35(), group + " needs OpenSSL 3.5 or later; this is " + NativeRuntime.openSslVersion());
        ChildProcess server = server("server-ec", "-tls1_3", "-groups", group);
        handshake(server, group + ",x25519");
        handshake(server, group);
    }

    /** A post-quantum name this OpenSSL lacks is skipped, not a reason to drop the rest of the list. */
    @Test
    void namesThisOpenSslLacksAreSkipped() throws Exception {
        handshake(server("server-ec", "-tls1_3", "-groups", "x25519"), "X25519MLKEM768,SecP256r1MLKEM768,x25519");
        handshake(server("server-ec", "-tls1_3", "-groups", "secp384r1"), "NoSuchGroup,secp384r1");
    }

    /**
     * brainpoolP256r1 for TLS 1.2 (every OpenSSL 3 has it) and brainpoolP256r1tls13 (3.2 on) for
     * TLS 1.3. The TLS 1.2 server has an RSA key: an ECDSA one would need its own curve offered.
     * The client enables TLS 1.2 alone: OpenSSL refuses to start a handshake that may become TLS 1.3
     * with no TLS 1.3 group ("No groups enabled for max supported SSL/TLS version").
     */
    @Test
    void brainpoolGroupsNegotiate() throws Exception {
        ChildProcess tls12 = server("server-rsa", "-tls1_2", "-groups", "brainpoolP256r1");
        handshake(tls12, "brainpoolP384r1,brainpoolP256r1", "TLSv1.2");
        if (openSsl35()) {
            handshake(server("server-ec", "-tls1_3", "-groups", "brainpoolP256r1tls13"), "brainpoolP256r1tls13");
        }
        // The control: a list without the server's group fails, so the handshakes above prove the names went out.
        assertThrows(SSLHandshakeException.class,
            () -> handshake(tls12, "brainpoolP384r1", "TLSv1.2"));
    }
}
