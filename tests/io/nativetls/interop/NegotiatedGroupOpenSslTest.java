package io.nativetls.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nativetls.NativeTls;
import io.nativetls.testing.ChildProcess;
import io.nativetls.testing.Closer;
import io.nativetls.testing.Contexts;
import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.Tags;
import io.nativetls.testing.TestPki;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link NativeTls#negotiatedGroup} on NativeTLS sockets against the openssl CLI, which is made to
 * choose a group NativeTLS does not prefer (its default list starts with x25519): the session
 * names the group the peer chose, client and server, TLS 1.3 and 1.2.
 */
@Timeout(60)
@Tag(Tags.INTEROP)
class NegotiatedGroupOpenSslTest {
    private static final int SOCKET_TIMEOUT_MS = 10_000;

    @RegisterExtension
    final Closer cleanup = new Closer();

    private static String flag(String protocol) {
        return protocol.equals("TLSv1.3") ? "-tls1_3" : "-tls1_2";
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void socketClientAgainstServerChoosingSecp384r1(String protocol) throws Exception {
        ChildProcess server = cleanup.later(ChildProcess.opensslServer(TestPki.get().dir,
            List.of("-cert", "server-rsa.pem", "-key", "server-rsa.key", flag(protocol), "-groups", "secp384r1"),
            ChildProcess.WAIT));
        try (SSLSocket socket = (SSLSocket) Contexts.client(Impl.NATIVE).getSocketFactory()
            .createSocket(ChildProcess.LOOPBACK, server.port())) {
            socket.setSoTimeout(SOCKET_TIMEOUT_MS);
            socket.startHandshake();
            assertEquals(protocol, socket.getSession().getProtocol());
            assertEquals(Optional.of("secp384r1"), NativeTls.negotiatedGroup(socket.getSession()));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void socketServerAgainstClientOfferingSecp521r1(String protocol) throws Exception {
        try (SSLServerSocket listener = (SSLServerSocket) Contexts.server(Impl.NATIVE, "server-rsa")
            .getServerSocketFactory().createServerSocket(0, 1, InetAddress.getByName(ChildProcess.LOOPBACK))) {
            CompletableFuture<String[]> seen = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket s = (SSLSocket) listener.accept()) {
                    s.setSoTimeout(SOCKET_TIMEOUT_MS);
                    s.startHandshake();
                    return new String[] {s.getSession().getProtocol(),
                        NativeTls.negotiatedGroup(s.getSession()).orElse("(none)")};
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            ChildProcess.Result client = ChildProcess.in(TestPki.get().dir).run(List.of("openssl", "s_client",
                "-connect", ChildProcess.LOOPBACK + ":" + listener.getLocalPort(), flag(protocol),
                "-groups", "secp521r1", "-CAfile", "ca.pem"), null, Duration.ofSeconds(20));
            String[] server = seen.get(20, TimeUnit.SECONDS);
            assertEquals(protocol, server[0], client.toString());
            assertEquals("secp521r1", server[1], client.toString());
        }
    }
}
