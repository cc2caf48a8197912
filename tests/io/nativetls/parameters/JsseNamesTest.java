package io.nativetls.parameters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.testing.Contexts;
import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.EnginePair;
import io.nativetls.testing.TestPki;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Which protocol and cipher suite names NativeTLS accepts, lists and negotiates, with SunJSSE as
 * the oracle: names SunJSSE knows are accepted on every path (SSLEngine, SSLSocket,
 * SSLServerSocket, SSLParameters) and the legacy ones never negotiated, unknown names are an
 * IllegalArgumentException, and every suite getSupportedCipherSuites() lists can be negotiated.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JsseNamesTest {
    /** Names SunJSSE knows and never negotiates (RC4, DES, 3DES, NULL, anon, export, static ECDH), and unknown ones. */
    private static final List<String> SUITE_NAMES = List.of("SSL_RSA_WITH_RC4_128_SHA", "SSL_RSA_WITH_RC4_128_MD5",
        "SSL_RSA_WITH_DES_CBC_SHA", "SSL_RSA_WITH_3DES_EDE_CBC_SHA", "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA",
        "SSL_RSA_WITH_NULL_SHA", "TLS_RSA_WITH_NULL_SHA256", "TLS_ECDHE_ECDSA_WITH_NULL_SHA",
        "SSL_RSA_EXPORT_WITH_RC4_40_MD5", "SSL_DH_anon_EXPORT_WITH_DES40_CBC_SHA", "TLS_DH_anon_WITH_AES_128_GCM_SHA256",
        "TLS_ECDH_anon_WITH_AES_128_CBC_SHA", "TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_RC4_128_SHA",
        "TLS_EMPTY_RENEGOTIATION_INFO_SCSV",
        "TLS_PSK_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256", "TLS_SRP_SHA_WITH_AES_128_CBC_SHA",
        "TLS_KRB5_WITH_RC4_128_SHA", "TLS_AES_128_CCM_SHA256", "TLS_BOGUS_WITH_NOTHING", "tls_aes_128_gcm_sha256", "");
    private static final List<String> PROTOCOL_NAMES = List.of("TLSv1.3", "TLSv1.2", "TLSv1.1", "TLSv1", "SSLv3",
        "SSLv2Hello", "DTLSv1.0", "DTLSv1.2", "NONE", "TLSv1.4", "TLSv9", "tlsv1.2", "SSLv2", "");

    /** Sets the names; returns what the object then reports as enabled ("" where not read). */
    private interface Setter {
        String set(SSLContext ctx, String[] names) throws IOException;
    }

    /** The four ways an application hands over names, each on a fresh object. */
    private static List<Setter> paths(boolean suites) {
        return List.of(
            (ctx, n) -> {
                SSLEngine e = ctx.createSSLEngine();
                if (suites) {
                    e.setEnabledCipherSuites(n);
                    return String.join(",", e.getEnabledCipherSuites());
                }
                e.setEnabledProtocols(n);
                return String.join(",", e.getEnabledProtocols());
            },
            (ctx, n) -> {
                try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket()) {
                    (suites ? (Consumer<String[]>) s::setEnabledCipherSuites : (Consumer<String[]>) s::setEnabledProtocols)
                        .accept(n);
                    return "";
                }
            },
            (ctx, n) -> {
                try (SSLServerSocket s = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket()) {
                    (suites ? (Consumer<String[]>) s::setEnabledCipherSuites : (Consumer<String[]>) s::setEnabledProtocols)
                        .accept(n);
                    return "";
                }
            },
            (ctx, n) -> {
                SSLEngine e = ctx.createSSLEngine();
                e.setSSLParameters(suites ? new SSLParameters(n) : new SSLParameters(null, n));
                return String.join(",", suites ? e.getEnabledCipherSuites() : e.getEnabledProtocols());
            });
    }

    private static String outcome(Setter path, SSLContext ctx, String[] names) throws IOException {
        try {
            return "accepted " + path.set(ctx, names);
        } catch (IllegalArgumentException e) {
            return "IllegalArgumentException";
        }
    }

    private static void assertNamesAsSunJsse(List<String> names, boolean suites) throws IOException {
        SSLContext sun = Contexts.client(Impl.SUN);
        SSLContext nat = Contexts.client(Impl.NATIVE);
        List<Setter> paths = paths(suites);
        for (int p = 0; p < paths.size(); p++) {
            for (String name : names) {
                String[] given = suites ? new String[] {name, "TLS_AES_128_GCM_SHA256"} : new String[] {"TLSv1.2", name};
                String expected = outcome(paths.get(p), sun, given);
                assertEquals(expected, outcome(paths.get(p), nat, given), "path " + p + ": " + name);
            }
            String[] withNull = suites ? new String[] {"TLS_AES_128_GCM_SHA256", null} : new String[] {"TLSv1.2", null};
            assertEquals(outcome(paths.get(p), sun, withNull), outcome(paths.get(p), nat, withNull), "path " + p + ": null");
        }
    }

    @Test
    void suiteNamesAreAcceptedOrRefusedAsSunJsseDoes() throws IOException {
        assertNamesAsSunJsse(SUITE_NAMES, true);
        // absolute: legacy names are accepted, PSK and unknown names refused
        SSLEngine e = Contexts.client(Impl.NATIVE).createSSLEngine();
        e.setEnabledCipherSuites(new String[] {"SSL_RSA_WITH_RC4_128_SHA", "TLS_ECDHE_ECDSA_WITH_NULL_SHA"});
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
            () -> e.setEnabledCipherSuites(new String[] {"TLS_PSK_WITH_AES_128_GCM_SHA256"}));
    }

    @Test
    void protocolNamesAreAcceptedOrRefusedAsSunJsseDoes() throws IOException {
        assertNamesAsSunJsse(PROTOCOL_NAMES, false);
        SSLEngine e = Contexts.client(Impl.NATIVE).createSSLEngine();
        e.setEnabledProtocols(new String[] {"TLSv1.2", "TLSv1.1", "TLSv1", "SSLv3"});
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
            () -> e.setEnabledProtocols(new String[] {"TLSv1.4"}));
    }

    /** Outcome of a handshake: the negotiated protocol and suite, or the failure's class. */
    private static String handshake(Impl clientImpl, Impl serverImpl, Consumer<SSLEngine> client,
                                    Consumer<SSLEngine> server) {
        SSLEngine c = Contexts.client(clientImpl).createSSLEngine("localhost", 443);
        c.setUseClientMode(true);
        client.accept(c);
        SSLEngine s = Contexts.create(serverImpl, "TLS", TestPki.get().keyManagers("server-rsa", "server-ec"),
            TestPki.get().trustManagers()).createSSLEngine();
        s.setUseClientMode(false);
        server.accept(s);
        try {
            new EnginePair(c, s).handshake();
            return c.getSession().getProtocol() + " " + c.getSession().getCipherSuite();
        } catch (SSLException | AssertionError | RuntimeException e) {
            return "failed";
        }
    }

    /** Legacy names are never negotiated: next to a modern name that one is used; alone, the handshake fails. */
    @Test
    void legacyNamesAreNeverNegotiated() {
        String[] legacySuites = {"SSL_RSA_WITH_RC4_128_SHA", "SSL_RSA_WITH_3DES_EDE_CBC_SHA", "TLS_ECDHE_ECDSA_WITH_NULL_SHA",
            "TLS_ECDH_anon_WITH_AES_128_CBC_SHA"};
        List<String> mixed = new ArrayList<>(List.of(legacySuites));
        mixed.add("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
        for (Impl clientImpl : Impl.values()) {
            for (Impl serverImpl : Impl.values()) {
                String expected = handshake(Impl.SUN, Impl.SUN, c -> c.setEnabledCipherSuites(mixed.toArray(new String[0])),
                    s -> s.setEnabledCipherSuites(mixed.toArray(new String[0])));
                assertEquals("TLSv1.2 TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", expected);
                assertEquals(expected, handshake(clientImpl, serverImpl,
                    c -> c.setEnabledCipherSuites(mixed.toArray(new String[0])),
                    s -> s.setEnabledCipherSuites(mixed.toArray(new String[0]))), clientImpl + " -> " + serverImpl);
                assertEquals("failed", handshake(clientImpl, serverImpl, c -> c.setEnabledCipherSuites(legacySuites),
                    s -> s.setEnabledCipherSuites(legacySuites)), clientImpl + " -> " + serverImpl + ", legacy suites only");

                String[] protocols = {"TLSv1.2", "TLSv1.1", "TLSv1", "SSLv3"};
                assertEquals("TLSv1.2", handshake(clientImpl, serverImpl, c -> c.setEnabledProtocols(protocols),
                    s -> s.setEnabledProtocols(protocols)).split(" ")[0], clientImpl + " -> " + serverImpl);
                String[] legacy = {"TLSv1.1", "TLSv1"};
                assertEquals("failed", handshake(clientImpl, serverImpl, c -> c.setEnabledProtocols(legacy), s -> {}),
                    clientImpl + " -> " + serverImpl + ", legacy protocols only");
            }
        }
    }

    /**
     * getSupportedCipherSuites() lists what a JSSE application can negotiate with NativeTLS: each
     * suite, enabled alone on both sides, is negotiated between two NativeTLS peers, and with a
     * SunJSSE peer in either role where SunJSSE has it; nothing SunJSSE supports (but DSS, for
     * which NativeTLS asks key managers for no key) is missing; no PSK, SRP, NULL or anonymous suite.
     */
    @Test
    void everySupportedSuiteCanBeNegotiated() {
        Set<String> ours = new TreeSet<>(Arrays.asList(Contexts.client(Impl.NATIVE).createSSLEngine()
            .getSupportedCipherSuites()));
        Set<String> sun = new TreeSet<>(Arrays.asList(Contexts.client(Impl.SUN).createSSLEngine()
            .getSupportedCipherSuites()));
        for (String s : ours) {
            assertFalse(s.contains("_PSK_") || s.contains("_SRP_") || s.contains("NULL") || s.contains("_anon_"), s);
        }
        for (String s : sun) {
            assertTrue(s.contains("_DSS_") || ours.contains(s), "SunJSSE supports " + s + ", NativeTLS does not list it");
        }
        List<String> failures = new ArrayList<>();
        for (String suite : ours) {
            if (suite.endsWith("_SCSV")) {
                continue;
            }
            String protocol = suite.contains("_WITH_") ? "TLSv1.2" : "TLSv1.3";
            String expected = protocol + " " + suite;
            List<Impl[]> pairs = new ArrayList<>();
            pairs.add(new Impl[] {Impl.NATIVE, Impl.NATIVE});
            if (sun.contains(suite)) {
                pairs.add(new Impl[] {Impl.SUN, Impl.NATIVE});
                pairs.add(new Impl[] {Impl.NATIVE, Impl.SUN});
            }
            for (Impl[] pair : pairs) {
                String got = handshake(pair[0], pair[1], c -> {
                    c.setEnabledProtocols(new String[] {protocol});
                    c.setEnabledCipherSuites(new String[] {suite});
                }, s -> s.setEnabledCipherSuites(new String[] {suite}));
                if (!expected.equals(got)) {
                    failures.add(pair[0] + " -> " + pair[1] + " " + suite + ": " + got);
                }
            }
        }
        assertTrue(failures.isEmpty(), "supported but not negotiated: " + failures);
    }
}
