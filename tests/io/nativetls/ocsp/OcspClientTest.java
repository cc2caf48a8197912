package io.nativetls.ocsp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.testing.Causes;
import io.nativetls.testing.ChildProcess;
import io.nativetls.testing.Contexts;
import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.SavedProperty;
import io.nativetls.testing.Tags;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.cert.CertPathValidatorException;
import java.security.cert.PKIXReason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Clients asking for the server's certificate status: NativeTLS and SunJSSE (the oracle) against
 * {@code openssl s_server -status_file}, which staples what {@code openssl ocsp} answered for its
 * certificate. Both must show that response, byte for byte, to the trust manager (through the
 * handshake session) and on the final session; a PKIX trust manager checking revocation by OCSP
 * alone must accept "good" and refuse "revoked" and "unknown" from the staple; with
 * jdk.tls.client.enableStatusRequestExtension=false no status is asked for.
 */
@Timeout(120)
@Tag(Tags.INTEROP)
class OcspClientTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String PROPERTY = "jdk.tls.client.enableStatusRequestExtension";
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (AutoCloseable c : cleanup) {
            c.close();
        }
    }

    static List<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String protocol : List.of("TLSv1.2", "TLSv1.3")) {
            for (Impl impl : Impl.values()) {
                out.add(Arguments.of(protocol, impl));
            }
        }
        return out;
    }

    private ChildProcess stapling(OcspPki pki, String leaf) throws Exception {
        ChildProcess server = ChildProcess.opensslServer(pki.dir, List.of("-cert", leaf + ".pem", "-key", leaf + ".key",
            "-status_file", leaf + ".der", "-status_verbose"), WAIT);
        cleanup.add(server);
        return server;
    }

    private static SSLSocket handshake(SSLContext client, int port, String protocol) throws IOException {
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress(InetAddress.getByName(ChildProcess.LOOPBACK), port), 10_000);
        SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket(plain, "localhost", port, true);
        socket.setSoTimeout(10_000);
        socket.setEnabledProtocols(new String[] {protocol});
        try {
            socket.startHandshake();
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        return socket;
    }

    @ParameterizedTest(name = "{1} {0}")
    @MethodSource("cases")
    void trustManagerAndSessionSeeTheStapledResponse(String protocol, Impl impl) throws Exception {
        OcspPki pki = OcspPki.get();
        ChildProcess server = stapling(pki, "good");
        RecordingTrustManager tm = new RecordingTrustManager(pki.trustManagers());
        SSLContext client = Contexts.create(impl, "TLS", null, new TrustManager[] {tm});
        byte[] expected = pki.response("good");
        try (SSLSocket socket = handshake(client, server.port(), protocol)) {
            assertEquals(protocol, socket.getSession().getProtocol());
            assertNotNull(tm.seen, "the trust manager was asked");
            assertEquals(1, tm.seen.size(), "the handshake session's responses");
            assertArrayEquals(expected, tm.seen.get(0), "the trust manager saw the responder's answer");
            List<byte[]> last = ((ExtendedSSLSession) socket.getSession()).getStatusResponses();
            assertEquals(1, last.size(), "the final session's responses");
            assertArrayEquals(expected, last.get(0));
        }
        assertTrue(server.awaitOutput("cert_status: callback called", WAIT), "s_server saw status_request");
    }

    @ParameterizedTest(name = "{1} {0}")
    @MethodSource("cases")
    void revocationCheckingUsesTheStapleAlone(String protocol, Impl impl) throws Exception {
        OcspPki pki = OcspPki.get();
        SSLContext client = Contexts.create(impl, "TLS", null, pki.revocationTrustManagers());
        ChildProcess good = stapling(pki, "good");
        try (SSLSocket socket = handshake(client, good.port(), protocol)) {
            assertEquals(protocol, socket.getSession().getProtocol());
        }
        for (String leaf : List.of("revoked", "unknown")) {
            ChildProcess server = stapling(pki, leaf);
            SSLHandshakeException e = assertThrows(SSLHandshakeException.class,
                () -> handshake(client, server.port(), protocol).close(), leaf);
            CertPathValidatorException cpve = Causes.cause(e, CertPathValidatorException.class);
            assertNotNull(cpve, () -> leaf + ": the revocation check refused: " + Causes.describe(e));
            assertEquals(leaf.equals("revoked") ? CertPathValidatorException.BasicReason.REVOKED
                : CertPathValidatorException.BasicReason.UNDETERMINED_REVOCATION_STATUS, cpve.getReason(),
                () -> leaf + ": " + Causes.describe(e));
            // SunJSSE's alert when stapling is active and the staple refuses the certificate.
            assertTrue(server.awaitOutput("SSL alert number 113", WAIT),
                () -> leaf + ": bad_certificate_status_response expected" + server.describe());
        }
    }

    @ParameterizedTest(name = "{1} {0}")
    @MethodSource("cases")
    void propertyOffSendsNoStatusRequest(String protocol, Impl impl) throws Exception {
        OcspPki pki = OcspPki.get();
        ChildProcess server = stapling(pki, "good");
        RecordingTrustManager tm = new RecordingTrustManager(pki.trustManagers());
        SSLContext client;
        try (SavedProperty saved = SavedProperty.of(PROPERTY)) {
            System.setProperty(PROPERTY, "false");
            client = Contexts.create(impl, "TLS", null, new TrustManager[] {tm});
        }
        try (SSLSocket socket = handshake(client, server.port(), protocol)) {
            assertEquals(0, tm.seen.size());
            assertEquals(0, ((ExtendedSSLSession) socket.getSession()).getStatusResponses().size());
            // One byte back and forth: s_server has handled this ClientHello completely by then.
            socket.getOutputStream().write('x');
            socket.getOutputStream().flush();
            assertTrue(server.awaitOutput("x", WAIT));
        }
        assertFalse(server.output().contains("cert_status"), () -> "no status_request: " + server.output());
    }
}
