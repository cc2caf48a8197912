package io.nativetls.fips;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Pointer;
import io.nativetls.NativeTls;
import io.nativetls.internal.ssl.NativeRuntime;
import io.nativetls.testing.ChildProcess;
import io.nativetls.testing.Contexts;
import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.Connections;
import io.nativetls.testing.DelegatingKeyManager;
import io.nativetls.testing.EnginePair;
import io.nativetls.testing.RawPrivateKey;
import io.nativetls.testing.SavedProperty;
import io.nativetls.testing.Tags;
import io.nativetls.testing.TestPki;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyManagementException;
import java.security.PrivateKey;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * FIPS mode as it runs: this JVM started with -Dio.nativetls.fips=true and OpenSSL 3.5 with its
 * FIPS module (the openssl-3.5-fips stage; elsewhere these tests skip themselves). What is in force
 * and which provider serves the algorithms TLS used is asked of libcrypto itself ({@link FipsOracle});
 * what FIPS does not approve (ChaCha20-Poly1305, X25519) is refused when configured and when a peer
 * offers nothing else; the process's default library context stays as its configuration file made it.
 */
@Tag(Tags.FIPS)
class FipsModeTest {
    private static FipsOracle oracle;
    /** NativeTLS's library context, as libcrypto knows it. */
    private static Pointer fipsContext;

    @BeforeAll
    static void fipsModeIsRunning() throws Exception {
        assumeFalse(Boolean.getBoolean("io.nativetls.test.sanitizer"), "JNA under AddressSanitizer");
        if (Boolean.getBoolean("io.nativetls.test.expectFips")) {
            assertTrue(NativeTls.isAvailable(), String.valueOf(NativeTls.unavailabilityCause()));
            assertTrue(NativeRuntime.fipsMode(), "the stage starts the JVM with io.nativetls.fips=true");
        } else {
            assumeTrue(NativeTls.isAvailable() && NativeRuntime.fipsMode(),
                "FIPS mode runs in the openssl-3.5-fips stage (io.nativetls.fips=true)");
        }
        oracle = new FipsOracle();
        fipsContext = new Pointer(NativeRuntime.libraryContextAddress());
        // SunJSSE reads jdk.tls.namedGroups once, at its first handshake: before any test here sets it.
        Connections.connect(Contexts.client(Impl.SUN), Contexts.server(Impl.SUN, "server-ec"), "localhost", 443,
            "TLSv1.3", null);
    }

    @Test
    void fipsIsInForceInNativeTlssOwnContextAndNowhereElse() {
        assertTrue(NativeTls.isFipsEnabled());
        assertTrue(oracle.fipsProperties(fipsContext), "default properties fips=yes in NativeTLS's context");
        assertEquals(List.of("base", "fips"), sorted(oracle.providers(fipsContext)),
            "only FIPS (and base, which has no cryptography) can serve a fetch there");
        assertFalse(oracle.available(fipsContext, "default"));
        // The process's own context is the stage's configuration file's: the default provider, no fips=yes.
        assertFalse(oracle.fipsProperties(null), "the process's default context is not changed");
        assertTrue(oracle.available(null, "default"));
        assertFalse(oracle.available(null, "fips"));
        // What NativeTLS lists and reports is the same context.
        List<String> listed = new java.util.ArrayList<>();
        try {
            for (String p : NativeRuntime.providers()) {
                listed.add(p.split("\t")[0]);
            }
        } catch (javax.net.ssl.SSLException e) {
            throw new AssertionError(e);
        }
        assertEquals(sorted(oracle.providers(fipsContext)), sorted(listed));
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void handshakesRunOnTheFipsProvider(String protocol) throws Exception {
        for (String key : List.of("server-ec", "server-rsa")) {
            // NativeTLS server, SunJSSE client; then the other way round.
            SSLSession[] asServer = Connections.connect(Contexts.client(Impl.SUN), Contexts.server(Impl.NATIVE, key),
                "localhost", 443, protocol, null);
            SSLSession[] asClient = Connections.connect(Contexts.client(Impl.NATIVE), Contexts.server(Impl.SUN, key),
                "localhost", 443, protocol, null);
            for (SSLSession s : List.of(asServer[1], asClient[0])) {
                assertEquals(protocol, s.getProtocol());
                String suite = s.getCipherSuite();
                assertTrue(suite.contains("_AES_128_GCM_") || suite.contains("_AES_256_GCM_"), suite);
                String cipher = suite.contains("_AES_128_GCM_") ? "AES-128-GCM" : "AES-256-GCM";
                assertEquals("fips", oracle.cipherProvider(fipsContext, cipher), cipher);
                String group = NativeTls.negotiatedGroup(s).orElseThrow();
                assertFalse(group.equalsIgnoreCase("x25519"), group);
                assertEquals("fips", oracle.keyExchangeProvider(fipsContext, group.startsWith("ffdhe") ? "DH" : "ECDH"));
                assertEquals("fips", oracle.signatureProvider(fipsContext, key.equals("server-ec") ? "ECDSA" : "RSA"));
            }
        }
        // And what FIPS does not approve is not there to be fetched.
        assertNull(oracle.cipherProvider(fipsContext, "ChaCha20-Poly1305"));
        assertNull(oracle.keyExchangeProvider(fipsContext, "X25519"));
        assertEquals("default", oracle.cipherProvider(null, "ChaCha20-Poly1305"), "the process's context has it");
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void sessionsResumeInFipsMode(String protocol) throws Exception {
        // Tickets and session ids: their keys, MACs and ciphers are fetched in the FIPS context too.
        SSLContext client = Contexts.client(Impl.NATIVE);
        SSLContext server = Contexts.server(Impl.NATIVE, "server-ec");
        SSLSession[] first = Connections.connect(client, server, "localhost", 8443, protocol, null);
        SSLSession[] second = Connections.connect(client, server, "localhost", 8443, protocol, null);
        assertSame(first[0], second[0], "the client resumed the same SSLSession");
        assertSame(first[1], second[1], "the server resumed the same SSLSession");
    }

    @Test
    void suitesFipsDoesNotApproveAreRefusedWhenConfigured() {
        SSLEngine engine = Contexts.client(Impl.NATIVE).createSSLEngine();
        List<String> supported = Arrays.asList(engine.getSupportedCipherSuites());
        assertTrue(supported.contains("TLS_AES_256_GCM_SHA384"), supported.toString());
        assertFalse(supported.stream().anyMatch(s -> s.contains("CHACHA20")), supported.toString());
        assertFalse(Arrays.asList(engine.getEnabledCipherSuites()).stream().anyMatch(s -> s.contains("CHACHA20")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> engine.setEnabledCipherSuites(new String[] {"TLS_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256"}));
        assertTrue(e.getMessage().contains("TLS_CHACHA20_POLY1305_SHA256 is not approved in FIPS mode"), e.getMessage());
        SSLParameters p = engine.getSSLParameters();
        p.setCipherSuites(new String[] {"TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"});
        e = assertThrows(IllegalArgumentException.class, () -> engine.setSSLParameters(p));
        assertTrue(e.getMessage().contains("TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256 is not approved"), e.getMessage());
        // A name no OpenSSL has stays an unknown name, as in SunJSSE.
        e = assertThrows(IllegalArgumentException.class, () -> engine.setEnabledCipherSuites(new String[] {"TLS_NOPE"}));
        assertEquals("Unsupported CipherSuite: TLS_NOPE", e.getMessage());
    }

    @Test
    void groupsFipsDoesNotApproveAreRefusedWhenConfigured() throws Exception {
        try (SavedProperty saved = SavedProperty.of("jdk.tls.namedGroups")) {
            System.setProperty("jdk.tls.namedGroups", "secp256r1,x25519");
            SSLContext ctx = SSLContext.getInstance("TLS", Contexts.NATIVE);
            KeyManagementException e = assertThrows(KeyManagementException.class,
                () -> ctx.init(null, TestPki.get().trustManagers(), null));
            assertTrue(e.getMessage().contains("x25519 is not approved in FIPS mode"), e.getMessage());
            // Names no OpenSSL has are still skipped as SunJSSE skips them; approved ones work.
            System.setProperty("jdk.tls.namedGroups", "secp384r1,nonesuch");
            SSLSession[] s = Connections.connect(Contexts.client(Impl.NATIVE), Contexts.server(Impl.NATIVE, "server-ec"),
                "localhost", 443, "TLSv1.3", null);
            assertEquals("secp384r1", NativeTls.negotiatedGroup(s[0]).orElseThrow());
        }
    }

    @Test
    void aPeerOfferingOnlyWhatFipsDoesNotApproveIsRefused() throws Exception {
        SSLEngine client = Contexts.client(Impl.SUN).createSSLEngine("localhost", 443);
        client.setUseClientMode(true);
        client.setEnabledProtocols(new String[] {"TLSv1.3"});
        client.setEnabledCipherSuites(new String[] {"TLS_CHACHA20_POLY1305_SHA256"});
        SSLEngine server = Contexts.server(Impl.NATIVE, "server-ec").createSSLEngine();
        server.setUseClientMode(false);
        EnginePair pair = new EnginePair(client, server);
        assertFalse(pair.settle(javax.net.ssl.SSLException.class), "no shared suite: the handshake must fail");
        assertTrue(pair.server.failure instanceof SSLHandshakeException, String.valueOf(pair.server.failure));
        assertTrue(pair.client.failure instanceof SSLHandshakeException, String.valueOf(pair.client.failure));
    }

    @Test
    void opensslPeersHandshakeAndAreRefusedX25519(@TempDir Path dir) throws Exception {
        String prefix = System.getProperty("io.nativetls.test.openssl35", "/opt/openssl-3.5");
        String openssl = prefix + "/bin/openssl";
        // The peer is plain OpenSSL 3.5 with the system's configuration: X25519 and ChaCha20 it has.
        assertEquals("TLS_AES_256_GCM_SHA384", sClient(dir, openssl, List.of()).get(0));
        List<String> refused = sClient(dir, openssl, List.of("-groups", "X25519"));
        assertTrue(refused.get(1).contains("SSLHandshakeException"), refused.toString());
        assertTrue(refused.get(2).contains("handshake failure") || refused.get(2).contains("alert"), refused.get(2));
    }

    /**
     * One s_client connection to a NativeTLS server socket: {cipher s_client reports ("" if none),
     * the server's outcome ("ok" or its exception), s_client's output}.
     */
    private static List<String> sClient(Path dir, String openssl, List<String> args) throws Exception {
        SSLContext server = Contexts.server(Impl.NATIVE, "server-ec");
        try (SSLServerSocket listener = (SSLServerSocket) server.getServerSocketFactory()
                 .createServerSocket(0, 1, InetAddress.getByName(ChildProcess.LOOPBACK))) {
            CompletableFuture<String> outcome = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket s = (SSLSocket) listener.accept()) {
                    s.setSoTimeout(10_000);
                    s.startHandshake();
                    OutputStream out = s.getOutputStream();
                    out.write("fips\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    return "ok";
                } catch (Exception e) {
                    return e.toString();
                }
            });
            List<String> cmd = new java.util.ArrayList<>(List.of("s_client", "-connect",
                ChildProcess.LOOPBACK + ":" + listener.getLocalPort(), "-tls1_3", "-servername", "localhost"));
            cmd.addAll(args);
            try (ChildProcess c = ChildProcess.in(dir).opensslBinary(openssl)
                     .env(Map.of("OPENSSL_CONF", "/usr/lib/ssl/openssl.cnf")).openssl(cmd)) {
                String result = outcome.get(20, TimeUnit.SECONDS);
                c.awaitOutput(result.equals("ok") ? "fips" : "alert", ChildProcess.WAIT);
                String out = c.output();
                int at = out.indexOf("Cipher is ");
                String cipher = at < 0 || out.contains("Cipher is (NONE)") ? ""
                    : out.substring(at + "Cipher is ".length()).split("\\s")[0];
                return List.of(cipher, result, out);
            }
        }
    }

    @Test
    void aKeyThatSignsInJavaIsRefusedInFipsMode() throws Exception {
        X509ExtendedKeyManager real = (X509ExtendedKeyManager) TestPki.get().keyManagers("server-ec")[0];
        KeyManager[] km = {new DelegatingKeyManager(real) {
            @Override
            public PrivateKey getPrivateKey(String alias) {
                PrivateKey k = super.getPrivateKey(alias);
                return k == null ? null : new RawPrivateKey(k.getAlgorithm(), null, null); // no encoding: a token's
            }
        }};
        SSLContext server = Contexts.create(Impl.NATIVE, "TLS", km, TestPki.get().trustManagers());
        SSLEngine c = Contexts.client(Impl.SUN).createSSLEngine("localhost", 443);
        c.setUseClientMode(true);
        SSLEngine s = server.createSSLEngine();
        s.setUseClientMode(false);
        EnginePair pair = new EnginePair(c, s);
        assertFalse(pair.settle(javax.net.ssl.SSLException.class));
        assertNotNull(pair.server.failure);
        assertTrue(String.valueOf(pair.server.failure.getMessage()).contains("in FIPS mode"), String.valueOf(pair.server.failure));
    }

    private static List<String> sorted(List<String> names) {
        Set<String> s = new TreeSet<>(names);
        return List.copyOf(s);
    }
}
