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
import java.net.ServerSocket;
import java.net.Socket;
import java.security.cert.CertPathValidatorException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Servers stapling (jdk.tls.server.enableStatusRequestExtension=true): NativeTLS beside SunJSSE,
 * both asking the {@code openssl ocsp} responder the certificate names. Seen by
 * {@code openssl s_client -status}, and by NativeTLS and SunJSSE clients whose PKIX trust manager
 * checks revocation from the staple alone; the cache (one responder request for several
 * handshakes); a responder that is down or does not answer costs no handshake and no more than
 * jdk.tls.stapling.responseTimeout.
 */
@Timeout(120)
@Tag(Tags.INTEROP)
class OcspServerTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String ENABLE = "jdk.tls.server.enableStatusRequestExtension";
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
    }

    /**
     * A stapling server context made with these jdk.tls.stapling.* settings, which stay set until
     * the test ends: SunJSSE reads them at its first stapling handshake, NativeTLS at init.
     */
    private SSLContext staplingContext(Impl impl, OcspPki pki, String leaf, Map<String, String> settings)
        throws Exception {
        cleanup.add(SavedProperty.of(ENABLE));
        System.setProperty(ENABLE, "true");
        for (Map.Entry<String, String> e : settings.entrySet()) {
            cleanup.add(SavedProperty.of(e.getKey()));
            System.setProperty(e.getKey(), e.getValue());
        }
        return Contexts.create(impl, "TLS", pki.keyManagers(leaf), pki.trustManagers());
    }

    private StaplingServer server(SSLContext context) throws IOException {
        StaplingServer server = new StaplingServer(context);
        cleanup.add(server);
        return server;
    }

    private static String sClient(int port, String flag) throws Exception {
        return ChildProcess.in(null).run(List.of("openssl", "s_client", "-connect", ChildProcess.LOOPBACK + ":" + port,
            "-servername", "localhost", "-status", flag), "", WAIT).requireSuccess();
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

    static List<Arguments> impls() {
        return List.of(Arguments.of(Impl.NATIVE), Arguments.of(Impl.SUN));
    }

    @ParameterizedTest(name = "{0} server")
    @MethodSource("impls")
    void openSslClientSeesTheStapleAndOneRequestServesManyHandshakes(Impl impl) throws Exception {
        OcspPki pki = OcspPki.get();
        StaplingServer server = server(staplingContext(impl, pki, "good", Map.of()));
        int before = pki.requestsServed();
        for (String flag : List.of("-tls1_2", "-tls1_3", "-tls1_2")) {
            String out = sClient(server.port(), flag);
            assertTrue(out.contains("OCSP Response Status: successful"), () -> flag + ": " + out);
            assertTrue(out.contains("Cert Status: good"), () -> flag + ": " + out);
        }
        assertEquals(1, pki.requestsServed() - before, "the responder is asked once, the cache serves the rest");
    }

    @ParameterizedTest(name = "{0} server")
    @MethodSource("impls")
    void stapledRevokedStatusReachesTheClient(Impl impl) throws Exception {
        OcspPki pki = OcspPki.get();
        StaplingServer server = server(staplingContext(impl, pki, "revoked", Map.of()));
        String out = sClient(server.port(), "-tls1_3");
        assertTrue(out.contains("Cert Status: revoked"), out);
    }

    static List<Arguments> matrix() {
        List<Arguments> out = new ArrayList<>();
        for (Impl server : Impl.values()) {
            for (Impl client : Impl.values()) {
                for (String protocol : List.of("TLSv1.2", "TLSv1.3")) {
                    out.add(Arguments.of(server, client, protocol));
                }
            }
        }
        return out;
    }

    /**
     * Every pairing of NativeTLS and SunJSSE: the client's revocation check accepts "good" and
     * refuses "revoked" from the staple alone (its own OCSP fallback points at a closed port),
     * and the response its trust manager saw is the one its final session keeps.
     */
    @ParameterizedTest(name = "{0} server, {1} client, {2}")
    @MethodSource("matrix")
    void revocationCheckingClientsUseTheServersStaple(Impl serverImpl, Impl clientImpl, String protocol)
        throws Exception {
        OcspPki pki = OcspPki.get();
        RecordingTrustManager tm = new RecordingTrustManager(pki.revocationTrustManagers());
        SSLContext client = Contexts.create(clientImpl, "TLS", null, new TrustManager[] {tm});
        StaplingServer good = server(staplingContext(serverImpl, pki, "good", Map.of()));
        try (SSLSocket socket = handshake(client, good.port(), protocol)) {
            assertEquals(protocol, socket.getSession().getProtocol());
            // Between two SunJSSE peers TLS 1.2 negotiates status_request_v2 (ocsp_multi), which
            // lists an empty response for the CA too; OpenSSL has status_request alone.
            boolean v2 = serverImpl == Impl.SUN && clientImpl == Impl.SUN && protocol.equals("TLSv1.2");
            assertEquals(v2 ? 2 : 1, tm.seen.size(), "the leaf's response");
            assertTrue(tm.seen.get(0).length > 0);
            List<byte[]> last = ((ExtendedSSLSession) socket.getSession()).getStatusResponses();
            assertEquals(tm.seen.size(), last.size());
            for (int i = 0; i < last.size(); i++) {
                assertArrayEquals(tm.seen.get(i), last.get(i));
            }
        }
        StaplingServer revoked = server(staplingContext(serverImpl, pki, "revoked", Map.of()));
        SSLHandshakeException e = assertThrows(SSLHandshakeException.class,
            () -> handshake(client, revoked.port(), protocol).close());
        CertPathValidatorException cpve = Causes.cause(e, CertPathValidatorException.class);
        assertNotNull(cpve, () -> Causes.describe(e));
        assertEquals(CertPathValidatorException.BasicReason.REVOKED, cpve.getReason(), () -> Causes.describe(e));
    }

    /** The responder override at a closed port: the handshake goes on without a staple. */
    @ParameterizedTest(name = "{0} server")
    @MethodSource("impls")
    void responderDownMeansNoStaple(Impl impl) throws Exception {
        OcspPki pki = OcspPki.get();
        int closed = ChildProcess.freePort();
        StaplingServer server = server(staplingContext(impl, pki, "good", Map.of(
            "jdk.tls.stapling.responderURI", "http://127.0.0.1:" + closed,
            "jdk.tls.stapling.responderOverride", "true")));
        for (String flag : List.of("-tls1_2", "-tls1_3")) {
            String out = sClient(server.port(), flag);
            assertTrue(out.contains("OCSP response: no response sent"), () -> flag + ": " + out);
            assertTrue(out.contains("Verification"), () -> flag + ": handshake completed: " + out);
        }
    }

    /**
     * A responder that accepts and never answers: each handshake goes on without a staple once
     * jdk.tls.stapling.responseTimeout (here 1 s) has passed, not after the client gives up.
     */
    @Test
    void silentResponderCostsAtMostTheTimeout() throws Exception {
        OcspPki pki = OcspPki.get();
        try (ServerSocket silent = new ServerSocket(0, 8, InetAddress.getByName(ChildProcess.LOOPBACK));
             SavedProperty timeout = SavedProperty.of("jdk.tls.stapling.responseTimeout")) {
            List<Socket> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept()); // held open, never answered
                    }
                } catch (IOException e) {
                    // closed
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            System.setProperty("jdk.tls.stapling.responseTimeout", "1000");
            RecordingTrustManager tm = new RecordingTrustManager(pki.trustManagers());
            SSLContext client = Contexts.create(Impl.NATIVE, "TLS", null, new TrustManager[] {tm});
            for (Impl impl : Impl.values()) {
                StaplingServer server = server(staplingContext(impl, pki, "good", Map.of(
                    "jdk.tls.stapling.responderURI", "http://127.0.0.1:" + silent.getLocalPort(),
                    "jdk.tls.stapling.responderOverride", "true")));
                long start = System.nanoTime();
                try (SSLSocket socket = handshake(client, server.port(), "TLSv1.3")) {
                    long ms = (System.nanoTime() - start) / 1_000_000;
                    assertEquals(0, ((ExtendedSSLSession) socket.getSession()).getStatusResponses().size(), impl.name());
                    assertTrue(ms >= 900 && ms < 4000, impl + ": handshake took " + ms + " ms");
                }
            }
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    /**
     * A resumed handshake has no Certificate message and so no staple; the client's resumed
     * session keeps the responses of the handshake that made it, as SunJSSE's does.
     */
    @ParameterizedTest(name = "{0} server, {1} client, {2}")
    @MethodSource("matrix")
    void resumedSessionsKeepTheirResponses(Impl serverImpl, Impl clientImpl, String protocol) throws Exception {
        OcspPki pki = OcspPki.get();
        RecordingTrustManager tm = new RecordingTrustManager(pki.trustManagers());
        SSLContext client = Contexts.create(clientImpl, "TLS", null, new TrustManager[] {tm});
        StaplingServer server = server(staplingContext(serverImpl, pki, "good", Map.of()));
        List<byte[]> first;
        byte[] firstId;
        try (SSLSocket socket = handshake(client, server.port(), protocol)) {
            first = ((ExtendedSSLSession) socket.getSession()).getStatusResponses();
            firstId = socket.getSession().getId();
            if (protocol.equals("TLSv1.3")) {
                socket.setSoTimeout(300); // a read takes in the server's ticket; no data follows
                try {
                    socket.getInputStream().read();
                } catch (java.net.SocketTimeoutException e) {
                    // the ticket arrived meanwhile
                }
            }
        }
        assertFalse(first.isEmpty());
        tm.seen = null;
        try (SSLSocket socket = handshake(client, server.port(), protocol)) {
            if (protocol.equals("TLSv1.2")) {
                assertArrayEquals(firstId, socket.getSession().getId(), "resumed");
            }
            assertEquals(null, tm.seen, "resumed: the trust manager is not asked again");
            List<byte[]> again = ((ExtendedSSLSession) socket.getSession()).getStatusResponses();
            assertEquals(first.size(), again.size());
            for (int i = 0; i < first.size(); i++) {
                assertArrayEquals(first.get(i), again.get(i));
            }
        }
    }

    /** Off by default, as in SunJSSE: no staple though the client asks. */
    @ParameterizedTest(name = "{0} server")
    @MethodSource("impls")
    void serverStaplingIsOffByDefault(Impl impl) throws Exception {
        OcspPki pki = OcspPki.get();
        int before = pki.requestsServed();
        StaplingServer server = server(Contexts.create(impl, "TLS", pki.keyManagers("good"), pki.trustManagers()));
        String out = sClient(server.port(), "-tls1_2");
        assertTrue(out.contains("OCSP response: no response sent"), out);
        assertEquals(before, pki.requestsServed());
        assertFalse(out.contains("OCSP Response Status"), out);
    }
}
