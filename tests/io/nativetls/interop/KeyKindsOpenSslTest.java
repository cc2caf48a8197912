package io.nativetls.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.internal.tool.EngineStream;
import io.nativetls.keys.KeyManagers;
import io.nativetls.testing.ChildProcess;
import io.nativetls.testing.Closer;
import io.nativetls.testing.Lines;
import io.nativetls.testing.Contexts;
import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.Contexts;
import io.nativetls.testing.Tags;
import io.nativetls.testing.TestPki;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The keys of the keys issue against the openssl command line, which says which signature it
 * verified ("Peer signing digest", "Peer signature type"): RSA keys without CRT values and
 * RSASSA-PSS keys, NativeTLS as server (s_client verifies) and as client (s_server verifies the
 * client certificate), TLS 1.3 and 1.2. The openssl side offers only the schemes named, so the
 * digest it reports is the one the NativeTLS key had to pick.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@Tag(Tags.INTEROP)
class KeyKindsOpenSslTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int SOCKET_TIMEOUT_MS = 10_000;

    @RegisterExtension
    final Closer cleanup = new Closer();

    /** protocol, key name, n,d-only form?, schemes openssl offers, the digest it must report. */
    static List<Arguments> serverCases() {
        List<Arguments> out = new ArrayList<>();
        for (String protocol : new String[] {"TLSv1.3", "TLSv1.2"}) {
            out.add(Arguments.of(protocol, "server-rsa", true, "rsa_pss_rsae_sha384", "SHA384"));
            out.add(Arguments.of(protocol, "server-pss", false, "rsa_pss_pss_sha512", "SHA512"));
            out.add(Arguments.of(protocol, "server-pss256", false, "rsa_pss_pss_sha512:rsa_pss_pss_sha256", "SHA256"));
        }
        return out;
    }

    static List<Arguments> clientCases() {
        List<Arguments> out = new ArrayList<>();
        for (String protocol : new String[] {"TLSv1.3", "TLSv1.2"}) {
            // ECDSA too: client-rsa's chain is signed with it, and a key manager (SunJSSE's, as SunJSSE
            // clients do) offers no chain signed with schemes the server does not list. The key is RSA:
            // it can only sign rsa_pss_rsae_sha384.
            out.add(Arguments.of(protocol, "client-rsa", true, "rsa_pss_rsae_sha384:ecdsa_secp256r1_sha256", "SHA384"));
            out.add(Arguments.of(protocol, "client-pss", false, "rsa_pss_pss_sha512", "SHA512"));
        }
        return out;
    }

    private static String onlyFlag(String protocol) {
        return protocol.equals("TLSv1.3") ? "-tls1_3" : "-tls1_2";
    }

    private static String issuerFile(String name) {
        return name.contains("-pss") ? "ca-pss.pem" : "ca.pem";
    }

    /** name's key manager; withoutCrt: handing over name's key as RSAPrivateKeySpec(n, d) makes it. */
    private static KeyManagers.Handing keys(String name, boolean withoutCrt) {
        PrivateKey key = withoutCrt ? KeyManagers.withoutCrt(name) : null;
        return new KeyManagers.Handing(KeyManagers.pkix(name), key);
    }

    private static SSLContext context(KeyManagers.Handing km) {
        return Contexts.create(Impl.NATIVE, "TLS", km.array(), TestPki.get().trustManagersFor("ca", "ca-pss"));
    }

    @ParameterizedTest(name = "NativeTLS server with {1} (n,d only: {2}), s_client offering {3}, {0}")
    @MethodSource("serverCases")
    void openSslClientVerifiesTheServersSignature(String protocol, String name, boolean withoutCrt, String schemes,
                                                  String digest) throws Exception {
        ServerSocket listener = cleanup.later(new ServerSocket(0, 1, InetAddress.getByName(ChildProcess.LOOPBACK)));
        listener.setSoTimeout(SOCKET_TIMEOUT_MS);
        ChildProcess client = cleanup.later(ChildProcess.openssl(TestPki.get().dir, List.of("s_client",
            "-connect", ChildProcess.LOOPBACK + ":" + listener.getLocalPort(), "-CAfile", issuerFile(name),
            "-verify_return_error", "-verify_hostname", "localhost", onlyFlag(protocol), "-servername", "localhost",
            "-sigalgs", schemes)));
        Socket socket = cleanup.later(listener.accept());
        socket.setSoTimeout(SOCKET_TIMEOUT_MS);
        KeyManagers.Handing km = keys(name, withoutCrt);
        SSLEngine engine = context(km).createSSLEngine();
        engine.setUseClientMode(false);
        EngineStream server = cleanup.later(new EngineStream(engine, socket));
        server.handshake();
        assertEquals(protocol, engine.getSession().getProtocol());
        assertEquals(TestPki.get().certificate(name), engine.getSession().getLocalCertificates()[0]);
        assertEquals(withoutCrt, km.handed.get() > 0, "the key handed over");

        Lines.write(server, "from-server\n");
        assertTrue(client.awaitOutput("from-server", WAIT), "s_client got no data" + client.describe());
        assertTrue(client.awaitOutput("Verify return code: ", WAIT), "no handshake summary" + client.describe());
        String out = client.output();
        assertTrue(out.contains("Verify return code: 0 (ok)"), "s_client verified the server" + client.describe());
        assertTrue(out.contains("Peer signing digest: " + digest + "\n") || out.contains("Peer signing digest: "
            + digest + "\r"), "the digest s_client verified" + client.describe());
        assertTrue(out.contains("Peer signature type: RSA-PSS"), "a PSS signature" + client.describe());
        client.write("from-client\n");
        assertEquals("from-client\n", Lines.readLine(server), "data from s_client");
    }

    @ParameterizedTest(name = "NativeTLS client with {1} (n,d only: {2}), s_server asking for {3}, {0}")
    @MethodSource("clientCases")
    void openSslServerVerifiesTheClientsSignature(String protocol, String name, boolean withoutCrt, String schemes,
                                                  String digest) throws Exception {
        ChildProcess server = cleanup.later(ChildProcess.opensslServer(TestPki.get().dir, List.of(
            "-cert", "server-ec.pem", "-key", "server-ec.key", onlyFlag(protocol), "-Verify", "1",
            "-verify_return_error", "-CAfile", issuerFile(name), "-client_sigalgs", schemes), WAIT));
        Socket socket = cleanup.later(new Socket());
        socket.connect(new InetSocketAddress(InetAddress.getByName(ChildProcess.LOOPBACK), server.port()),
            SOCKET_TIMEOUT_MS);
        socket.setSoTimeout(SOCKET_TIMEOUT_MS);
        KeyManagers.Handing km = keys(name, withoutCrt);
        SSLEngine engine = context(km).createSSLEngine("localhost", server.port());
        engine.setUseClientMode(true);
        EngineStream client = cleanup.later(new EngineStream(engine, socket));
        client.handshake();
        assertEquals(protocol, engine.getSession().getProtocol());
        Lines.write(client, "from-client\n");
        assertTrue(server.awaitOutput("from-client", WAIT), "s_server got no data" + server.describe());
        assertEquals(TestPki.get().certificate(name), engine.getSession().getLocalCertificates()[0],
            "the client sent its certificate");
        assertEquals(withoutCrt, km.handed.get() > 0, "the key handed over");
        String out = server.output();
        assertTrue(out.contains("Peer signing digest: " + digest), "the digest s_server verified" + server.describe());
        assertTrue(out.contains("Peer signature type: RSA-PSS"), "a PSS signature" + server.describe());
        server.write("from-server\n");
        assertEquals("from-server\n", Lines.readLine(client), "data from s_server");
    }
}
