package io.nativetls.pqc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nativetls.internal.tool.EngineStream;
import io.nativetls.testing.ChildProcess;
import io.nativetls.testing.Closer;
import io.nativetls.testing.Lines;
import io.nativetls.testing.Contexts;
import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.Tags;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ML-DSA authentication against OpenSSL 3.5's command line, which says which signature it
 * verified ("Peer signature type: mldsa65"): NativeTLS as server with ML-DSA-44/65/87 keys
 * (s_client verifies the CertificateVerify and the ML-DSA chain), NativeTLS as client (it
 * verifies s_server's ML-DSA chain with JDK 25's PKIX trust manager), and NativeTLS as client
 * with an ML-DSA client key (s_server verifies it). TLS 1.3 only: ML-DSA has no TLS 1.2 use.
 */
@Timeout(120)
@Tag(Tags.PQC)
class MlDsaOpenSslTest {
    private static final int SOCKET_TIMEOUT_MS = 10_000;
    private static final Duration WAIT = ChildProcess.WAIT;

    @RegisterExtension
    final Closer cleanup = new Closer();

    @BeforeAll
    static void needsOpenSsl35AndMlDsaKeys() {
        String missing = MlDsaPki.missing();
        assumeTrue(missing == null, missing);
    }

    private static ChildProcess.Launch openssl() {
        MlDsaPki pki = MlDsaPki.get();
        return ChildProcess.in(pki.dir).env(pki.environment).opensslBinary(pki.openssl);
    }

    private static String scheme(String keyName) {
        return "mldsa" + keyName.substring(keyName.length() - 2);
    }

    /** A line of output as the CLI prints it, whatever its line ends. */
    private static boolean hasLine(String out, String line) {
        return out.contains(line + "\n") || out.contains(line + "\r");
    }

    @ParameterizedTest(name = "NativeTLS server with {0}, s_client verifies")
    @ValueSource(strings = {"server-mldsa44", "server-mldsa65", "server-mldsa87"})
    void openSslClientVerifiesAnMlDsaServer(String name) throws Exception {
        MlDsaPki pki = MlDsaPki.get();
        ServerSocket listener = cleanup.later(new ServerSocket(0, 1, InetAddress.getByName(ChildProcess.LOOPBACK)));
        listener.setSoTimeout(SOCKET_TIMEOUT_MS);
        ChildProcess client = cleanup.later(openssl().openssl(List.of("s_client",
            "-connect", ChildProcess.LOOPBACK + ":" + listener.getLocalPort(), "-CAfile", "ca.pem",
            "-verify_return_error", "-verify_hostname", "localhost", "-tls1_3", "-servername", "localhost")));
        Socket socket = cleanup.later(listener.accept());
        socket.setSoTimeout(SOCKET_TIMEOUT_MS);
        SSLEngine engine = Contexts.create(Impl.NATIVE, "TLS", pki.keyManagers(name), pki.trustManagers())
            .createSSLEngine();
        engine.setUseClientMode(false);
        EngineStream server = cleanup.later(new EngineStream(engine, socket));
        server.handshake();
        assertEquals("TLSv1.3", engine.getSession().getProtocol());
        assertEquals(pki.certificate(name), engine.getSession().getLocalCertificates()[0]);

        Lines.write(server, "from-server\n");
        assertTrue(client.awaitOutput("from-server", WAIT), "s_client got no data" + client.describe());
        assertTrue(client.awaitOutput("Verify return code: ", WAIT), "no handshake summary" + client.describe());
        String out = client.output();
        assertTrue(out.contains("Verify return code: 0 (ok)"), "s_client verified the chain" + client.describe());
        assertTrue(hasLine(out, "Peer signature type: " + scheme(name)), "the signature s_client verified"
            + client.describe());
        client.write("from-client\n");
        assertEquals("from-client\n", Lines.readLine(server), "data from s_client");
    }

    @Test
    void nativeClientVerifiesAnMlDsaServer() throws Exception {
        MlDsaPki pki = MlDsaPki.get();
        ChildProcess server = cleanup.later(openssl().opensslServer(List.of(
            "-cert", "server-mldsa65.pem", "-key", "server-mldsa65.key", "-tls1_3"), WAIT));
        EngineStream client = connect(server, Contexts.create(Impl.NATIVE, "TLS", null, pki.trustManagers())
            .createSSLEngine("localhost", server.port()));
        SSLSession session = client.engine().getSession();
        assertEquals("TLSv1.3", session.getProtocol());
        X509Certificate leaf = (X509Certificate) session.getPeerCertificates()[0];
        assertEquals(pki.certificate("server-mldsa65"), leaf, "the peer's chain as X509Certificate");
        assertEquals("ML-DSA", leaf.getPublicKey().getAlgorithm());
        assertEquals("ML-DSA-65", leaf.getSigAlgName(), "signed by the ML-DSA CA");
        exchange(client, server);
    }

    @Test
    void openSslServerVerifiesAnMlDsaClient() throws Exception {
        MlDsaPki pki = MlDsaPki.get();
        ChildProcess server = cleanup.later(openssl().opensslServer(List.of(
            "-cert", "server-mldsa44.pem", "-key", "server-mldsa44.key", "-tls1_3", "-Verify", "1",
            "-verify_return_error", "-CAfile", "ca.pem"), WAIT));
        EngineStream client = connect(server, Contexts.create(Impl.NATIVE, "TLS", pki.keyManagers("client-mldsa65"),
            pki.trustManagers()).createSSLEngine("localhost", server.port()));
        SSLSession session = client.engine().getSession();
        assertEquals(pki.certificate("client-mldsa65"), session.getLocalCertificates()[0], "the client sent its chain");
        exchange(client, server);
        String out = server.output();
        assertTrue(hasLine(out, "Peer signature type: mldsa65"), "the client's signature s_server verified"
            + server.describe());
    }

    /**
     * s_server accepts only mldsa65 for the client's signature and the key manager also holds an EC
     * key: the key manager must be asked for an ML-DSA key, and that one sent.
     */
    @Test
    void clientKeyChosenForTheSchemesTheServerAsksFor() throws Exception {
        MlDsaPki pki = MlDsaPki.get();
        ChildProcess server = cleanup.later(openssl().opensslServer(List.of(
            "-cert", "server-mldsa44.pem", "-key", "server-mldsa44.key", "-tls1_3", "-Verify", "1",
            "-verify_return_error", "-CAfile", "ca.pem", "-client_sigalgs", "mldsa65"), WAIT));
        EngineStream client = connect(server, Contexts.create(Impl.NATIVE, "TLS",
            pki.keyManagers("server-ec", "client-mldsa65"), pki.trustManagers()).createSSLEngine("localhost",
            server.port()));
        exchange(client, server);
        assertEquals(pki.certificate("client-mldsa65"), client.engine().getSession().getLocalCertificates()[0]);
        assertTrue(hasLine(server.output(), "Peer signature type: mldsa65"), server.describe());
    }

    private EngineStream connect(ChildProcess server, SSLEngine engine) throws Exception {
        Socket socket = cleanup.later(new Socket());
        socket.connect(new InetSocketAddress(InetAddress.getByName(ChildProcess.LOOPBACK), server.port()),
            SOCKET_TIMEOUT_MS);
        socket.setSoTimeout(SOCKET_TIMEOUT_MS);
        engine.setUseClientMode(true);
        javax.net.ssl.SSLParameters p = engine.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        engine.setSSLParameters(p);
        EngineStream client = cleanup.later(new EngineStream(engine, socket));
        client.handshake();
        return client;
    }

    private static void exchange(EngineStream client, ChildProcess server) throws Exception {
        Lines.write(client, "from-client\n");
        assertTrue(server.awaitOutput("from-client", WAIT), "s_server got no data" + server.describe());
        server.write("from-server\n");
        assertEquals("from-server\n", Lines.readLine(client), "data from s_server");
    }
}
