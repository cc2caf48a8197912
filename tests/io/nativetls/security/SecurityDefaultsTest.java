package io.nativetls.security;

import static io.nativetls.security.SecuritySupport.HOST;
import static io.nativetls.security.SecuritySupport.SOCKET_TIMEOUT_MS;
import static io.nativetls.testing.Causes.chainContainsInstance;
import static io.nativetls.testing.Causes.describe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.testing.Causes;
import io.nativetls.testing.EnginePair;
import io.nativetls.internal.tool.EngineStream;
import io.nativetls.security.SecuritySupport.Check;
import io.nativetls.security.SecuritySupport.CountingTrustManager;
import io.nativetls.testing.ChildProcess;
import io.nativetls.testing.Closer;
import io.nativetls.testing.PlainTrustManager;
import io.nativetls.testing.Contexts;
import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.TestPki;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What NativeTLS does without being asked: it always verifies the peer, enforces client
 * authentication as configured, offers no legacy protocols or weak suites, never compresses,
 * signals secure renegotiation, keeps session tickets bound to one SSLContext, and logs no keys.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SecurityDefaultsTest {
    private static final int HANDSHAKES = 20;

    @TempDir
    Path tmp;

    @RegisterExtension
    final Closer cleanup = new Closer();
    private final Random random = new Random();

    private static String onlyFlag(String protocol) {
        return protocol.equals("TLSv1.3") ? "-tls1_3" : "-tls1_2";
    }

    private static SSLEngine nativeClient(TrustManager tm, String protocol) {
        SSLEngine e = Contexts.create(Impl.NATIVE, "TLS", null, new TrustManager[] {tm}).createSSLEngine(HOST, 443);
        e.setUseClientMode(true);
        e.setEnabledProtocols(new String[] {protocol});
        return e;
    }

    private static CountingTrustManager counting(boolean refuse) {
        return new CountingTrustManager(SecuritySupport.caTrustManager(), refuse);
    }

    /** The trust manager the client is configured with: the counter itself, or a plain X509TrustManager around it. */
    private static TrustManager configured(CountingTrustManager counter, boolean plain) {
        return plain ? new PlainTrustManager(counter) : counter;
    }

    // ---- verification is never skipped ------------------------------------------------------------

    @ParameterizedTest(name = "{0}, plain X509TrustManager: {1}")
    @CsvSource({"TLSv1.3, false", "TLSv1.3, true", "TLSv1.2, false", "TLSv1.2, true"})
    void clientCallsTheTrustManagerOnEveryFullHandshake(String protocol, boolean plain) {
        CountingTrustManager counter = counting(false);
        SSLContext client = Contexts.create(Impl.NATIVE, "TLS", null, new TrustManager[] {configured(counter, plain)});
        KeyManager[] serverKeys = TestPki.get().keyManagers("server-ec");
        for (int i = 0; i < HANDSHAKES; i++) {
            // a fresh server context each time: nothing to resume, every handshake is a full one
            SSLContext server = Contexts.create(Impl.NATIVE, "TLS", serverKeys, TestPki.get().trustManagers());
            SSLEngine c = client.createSSLEngine(HOST, 443);
            c.setEnabledProtocols(new String[] {protocol});
            EnginePair d = new EnginePair(c, server.createSSLEngine());
            assertTrue(d.settle(Exception.class), "handshake " + i + ": " + d.describe());
            assertEquals(protocol, c.getSession().getProtocol());
            assertEquals(i + 1, counter.serverChecks(), "trust manager calls after " + (i + 1) + " handshakes");
        }
        assertEquals(0, counter.clientChecks(), "a client never asks checkClientTrusted");
        for (Check check : counter.checks) {
            assertEquals(TestPki.get().certificate("server-ec"), check.chain[0], "the chain the trust manager saw");
            assertEquals(!plain, check.withEngine, "the engine variant is used for extended trust managers");
            if (protocol.equals("TLSv1.2")) {
                assertEquals("ECDHE_ECDSA", check.authType, "TLS 1.2 authType as SunJSSE passes it");
            } else {
                assertNotNull(check.authType, "authType");
            }
        }
    }

    private static void assertRefused(EnginePair d, CountingTrustManager counter, String what) {
        assertFalse(d.settle(Exception.class), what + ": the handshake succeeded with a trust manager that trusts nothing");
        SSLHandshakeException e = assertInstanceOf(SSLHandshakeException.class, d.client.failure,
            () -> what + ": " + d.describe());
        assertEquals(1, counter.serverChecks(), what + ": trust manager calls");
        assertTrue(chainContainsInstance(e, counter.thrown.get(0)),
            what + ": the trust manager's CertificateException is not the cause: " + describe(e));
        assertEquals(0, d.client.finished, what + ": the client reported FINISHED");
        assertThrows(SSLPeerUnverifiedException.class, () -> d.client.engine.getSession().getPeerCertificates(),
            what + ": the client's session shows a peer");
        assertNotNull(d.server.failure, what + ": the server did not fail: " + d.describe());
    }

    @ParameterizedTest(name = "{0} server, {1}, plain X509TrustManager: {2}")
    @CsvSource({"NATIVE, TLSv1.3, false", "NATIVE, TLSv1.3, true", "NATIVE, TLSv1.2, false",
        "NATIVE, TLSv1.2, true", "SUN, TLSv1.3, false", "SUN, TLSv1.3, true", "SUN, TLSv1.2, false",
        "SUN, TLSv1.2, true"})
    void trustManagerThatTrustsNothingFailsEveryHandshake(Impl server, String protocol, boolean plain) {
        for (int i = 0; i < 3; i++) {
            CountingTrustManager counter = counting(true);
            EnginePair d = new EnginePair(nativeClient(configured(counter, plain), protocol),
                Contexts.server(server, "server-ec").createSSLEngine());
            assertRefused(d, counter, "handshake " + i);
        }
    }

    @ParameterizedTest(name = "against openssl s_server, {0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void trustManagerThatTrustsNothingFailsAgainstOpenSslServer(String protocol) throws Exception {
        ChildProcess server = cleanup.later(ChildProcess.opensslServer(TestPki.get().dir,
            List.of("-cert", "server-ec.pem", "-key", "server-ec.key", onlyFlag(protocol)), ChildProcess.WAIT));
        for (int i = 0; i < 2; i++) {
            int mark = server.output().length();
            CountingTrustManager counter = counting(true);
            Socket socket = connect(server.port());
            SSLEngine engine = nativeClient(counter, protocol);
            EngineStream client = new EngineStream(engine, socket);
            SSLHandshakeException e = assertThrows(SSLHandshakeException.class, client::handshake,
                () -> "handshake against s_server" + server.describe());
            assertEquals(1, counter.serverChecks(), "trust manager calls");
            assertTrue(chainContainsInstance(e, counter.thrown.get(0)), describe(e));
            SecuritySupport.sendPendingRecords(engine, socket);
            assertTrue(server.awaitOutput("SSL alert number", mark, SecuritySupport.WAIT),
                "s_server did not receive the client's alert" + server.describe());
            socket.close();
        }
    }

    /**
     * SunJSSE wraps a plain X509TrustManager so that endpoint identification still happens (and
     * algorithm constraints are still checked): an application that sets "HTTPS" gets host name
     * checking whatever kind of trust manager it configured. NativeTLS must not skip it either.
     */
    @ParameterizedTest(name = "{0} client, plain X509TrustManager: {1}")
    @CsvSource({"SUN, false", "SUN, true", "NATIVE, false", "NATIVE, true"})
    void endpointIdentificationIsNotSkippedForAnyTrustManager(Impl clientImpl, boolean plain) {
        for (String protocol : new String[] {"TLSv1.3", "TLSv1.2"}) {
            CountingTrustManager counter = counting(false);
            SSLContext ctx = Contexts.create(clientImpl, "TLS", null, new TrustManager[] {configured(counter, plain)});
            // the certificate is for localhost and 127.0.0.1 only
            SSLEngine c = ctx.createSSLEngine("wrong.example", 443);
            c.setUseClientMode(true);
            SSLParameters p = c.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            p.setProtocols(new String[] {protocol});
            c.setSSLParameters(p);
            EnginePair d = new EnginePair(c, Contexts.server(Impl.NATIVE, "server-ec").createSSLEngine());
            assertFalse(d.settle(Exception.class), clientImpl + " client, " + protocol + ", "
                + (plain ? "plain X509TrustManager" : "X509ExtendedTrustManager")
                + ": the handshake succeeded with a certificate for localhost while connecting to wrong.example"
                + " with endpoint identification HTTPS");
            assertInstanceOf(SSLException.class, d.client.failure, d::describe);
            assertTrue(describe(d.client.failure).contains("wrong.example"),
                "the failure should name the host that did not match: " + d.describe());
        }
    }

    // ---- client authentication -------------------------------------------------------------------

    private static SSLEngine authServer(CountingTrustManager trust, boolean need) {
        SSLEngine s = Contexts.create(Impl.NATIVE, "TLS", TestPki.get().keyManagers("server-ec"),
            new TrustManager[] {trust}).createSSLEngine();
        s.setUseClientMode(false);
        if (need) {
            s.setNeedClientAuth(true);
        } else {
            s.setWantClientAuth(true);
        }
        return s;
    }

    private static SSLEngine authClient(Impl impl, String protocol, String key) {
        TestPki pki = TestPki.get();
        SSLEngine c = Contexts.create(impl, "TLS", key == null ? null : pki.keyManagers(key), pki.trustManagers())
            .createSSLEngine(HOST, 443);
        c.setUseClientMode(true);
        c.setEnabledProtocols(new String[] {protocol});
        return c;
    }

    @ParameterizedTest(name = "need client auth, {0} client without a key, {1}")
    @CsvSource({"NATIVE, TLSv1.3", "NATIVE, TLSv1.2", "SUN, TLSv1.3", "SUN, TLSv1.2"})
    void needClientAuthWithoutClientKeyFails(Impl client, String protocol) {
        CountingTrustManager trust = counting(false);
        SSLEngine server = authServer(trust, true);
        EnginePair d = new EnginePair(authClient(client, protocol, null), server);
        assertFalse(d.settle(Exception.class), "the handshake succeeded without the client certificate the server needs");
        assertInstanceOf(SSLHandshakeException.class, d.server.failure, d::describe);
        // In TLS 1.3 the client is done before the server judges its (empty) Certificate: it learns
        // of the refusal from the alert on its next read, which still ends in an SSLException.
        assertInstanceOf(SSLException.class, d.client.failure, d::describe);
        assertEquals(0, trust.clientChecks(), "there was no client chain to check");
        assertEquals(0, d.server.finished, "the server reported FINISHED");
    }

    @ParameterizedTest(name = "want client auth, client without a key, {0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void wantClientAuthWithoutClientKeySucceedsUnauthenticated(String protocol) throws Exception {
        CountingTrustManager trust = counting(false);
        SSLEngine server = authServer(trust, false);
        SSLEngine client = authClient(Impl.NATIVE, protocol, null);
        EnginePair d = new EnginePair(client, server);
        assertTrue(d.settle(Exception.class), d.describe());
        assertEquals(protocol, server.getSession().getProtocol());
        assertThrows(SSLPeerUnverifiedException.class, () -> server.getSession().getPeerCertificates(),
            "the server's session claims a client certificate");
        assertThrows(SSLPeerUnverifiedException.class, () -> server.getSession().getPeerPrincipal());
        assertNull(client.getSession().getLocalCertificates(), "the client sent no certificate");
        assertEquals(0, trust.clientChecks(), "there was no client chain to check");
    }

    @ParameterizedTest(name = "need client auth, client with a key, {0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void needClientAuthWithClientKeySucceedsAndVerifiesTheClient(String protocol) throws Exception {
        CountingTrustManager trust = counting(false);
        SSLEngine server = authServer(trust, true);
        SSLEngine client = authClient(Impl.NATIVE, protocol, "client");
        EnginePair d = new EnginePair(client, server);
        assertTrue(d.settle(Exception.class), d.describe());
        assertEquals(1, trust.clientChecks(), "the server's trust manager checks the client chain once");
        Check check = trust.checks.get(0);
        assertFalse(check.server);
        assertEquals("EC", check.authType, "authType for an EC client certificate");
        assertEquals(TestPki.get().certificate("client"), check.chain[0], "the client chain the server checked");
        assertEquals(TestPki.get().certificate("client"), server.getSession().getPeerCertificates()[0]);
    }

    @ParameterizedTest(name = "need client auth, client key the server does not trust, {0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void needClientAuthRejectsAClientTheTrustManagerRefuses(String protocol) {
        CountingTrustManager trust = counting(true);
        EnginePair d = new EnginePair(authClient(Impl.NATIVE, protocol, "client"), authServer(trust, true));
        assertFalse(d.settle(Exception.class), "the server accepted a client its trust manager refused");
        SSLHandshakeException e = assertInstanceOf(SSLHandshakeException.class, d.server.failure, d::describe);
        assertEquals(1, trust.clientChecks());
        assertTrue(chainContainsInstance(e, trust.thrown.get(0)), describe(e));
        assertInstanceOf(SSLException.class, d.client.failure, d::describe);
    }

    // ---- protocols and cipher suites ---------------------------------------------------------------

    private static final List<String> LEGACY = List.of("SSLv2Hello", "SSLv3", "TLSv1", "TLSv1.1");

    @Test
    void noLegacyProtocolIsSupportedOrEnabled() throws Exception {
        SSLContext ctx = Contexts.server(Impl.NATIVE, "server-ec");
        SSLEngine client = ctx.createSSLEngine(HOST, 443);
        client.setUseClientMode(true);
        SSLEngine server = ctx.createSSLEngine();
        server.setUseClientMode(false);
        List<String[]> lists = List.of(client.getSupportedProtocols(), client.getEnabledProtocols(),
            server.getSupportedProtocols(), server.getEnabledProtocols(), client.getSSLParameters().getProtocols(),
            Contexts.client(Impl.NATIVE).createSSLEngine().getEnabledProtocols());
        for (String[] list : lists) {
            for (String legacy : LEGACY) {
                assertFalse(Arrays.asList(list).contains(legacy), legacy + " in " + Arrays.toString(list));
            }
            assertTrue(list.length > 0, "no protocol at all");
        }
    }

    /**
     * As SunJSSE with these protocols in jdk.tls.disabledAlgorithms: the names are accepted (code
     * that lists them next to TLSv1.2 keeps working) but never negotiated.
     */
    @Test
    void legacyProtocolNamesAreAcceptedButNeverNegotiated() throws Exception {
        SSLContext ctx = Contexts.server(Impl.NATIVE, "server-ec");
        for (String legacy : LEGACY) {
            SSLEngine only = ctx.createSSLEngine(HOST, 443);
            only.setUseClientMode(true);
            only.setEnabledProtocols(new String[] {legacy});
            assertEquals(List.of(legacy), Arrays.asList(only.getEnabledProtocols()));
            SSLHandshakeException e = assertThrows(SSLHandshakeException.class, only::beginHandshake, legacy);
            assertTrue(e.getMessage().contains("No appropriate protocol"), e.getMessage());

            SSLEngine mixed = ctx.createSSLEngine(HOST, 443);
            mixed.setUseClientMode(true);
            mixed.setEnabledProtocols(new String[] {"TLSv1.2", legacy});
            SSLEngine server = ctx.createSSLEngine();
            server.setUseClientMode(false);
            server.setEnabledProtocols(new String[] {"TLSv1.3", "TLSv1.2", legacy});
            new io.nativetls.testing.EnginePair(mixed, server).handshake();
            assertEquals("TLSv1.2", mixed.getSession().getProtocol());
        }
    }

    @Test
    void noWeakCipherSuiteIsEnabledByDefault() throws Exception {
        SSLContext ctx = Contexts.server(Impl.NATIVE, "server-ec");
        SSLEngine client = ctx.createSSLEngine(HOST, 443);
        client.setUseClientMode(true);
        SSLEngine server = ctx.createSSLEngine();
        server.setUseClientMode(false);
        List<String[]> lists = List.of(client.getEnabledCipherSuites(), server.getEnabledCipherSuites(),
            client.getSSLParameters().getCipherSuites());
        assertNoWeakSuites(lists);
    }

    private static void assertNoWeakSuites(List<String[]> lists) {
        List<String> problems = new ArrayList<>();
        for (String[] list : lists) {
            assertTrue(list.length > 0, "no cipher suite enabled");
            for (String suite : list) {
                String weakness = weakness(suite);
                if (weakness != null) {
                    problems.add(suite + " (" + weakness + ")");
                }
            }
        }
        assertTrue(problems.isEmpty(), "weak suites enabled by default: " + problems);
    }

    /**
     * Applications and frameworks (java.net.http.HttpClient among them) read an SSLContext's defaults
     * with getDefaultSSLParameters() and getSupportedSSLParameters(); those must answer too, with the
     * same safe protocols and suites as the engines.
     */
    @Test
    void contextDefaultAndSupportedParametersHaveNoLegacyProtocolOrWeakSuite() {
        SSLContext ctx = Contexts.client(Impl.NATIVE);
        SSLParameters defaults = ctx.getDefaultSSLParameters();
        SSLParameters supported = ctx.getSupportedSSLParameters();
        for (String[] list : List.of(defaults.getProtocols(), supported.getProtocols())) {
            for (String legacy : LEGACY) {
                assertFalse(Arrays.asList(list).contains(legacy), legacy + " in " + Arrays.toString(list));
            }
        }
        assertNoWeakSuites(List.<String[]>of(defaults.getCipherSuites()));
    }

    /** Why a suite is weak, or null. TLS 1.3 suites (TLS_AES_*, TLS_CHACHA20_*) have no key exchange in the name. */
    private static String weakness(String suite) {
        String s = suite.toUpperCase(Locale.ROOT);
        if (s.contains("_CBC_") || s.contains("_CBC3_")) {
            return "CBC";
        }
        if (s.startsWith("TLS_RSA_") || s.startsWith("SSL_RSA_")) {
            return "static RSA key exchange";
        }
        if (s.contains("NULL")) {
            return "NULL";
        }
        if (s.contains("ANON")) {
            return "anonymous";
        }
        if (s.contains("EXPORT")) {
            return "export";
        }
        if (s.contains("RC4")) {
            return "RC4";
        }
        if (s.contains("3DES") || s.contains("_DES_")) {
            return "DES";
        }
        if (s.endsWith("_SHA")) {
            return "SHA-1 MAC";
        }
        if (s.contains("_PSK_") || s.contains("_SRP_") || s.contains("_DSS_") || s.contains("_ECDH_")
            || s.contains("_DH_")) {
            return "no forward secrecy or unauthenticated";
        }
        if (!s.startsWith("TLS_ECDHE_") && !s.startsWith("TLS_DHE_") && !s.startsWith("TLS_AES_")
            && !s.startsWith("TLS_CHACHA20_") && !s.equals("TLS_EMPTY_RENEGOTIATION_INFO_SCSV")) {
            return "not an ephemeral key exchange";
        }
        return null;
    }

    /** An openssl s_client connected to a NativeTLS server engine on a loopback socket. */
    private final class Served {
        final ChildProcess client;
        final Socket socket;
        final SSLEngine engine;
        final EngineStream stream;

        Served(ChildProcess client, Socket socket, SSLEngine engine) throws IOException {
            this.client = client;
            this.socket = socket;
            this.engine = engine;
            this.stream = new EngineStream(engine, socket);
        }
    }

    private Served serveOpenSslClient(SSLContext ctx, String... sClientArgs) throws Exception {
        ServerSocket listener = cleanup.later(new ServerSocket(0, 1, InetAddress.getByName(ChildProcess.LOOPBACK)));
        listener.setSoTimeout(SOCKET_TIMEOUT_MS);
        List<String> args = new ArrayList<>(List.of("s_client", "-connect",
            ChildProcess.LOOPBACK + ":" + listener.getLocalPort()));
        args.addAll(List.of(sClientArgs));
        ChildProcess client = cleanup.later(ChildProcess.openssl(TestPki.get().dir, args));
        Socket socket = cleanup.later(listener.accept());
        socket.setSoTimeout(SOCKET_TIMEOUT_MS);
        SSLEngine engine = ctx.createSSLEngine();
        engine.setUseClientMode(false);
        return new Served(client, socket, engine);
    }

    private Socket connect(int port) throws IOException {
        Socket socket = cleanup.later(new Socket());
        socket.connect(new InetSocketAddress(InetAddress.getByName(ChildProcess.LOOPBACK), port), SOCKET_TIMEOUT_MS);
        socket.setSoTimeout(SOCKET_TIMEOUT_MS);
        return socket;
    }

    /** Control: with these flags the openssl tools on this machine do talk TLS 1.1 to each other. */
    private void assertOpenSslItselfSpeaksTls11() throws Exception {
        List<String> seclevel0 = List.of("-cipher", "DEFAULT@SECLEVEL=0");
        List<String> serverArgs = new ArrayList<>(List.of("-cert", "server-ec.pem", "-key", "server-ec.key",
            "-tls1_1"));
        serverArgs.addAll(seclevel0);
        ChildProcess server = cleanup.later(ChildProcess.opensslServer(TestPki.get().dir, serverArgs, ChildProcess.WAIT));
        List<String> clientArgs = new ArrayList<>(List.of("s_client", "-connect",
            ChildProcess.LOOPBACK + ":" + server.port(), "-tls1_1"));
        clientArgs.addAll(seclevel0);
        ChildProcess client = cleanup.later(ChildProcess.openssl(TestPki.get().dir, clientArgs));
        assertTrue(client.awaitOutput("New, TLSv1", ChildProcess.WAIT), "control: openssl s_client and s_server at SECLEVEL=0 did not"
            + " complete a TLS 1.1 handshake, so the checks below would prove nothing" + client.describe()
            + server.describe());
        client.close();
        server.close();
    }

    @ParameterizedTest(name = "openssl s_client {0} against a NativeTLS server")
    @ValueSource(strings = {"-tls1_1", "-tls1"})
    void legacyProtocolClientIsRefused(String flag) throws Exception {
        if (flag.equals("-tls1_1")) {
            assertOpenSslItselfSpeaksTls11();
        }
        Served s = serveOpenSslClient(Contexts.server(Impl.NATIVE, "server-ec"), flag, "-cipher",
            "DEFAULT@SECLEVEL=0", "-CAfile", "ca.pem");
        SSLHandshakeException e = assertThrows(SSLHandshakeException.class, s.stream::handshake,
            () -> "NativeTLS server accepted " + flag + s.client.describe());
        assertTrue(e.getMessage().toLowerCase(Locale.ROOT).contains("protocol"),
            "the server's exception should say the protocol is the problem: " + describe(e));
        SecuritySupport.sendPendingRecords(s.engine, s.socket);
        assertTrue(s.client.awaitOutput("alert protocol version", ChildProcess.WAIT),
            "s_client should report the server's protocol_version alert" + s.client.describe());
        assertFalse(s.client.output().contains("Cipher is ECDHE") || s.client.output().contains("Cipher is AES"),
            "s_client reports a negotiated suite" + s.client.describe());
    }

    @ParameterizedTest(name = "NativeTLS client against openssl s_server {0}")
    @ValueSource(strings = {"-tls1_1", "-tls1"})
    void legacyProtocolServerIsRefused(String flag) throws Exception {
        ChildProcess server = cleanup.later(ChildProcess.opensslServer(TestPki.get().dir,
            List.of("-cert", "server-ec.pem", "-key", "server-ec.key", flag, "-cipher", "DEFAULT@SECLEVEL=0"), ChildProcess.WAIT));
        CountingTrustManager trust = counting(false);
        SSLEngine engine = nativeClient(trust, "TLSv1.2");
        engine.setEnabledProtocols(engine.getSupportedProtocols());
        Socket socket = connect(server.port());
        EngineStream client = new EngineStream(engine, socket);
        SSLHandshakeException e = assertThrows(SSLHandshakeException.class, client::handshake,
            () -> "NativeTLS client accepted " + flag + server.describe());
        assertTrue(e.getMessage().toLowerCase(Locale.ROOT).contains("protocol"),
            "the client's exception should say the protocol is the problem: " + describe(e));
        assertEquals(0, trust.serverChecks(), "the legacy server's certificate was never even checked");
    }

    @ParameterizedTest(name = "openssl s_client -cipher <CBC, static RSA, SHA-1, 3DES> against NativeTLS, {0}")
    @ValueSource(strings = {"server-ec", "server-rsa"})
    void weakSuitesOfferedByOpenSslAreRefused(String key) throws Exception {
        String weak = "AES128-SHA:AES256-SHA:AES128-SHA256:AES128-GCM-SHA256:DES-CBC3-SHA:ECDHE-RSA-AES128-SHA"
            + ":ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA384:ECDHE-RSA-AES256-SHA384:@SECLEVEL=0";
        Served s = serveOpenSslClient(Contexts.server(Impl.NATIVE, key), "-tls1_2", "-cipher", weak,
            "-CAfile", "ca.pem");
        SSLHandshakeException e = assertThrows(SSLHandshakeException.class, s.stream::handshake,
            () -> "NativeTLS server agreed to a weak suite" + s.client.describe());
        assertTrue(describe(e).toLowerCase(Locale.ROOT).contains("cipher"), describe(e));
        SecuritySupport.sendPendingRecords(s.engine, s.socket);
        assertTrue(s.client.awaitOutput("alert handshake failure", ChildProcess.WAIT), s.client.describe());
    }

    // ---- compression and renegotiation -------------------------------------------------------------

    @ParameterizedTest(name = "s_client against NativeTLS server, {0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void noCompressionAndSecureRenegotiationIndication(String protocol) throws Exception {
        Served s = serveOpenSslClient(Contexts.server(Impl.NATIVE, "server-ec"), onlyFlag(protocol),
            "-CAfile", "ca.pem");
        s.stream.handshake();
        assertTrue(s.client.awaitOutput("Verify return code", ChildProcess.WAIT), s.client.describe());
        String out = s.client.output();
        assertTrue(out.contains("Compression: NONE"), "compression must be off" + s.client.describe());
        assertFalse(out.contains("Compression: zlib") || out.contains("Compression: 1"), s.client.describe());
        if (protocol.equals("TLSv1.2")) {
            assertTrue(out.contains("Secure Renegotiation IS supported"),
                "the renegotiation_info indication must be sent in TLS 1.2" + s.client.describe());
        }
        s.client.closeStdin();
        s.client.awaitExit(SecuritySupport.WAIT);
    }

    // ---- session tickets ---------------------------------------------------------------------------

    /**
     * One s_client connection to a NativeTLS server engine of ctx; waits until s_client has the
     * server's data (so it has also processed any TLS 1.3 tickets sent before it) and exits.
     * Returns s_client's output.
     */
    private String sClientSession(SSLContext ctx, String protocol, String sessionFlag, Path sessionFile)
        throws Exception {
        Served s = serveOpenSslClient(ctx, onlyFlag(protocol), "-CAfile", "ca.pem", "-servername", HOST,
            sessionFlag, sessionFile.toString());
        s.stream.handshake();
        String line = "after-handshake-" + HexFormat.of().formatHex(randomBytes(8)) + "\n";
        byte[] b = line.getBytes(StandardCharsets.ISO_8859_1);
        s.stream.write(b, 0, b.length);
        assertTrue(s.client.awaitOutput(line, ChildProcess.WAIT), "s_client did not print the server's data" + s.client.describe());
        assertTrue(s.client.awaitOutput("Cipher is", ChildProcess.WAIT), s.client.describe());
        s.client.closeStdin();
        assertTrue(s.client.awaitExit(SecuritySupport.WAIT), "s_client did not exit" + s.client.describe());
        s.socket.close();
        return s.client.output();
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    @ParameterizedTest(name = "session tickets bound to the SSLContext, {0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void sessionTicketKeysAreRandomPerContext(String protocol) throws Exception {
        KeyManager[] keys = TestPki.get().keyManagers("server-ec");
        SSLContext a = Contexts.create(Impl.NATIVE, "TLS", keys, TestPki.get().trustManagers());
        SSLContext b = Contexts.create(Impl.NATIVE, "TLS", keys, TestPki.get().trustManagers());
        Path session = tmp.resolve("session-" + protocol + ".pem");

        String first = sClientSession(a, protocol, "-sess_out", session);
        assertTrue(first.contains("New, " + protocol), "first connection" + first);
        assertTrue(Files.size(session) > 0, "s_client saved no session" + first);
        String saved = Files.readString(session);

        String other = sClientSession(b, protocol, "-sess_in", session);
        assertTrue(other.contains("Reused, ") || other.contains("New, "), "no session line" + other);
        assertFalse(other.contains("Reused, "), "a server of another SSLContext (same key material) resumed a"
            + " session of context A: ticket keys or session cache are shared across contexts\n" + other);
        assertEquals(saved, Files.readString(session), "-sess_in must not rewrite the session file");

        String again = sClientSession(a, protocol, "-sess_in", session);
        assertTrue(again.contains("Reused, " + protocol), "the same SSLContext should resume its own session"
            + " (s_client offered the saved " + protocol + " session)\n" + again);
    }

    // ---- no key material in logs -----------------------------------------------------------------

    private static final class Capture extends Handler {
        final List<String> texts = new ArrayList<>();
        final SimpleFormatter formatter = new SimpleFormatter();

        @Override
        public synchronized void publish(LogRecord r) {
            StringBuilder sb = new StringBuilder();
            sb.append(r.getLoggerName()).append(' ').append(r.getLevel()).append(' ').append(r.getMessage());
            try {
                sb.append(' ').append(formatter.formatMessage(r));
            } catch (RuntimeException e) {
                sb.append(" (unformattable)");
            }
            if (r.getParameters() != null) {
                for (Object p : r.getParameters()) {
                    sb.append(' ').append(p);
                }
            }
            if (r.getThrown() != null) {
                sb.append(' ').append(describe(r.getThrown()));
            }
            texts.add(sb.toString());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }

    /** Hex (both cases) and Base64 forms of a key's encoding and of its secret number. */
    private static List<String> secretForms(PrivateKey key) {
        List<String> out = new ArrayList<>();
        byte[] encoded = key.getEncoded();
        out.add(HexFormat.of().formatHex(encoded));
        out.add(HexFormat.of().withUpperCase().formatHex(encoded));
        out.add(HexFormat.ofDelimiter(":").formatHex(encoded));
        out.add(Base64.getEncoder().encodeToString(encoded));
        out.add(Base64.getMimeEncoder().encodeToString(encoded).split("\r\n")[0]);
        BigInteger secret = key instanceof ECPrivateKey ? ((ECPrivateKey) key).getS()
            : key instanceof RSAPrivateCrtKey ? ((RSAPrivateCrtKey) key).getPrivateExponent() : null;
        if (secret != null) {
            byte[] raw = secret.toByteArray();
            out.add(secret.toString(16));
            out.add(secret.toString(16).toUpperCase(Locale.ROOT));
            out.add(Base64.getEncoder().encodeToString(raw));
            out.add(secret.toString());
        }
        return out;
    }

    @Test
    void noKeyMaterialInLogs() throws Exception {
        TestPki pki = TestPki.get();
        Logger root = Logger.getLogger("");
        Logger ours = Logger.getLogger("io.nativetls");
        Level rootLevel = root.getLevel();
        Level ourLevel = ours.getLevel();
        Capture capture = new Capture();
        capture.setLevel(Level.ALL);
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        List<String> exceptions = new ArrayList<>();
        root.addHandler(capture);
        root.setLevel(Level.ALL);
        ours.setLevel(Level.ALL);
        try {
            System.setOut(new PrintStream(new Tee(out, printed), true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(new Tee(err, printed), true, StandardCharsets.UTF_8));
            for (String protocol : new String[] {"TLSv1.3", "TLSv1.2"}) {
                // a good handshake with client authentication, RSA and EC server keys
                for (String key : new String[] {"server-ec", "server-rsa"}) {
                    SSLEngine server = Contexts.server(Impl.NATIVE, key).createSSLEngine();
                    server.setUseClientMode(false);
                    server.setNeedClientAuth(true);
                    EnginePair ok = new EnginePair(authClient(Impl.NATIVE, protocol, "client"), server);
                    assertTrue(ok.settle(Exception.class), ok.describe());
                }
                // failing ones: a key that does not match, and a refused server certificate
                SecuritySupport.FixedKeyManager mismatched = new SecuritySupport.FixedKeyManager("mismatched",
                    SecuritySupport.chainOf("server-ec"), pki.privateKey("server-rsa"));
                SSLEngine badServer = Contexts.create(Impl.NATIVE, "TLS", new KeyManager[] {mismatched},
                    pki.trustManagers()).createSSLEngine();
                EnginePair bad = new EnginePair(authClient(Impl.NATIVE, protocol, null), badServer);
                assertFalse(bad.settle(Exception.class));
                exceptions.add(bad.describe());
                EnginePair refused = new EnginePair(nativeClient(counting(true), protocol),
                    Contexts.server(Impl.NATIVE, "server-rsa").createSSLEngine());
                assertFalse(refused.settle(Exception.class));
                exceptions.add(refused.describe());
            }
        } finally {
            System.setOut(out);
            System.setErr(err);
            root.removeHandler(capture);
            root.setLevel(rootLevel);
            ours.setLevel(ourLevel);
        }
        List<String> texts = new ArrayList<>(capture.texts);
        texts.add(printed.toString(StandardCharsets.UTF_8));
        texts.addAll(exceptions);
        List<String> leaks = new ArrayList<>();
        for (String name : new String[] {"server-ec", "server-rsa", "client"}) {
            List<String> forms = secretForms(pki.privateKey(name));
            for (String text : texts) {
                for (String form : forms) {
                    if (text.contains(form)) {
                        leaks.add(name + "'s key in: " + abbreviate(text));
                    }
                }
                // PEM armour ("-----BEGIN PRIVATE KEY-----", "EC PRIVATE KEY"...); messages may say "private key"
                if (text.contains("PRIVATE KEY")) {
                    leaks.add("\"PRIVATE KEY\" in: " + abbreviate(text));
                }
            }
        }
        assertTrue(leaks.isEmpty(), "key material in " + capture.texts.size() + " log records, console output or"
            + " exception messages: " + leaks);
    }

    private static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    /** Writes to the original stream and keeps a copy. */
    private static final class Tee extends java.io.OutputStream {
        private final java.io.OutputStream original;
        private final ByteArrayOutputStream copy;

        Tee(java.io.OutputStream original, ByteArrayOutputStream copy) {
            this.original = original;
            this.copy = copy;
        }

        @Override
        public synchronized void write(int b) throws IOException {
            original.write(b);
            copy.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            original.write(b, off, len);
            copy.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            original.flush();
        }
    }
}
