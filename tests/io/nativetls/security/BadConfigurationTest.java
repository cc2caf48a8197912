package io.nativetls.security;

import static io.nativetls.security.SecuritySupport.HOST;
import static io.nativetls.testing.Causes.cause;
import static io.nativetls.testing.Causes.chainContainsInstance;
import static io.nativetls.security.SecuritySupport.chainOf;
import static io.nativetls.testing.Causes.describe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.testing.Matrix;
import io.nativetls.testing.RawPrivateKey;
import io.nativetls.testing.Causes;
import io.nativetls.testing.EnginePair;
import io.nativetls.security.SecuritySupport.CountingTrustManager;
import io.nativetls.security.SecuritySupport.ExtraPki;
import io.nativetls.security.SecuritySupport.FixedKeyManager;
import io.nativetls.testing.Contexts;
import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.TestPki;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyManagementException;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Misconfigurations a user can make: key managers handing out broken credentials, unparseable or
 * encrypted keys, certificates outside their validity, an empty trust store, no key manager on a
 * server. Each must end in an exception of the JSSE type SunJSSE would use, at init or at the
 * handshake, whose message (or cause chain) tells what is wrong; never an NPE or a crash.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BadConfigurationTest {
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    @TempDir
    static Path tmp;
    private static ExtraPki extra;

    @BeforeAll
    static void makeCertificates() throws Exception {
        extra = ExtraPki.create(tmp);
    }

    static Stream<Arguments> clientsAndProtocols() {
        return Matrix.of(Impl.values(), PROTOCOLS);
    }

    static Stream<Arguments> serversAndProtocols() {
        return clientsAndProtocols();
    }

    private static SSLEngine client(Impl impl, String protocol, TrustManager[] trust) {
        SSLEngine e = Contexts.create(impl, "TLS", null, trust).createSSLEngine(HOST, 443);
        e.setUseClientMode(true);
        e.setEnabledProtocols(new String[] {protocol});
        return e;
    }

    private static SSLEngine server(Impl impl, KeyManager[] km) {
        SSLEngine e = Contexts.create(impl, "TLS", km, TestPki.get().trustManagers()).createSSLEngine();
        e.setUseClientMode(false);
        return e;
    }

    /** Runs a handshake that must fail, and returns the driver with both sides' exceptions. */
    private static EnginePair failingHandshake(SSLEngine client, SSLEngine server) {
        EnginePair d = new EnginePair(client, server);
        assertFalse(d.settle(Exception.class), "the handshake succeeded: " + d.describe());
        return d;
    }

    /** e is an exception of type (not an NPE or other crash), with no crash anywhere in its causes. */
    private static <T extends Throwable> T assertClean(Class<T> type, Throwable e, String what) {
        assertNotNull(e, what + ": no exception");
        T typed = assertInstanceOf(type, e, () -> what + ": " + describe(e));
        for (Throwable c : Causes.chain(e)) {
            assertFalse(c instanceof NullPointerException || c instanceof IllegalStateException
                || c instanceof ClassCastException || c instanceof IndexOutOfBoundsException
                || c instanceof Error, what + ": a crash in the cause chain: " + describe(e));
        }
        String message = e.getMessage();
        assertTrue(message != null && !message.isBlank(), what + ": no message: " + describe(e));
        return typed;
    }

    private static void assertMentions(Throwable e, String what, String... fragments) {
        String all = describe(e).toLowerCase(Locale.ROOT);
        for (String f : fragments) {
            assertTrue(all.contains(f.toLowerCase(Locale.ROOT)), what + " should mention \"" + f + "\": " + describe(e));
        }
    }

    /**
     * The NativeTLS server fails with an SSLHandshakeException whose message or causes contain the
     * fragments, and the client fails too (NativeTLS: SSLHandshakeException; SunJSSE: what it makes
     * of the server's internal_error alert, an SSLException). Returns the server's exception.
     */
    private static SSLHandshakeException assertServerRejectsCredential(KeyManager km, Impl clientImpl,
        String protocol, String... fragments) {
        EnginePair d = failingHandshake(client(clientImpl, protocol, TestPki.get().trustManagers()),
            server(Impl.NATIVE, new KeyManager[] {km}));
        SSLHandshakeException server = assertClean(SSLHandshakeException.class, d.server.failure, "server");
        assertClean(expectedClientFailure(clientImpl), d.client.failure, "client");
        assertFalse(SecuritySupport.handshaking(d.client.engine) && !d.client.engine.isInboundDone(),
            "the client still waits for the handshake: " + d.describe());
        assertMentions(server, "the server's exception or its causes", fragments);
        return server;
    }

    /** A NativeTLS client fails a handshake with SSLHandshakeException; SunJSSE with some SSLException. */
    private static Class<? extends SSLException> expectedClientFailure(Impl client) {
        return client == Impl.NATIVE ? SSLHandshakeException.class : SSLException.class;
    }

    // ---- key managers handing out broken credentials ----------------------------------------------

    @ParameterizedTest(name = "alias without private key, {0} client, {1}")
    @MethodSource("clientsAndProtocols")
    void keyManagerReturnsNullPrivateKey(Impl client, String protocol) {
        FixedKeyManager km = new FixedKeyManager("alias-without-key", chainOf("server-ec"), null);
        assertServerRejectsCredential(km, client, protocol, "alias-without-key", "no private key");
    }

    @ParameterizedTest(name = "alias without chain, {0} client, {1}")
    @MethodSource("clientsAndProtocols")
    void keyManagerReturnsNullChain(Impl client, String protocol) {
        FixedKeyManager km = new FixedKeyManager("alias-without-chain", null, TestPki.get().privateKey("server-ec"));
        assertServerRejectsCredential(km, client, protocol, "alias-without-chain", "no certificate chain");
    }

    @ParameterizedTest(name = "alias with empty chain, {0} client, {1}")
    @MethodSource("clientsAndProtocols")
    void keyManagerReturnsEmptyChain(Impl client, String protocol) {
        FixedKeyManager km = new FixedKeyManager("alias-with-empty-chain", new X509Certificate[0],
            TestPki.get().privateKey("server-ec"));
        assertServerRejectsCredential(km, client, protocol, "alias-with-empty-chain", "no certificate chain");
    }

    static Stream<Arguments> mismatchedKeys() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        PrivateKey otherRsa = rsa.generateKeyPair().getPrivate();
        TestPki pki = TestPki.get();
        List<Arguments> out = new ArrayList<>();
        for (String protocol : PROTOCOLS) {
            out.add(Arguments.of("EC chain, RSA key", chainOf("server-ec"), pki.privateKey("server-rsa"), protocol));
            out.add(Arguments.of("RSA chain, another RSA key", chainOf("server-rsa"), otherRsa, protocol));
            out.add(Arguments.of("EC chain, another EC key", chainOf("server-ec"), pki.privateKey("client"), protocol));
            out.add(Arguments.of("RSA chain, EC key", chainOf("server-rsa"), pki.privateKey("server-ec"), protocol));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}, {3}")
    @MethodSource("mismatchedKeys")
    void keyManagerReturnsKeyThatDoesNotMatchTheCertificate(String what, X509Certificate[] chain, PrivateKey key,
        String protocol) {
        FixedKeyManager km = new FixedKeyManager("mismatched", chain, key);
        // NativeTLS words it "matching the private key to its certificate failed: key values mismatch"
        assertServerRejectsCredential(km, Impl.NATIVE, protocol, "mismatched", "private key", "match");
        assertTrue(km.keyRequests.get() >= 1, "the key manager was never asked for the key");
    }

    static Stream<Arguments> unusableKeys() throws Exception {
        byte[] pkcs8 = extra.bytes("server-ec.p8");
        byte[] encrypted = extra.bytes("server-ec.enc.p8");
        List<Arguments> out = new ArrayList<>();
        out.add(Arguments.of("garbage", new RawPrivateKey("EC", "PKCS#8",
            "this is not a PKCS#8 key at all".getBytes(StandardCharsets.US_ASCII)),
            new String[] {"garbage-key", "private key", "PKCS#8"}));
        out.add(Arguments.of("truncated PKCS#8", new RawPrivateKey("EC", "PKCS#8",
            Arrays.copyOf(pkcs8, pkcs8.length / 2)), new String[] {"garbage-key", "private key", "PKCS#8"}));
        out.add(Arguments.of("encrypted PKCS#8 (EncryptedPrivateKeyInfo, AES-256)",
            new RawPrivateKey("EC", "PKCS#8", encrypted), new String[] {"garbage-key", "private key", "PKCS#8"}));
        out.add(Arguments.of("no encoding, no provider signs with it", new RawPrivateKey("EC", null, null),
            new String[] {"garbage-key", "private key", "could not sign"}));
        return out.stream();
    }

    @ParameterizedTest(name = "private key: {0}")
    @MethodSource("unusableKeys")
    void keyManagerReturnsUnusableKey(String what, PrivateKey key, String[] fragments) {
        for (String protocol : PROTOCOLS) {
            FixedKeyManager km = new FixedKeyManager("garbage-key", chainOf("server-ec"), key);
            assertServerRejectsCredential(km, Impl.NATIVE, protocol, fragments);
        }
    }

    /**
     * The message of the SSLHandshakeException the application catches (and usually logs on one line)
     * must itself say what is wrong with the credential; OpenSSL's "cert cb error" with the real
     * reason only in getCause() does not. One test for all the credential problems above.
     */
    @Test
    void handshakeExceptionMessageItselfNamesTheCredentialProblem() throws Exception {
        TestPki pki = TestPki.get();
        List<org.junit.jupiter.api.function.Executable> checks = new ArrayList<>();
        Object[][] cases = {
            {new FixedKeyManager("alias-without-key", chainOf("server-ec"), null), "no private key"},
            {new FixedKeyManager("alias-without-chain", null, pki.privateKey("server-ec")), "no certificate chain"},
            {new FixedKeyManager("mismatched", chainOf("server-ec"), pki.privateKey("client")), "mismatch"},
            {new FixedKeyManager("garbage-key", chainOf("server-ec"),
                new RawPrivateKey("EC", "PKCS#8", new byte[] {1, 2, 3})), "PKCS#8"},
        };
        for (Object[] c : cases) {
            FixedKeyManager km = (FixedKeyManager) c[0];
            String problem = (String) c[1];
            SSLHandshakeException e = assertServerRejectsCredential(km, Impl.NATIVE, "TLSv1.3", km.alias, problem);
            checks.add(() -> assertTrue(e.getMessage().contains(km.alias) && e.getMessage().contains(problem),
                "the SSLHandshakeException's own message should name alias \"" + km.alias + "\" and say \""
                    + problem + "\", not only its cause: " + describe(e)));
        }
        org.junit.jupiter.api.Assertions.assertAll(checks);
    }

    // ---- server certificates outside their validity -----------------------------------------------

    private static KeyManager[] keyManagersFor(String name) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry(name, extra.privateKey(name), TestPki.PASSWORD,
            new X509Certificate[] {extra.certificate(name), TestPki.get().certificate("ca")});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(ks, TestPki.PASSWORD);
        return kmf.getKeyManagers();
    }

    private void certificateOutsideValidity(String name, Impl serverImpl, String protocol,
        Class<? extends CertificateException> expected, PKIXReasonCheck reason, String... alerts) throws Exception {
        CountingTrustManager trust = new CountingTrustManager(SecuritySupport.caTrustManager(), false);
        EnginePair d = failingHandshake(client(Impl.NATIVE, protocol, new TrustManager[] {trust}),
            server(serverImpl, keyManagersFor(name)));

        SSLHandshakeException client = assertClean(SSLHandshakeException.class, d.client.failure, "client");
        assertEquals(1, trust.serverChecks(), "the trust manager was asked once");
        assertEquals(extra.certificate(name), trust.checks.get(0).chain[0], "the certificate checked");
        assertNotNull(cause(client, expected), "no " + expected.getSimpleName() + " in " + describe(client));
        CertPathValidatorException cpve = cause(client, CertPathValidatorException.class);
        assertNotNull(cpve, "no CertPathValidatorException from SunJSSE's PKIX trust manager in " + describe(client));
        assertTrue(reason.matches(cpve.getReason()), "reason " + cpve.getReason() + " in " + describe(client));
        assertTrue(chainContainsInstance(client, trust.thrown.get(0)),
            "the trust manager's exception is not the cause: " + describe(client));
        assertTrue(mentionsAny(client.getMessage(), "alert sent: ", alerts),
            "the client's message should name the alert it sent: " + describe(client));

        // the server learns why from the alert
        Exception server = d.server.failure;
        assertNotNull(server, "the server did not fail: " + d.describe());
        assertClean(SSLException.class, server, "server");
        if (serverImpl == Impl.NATIVE) {
            assertTrue(mentionsAny(server.getMessage(), "alert received: ", alerts),
                "the server's message should name the alert it received: " + describe(server));
        } else if (protocol.equals("TLSv1.3")) {
            // OpenSSL's TLS 1.3 client sends an alert before its second flight unencrypted (its
            // handshake write keys are not installed yet); SunJSSE's server tries to decrypt it and
            // fails with "Insufficient buffer remaining for AEAD cipher fragment (2)". The stock
            // openssl s_client does exactly the same against a SunJSSE server, so this is not
            // NativeTLS's doing: the server must fail the handshake. JDK 17 cannot name the alert
            // (SSLHandshakeException); JDK 25 reads it as an unexpected plaintext alert
            // (SSLProtocolException naming it).
            assertTrue(server instanceof SSLHandshakeException
                    || (server instanceof javax.net.ssl.SSLProtocolException
                        && describe(server).contains("plaintext alert")),
                () -> describe(server));
        } else {
            List<String> sun = new ArrayList<>();
            for (String a : alerts) {
                sun.add(a.replace(' ', '_'));
            }
            assertTrue(mentionsAny(server.getMessage(), "Received fatal alert: ", sun.toArray(new String[0])),
                "SunJSSE server should report the alert: " + describe(server));
        }
    }

    private static boolean mentionsAny(String message, String prefix, String... alerts) {
        for (String a : alerts) {
            if (message != null && message.contains(prefix + a)) {
                return true;
            }
        }
        return false;
    }

    private interface PKIXReasonCheck {
        boolean matches(CertPathValidatorException.Reason reason);
    }

    @ParameterizedTest(name = "expired server certificate, {0} server, {1}")
    @MethodSource("serversAndProtocols")
    void expiredServerCertificate(Impl server, String protocol) throws Exception {
        certificateOutsideValidity("expired", server, protocol, CertificateExpiredException.class,
            r -> r == CertPathValidatorException.BasicReason.EXPIRED, "certificate expired", "bad certificate");
    }

    @ParameterizedTest(name = "not yet valid server certificate, {0} server, {1}")
    @MethodSource("serversAndProtocols")
    void notYetValidServerCertificate(Impl server, String protocol) throws Exception {
        certificateOutsideValidity("future", server, protocol, CertificateNotYetValidException.class,
            r -> r == CertPathValidatorException.BasicReason.NOT_YET_VALID, "bad certificate",
            "certificate expired");
    }

    // ---- an empty trust store ---------------------------------------------------------------------

    private static TrustManager[] emptyTrustStoreManagers() throws Exception {
        KeyStore empty = KeyStore.getInstance("PKCS12");
        empty.load(null, null);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(empty);
        return tmf.getTrustManagers();
    }

    private static Exception initWith(Impl impl, KeyManager[] km, TrustManager[] tm) {
        try {
            SSLContext ctx = impl.context("TLS");
            ctx.init(km, tm, null);
            return null;
        } catch (Exception e) {
            return e;
        }
    }

    @Test
    void emptyTrustStoreInitBehavesAsSunJsse() throws Exception {
        TrustManager[] tms = emptyTrustStoreManagers();
        Exception sun = initWith(Impl.SUN, null, tms);
        Exception nativeTls = initWith(Impl.NATIVE, null, tms);
        if (sun == null) {
            assertNull(nativeTls, () -> "SunJSSE accepts an empty trust store at init, NativeTLS threw "
                + describe(nativeTls));
        } else {
            assertInstanceOf(KeyManagementException.class, nativeTls,
                () -> "SunJSSE threw " + describe(sun) + " at init; NativeTLS: " + describe(nativeTls));
        }
    }

    @ParameterizedTest(name = "empty trust store, NativeTLS client, {0} server, {1}")
    @MethodSource("serversAndProtocols")
    void emptyTrustStoreFailsTheHandshake(Impl serverImpl, String protocol) throws Exception {
        CountingTrustManager trust = new CountingTrustManager(SecuritySupport.extended(emptyTrustStoreManagers()),
            false);
        EnginePair d = failingHandshake(client(Impl.NATIVE, protocol, new TrustManager[] {trust}),
            Contexts.server(serverImpl, "server-ec").createSSLEngine());
        assertEquals(1, trust.serverChecks(), "the trust manager was asked once");
        assertEquals(1, trust.thrown.size(), "the trust manager threw once");
        Throwable thrown = trust.thrown.get(0);
        // assertClean would refuse SunJSSE's own RuntimeException in the chain; check what matters here
        SSLHandshakeException client = assertInstanceOf(SSLHandshakeException.class, d.client.failure,
            () -> describe(d.client.failure));
        assertTrue(chainContainsInstance(client, thrown),
            "the trust manager's exception (" + thrown + ") is not in the cause chain: " + describe(client));
        assertNotNull(d.server.failure, "the server did not learn of the failure: " + d.describe());
        assertInstanceOf(SSLException.class, d.server.failure, () -> describe(d.server.failure));
    }

    @ParameterizedTest(name = "empty trust store, SunJSSE client (reference), NativeTLS server, {0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void emptyTrustStoreSunJsseReference(String protocol) throws Exception {
        // What SunJSSE makes of the same managers, for comparison: its client fails too, with the trust
        // manager's RuntimeException itself ("the trustAnchors parameter must be non-empty") thrown out
        // of the engine. NativeTLS's SSLHandshakeException with that exception as its cause is at
        // least as good.
        CountingTrustManager trust = new CountingTrustManager(SecuritySupport.extended(emptyTrustStoreManagers()),
            false);
        EnginePair d = failingHandshake(client(Impl.SUN, protocol, new TrustManager[] {trust}),
            Contexts.server(Impl.NATIVE, "server-ec").createSSLEngine());
        assertEquals(1, trust.thrown.size(), "the trust manager threw once: " + d.describe());
        assertTrue(chainContainsInstance(d.client.failure, trust.thrown.get(0)), d.describe());
    }

    // ---- a server without a key manager -----------------------------------------------------------

    @ParameterizedTest(name = "server init(null, null, null), {0} client, {1}")
    @MethodSource("clientsAndProtocols")
    void serverWithoutKeyManager(Impl clientImpl, String protocol) throws Exception {
        SSLContext ctx = Impl.NATIVE.context("TLS");
        ctx.init(null, null, null);
        SSLEngine server = ctx.createSSLEngine();
        EnginePair d = failingHandshake(client(clientImpl, protocol, TestPki.get().trustManagers()), server);
        SSLHandshakeException e = assertClean(SSLHandshakeException.class, d.server.failure, "server");
        // the server's handshake_failure alert: SunJSSE's client too makes an SSLHandshakeException of it
        assertClean(SSLHandshakeException.class, d.client.failure, "client");
        assertNull(server.getSession().getLocalCertificates(), "the server presented a certificate");
        // OpenSSL words it as "no shared cipher" (TLS 1.2) or "no suitable signature algorithm" /
        // "no certificate" (TLS 1.3), as SunJSSE says "no cipher suites in common"; anything
        // pointing at the missing certificate will do, a bare "handshake failed" will not.
        String all = describe(e).toLowerCase(Locale.ROOT);
        assertTrue(all.contains("cipher") || all.contains("certificate") || all.contains("signature")
            || all.contains("key manager"), "the message does not say what is missing: " + describe(e));
    }
}
