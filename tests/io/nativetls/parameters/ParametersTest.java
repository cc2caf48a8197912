package io.nativetls.parameters;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nativetls.testing.SavedProperty;
import io.nativetls.testing.Contexts;
import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.EnginePair;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.security.Security;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Protocols, suites, groups and signature schemes as SSLParameters set them, and their round trip. */
@Timeout(60)
class ParametersTest {
    private static SSLEngine[] engines(Impl clientImpl, Impl serverImpl) {
        SSLEngine client = Contexts.client(clientImpl).createSSLEngine("localhost", 443);
        client.setUseClientMode(true);
        SSLEngine server = Contexts.server(serverImpl, "server-ec").createSSLEngine();
        server.setUseClientMode(false);
        return new SSLEngine[] {client, server};
    }

    @Test
    void whatIsSetIsWhatIsReturned() {
        SSLEngine e = engines(Impl.NATIVE, Impl.NATIVE)[1];
        SSLParameters p = new SSLParameters(new String[] {"TLS_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"}, new String[] {"TLSv1.2"});
        p.setNeedClientAuth(true);
        p.setEndpointIdentificationAlgorithm("HTTPS");
        p.setServerNames(List.of(new SNIHostName("a.example")));
        p.setSNIMatchers(List.of(SNIHostName.createSNIMatcher("a\\.example")));
        p.setUseCipherSuitesOrder(false);
        p.setApplicationProtocols(new String[] {"h2", "http/1.1"});
        e.setSSLParameters(p);
        SSLParameters back = e.getSSLParameters();
        assertArrayEquals(p.getCipherSuites(), back.getCipherSuites());
        assertArrayEquals(p.getProtocols(), back.getProtocols());
        assertTrue(back.getNeedClientAuth());
        assertEquals("HTTPS", back.getEndpointIdentificationAlgorithm());
        assertEquals(p.getServerNames(), back.getServerNames());
        assertEquals(1, back.getSNIMatchers().size());
        assertFalse(back.getUseCipherSuitesOrder());
        assertArrayEquals(p.getApplicationProtocols(), back.getApplicationProtocols());
        assertArrayEquals(p.getCipherSuites(), e.getEnabledCipherSuites());
        assertArrayEquals(p.getProtocols(), e.getEnabledProtocols());
        assertTrue(e.getNeedClientAuth());
    }

    @Test
    void unknownNamesAreRejectedAsSunJsseRejectsThem() {
        for (Impl impl : Impl.values()) {
            SSLEngine e = engines(impl, impl)[0];
            SSLParameters bogusSuite = new SSLParameters(new String[] {"TLS_BOGUS_WITH_NOTHING"});
            assertThrows(IllegalArgumentException.class, () -> e.setSSLParameters(bogusSuite), impl.name());
            SSLParameters bogusProtocol = new SSLParameters(null, new String[] {"TLSv9"});
            assertThrows(IllegalArgumentException.class, () -> e.setSSLParameters(bogusProtocol), impl.name());
            assertThrows(IllegalArgumentException.class, () -> e.setEnabledProtocols(new String[] {"TLSv1.4"}));
        }
    }

    /** With server order, the server's first enabled suite the client offers wins; without, the client's. */
    @ParameterizedTest(name = "{0} client")
    @EnumSource(Impl.class)
    void serverSuiteOrderAsSunJsse(Impl clientImpl) throws Exception {
        for (boolean serverOrder : new boolean[] {true, false}) {
            for (String protocol : new String[] {"TLSv1.3", "TLSv1.2"}) {
                String sun = negotiatedSuite(clientImpl, Impl.SUN, serverOrder, protocol);
                String nat = negotiatedSuite(clientImpl, Impl.NATIVE, serverOrder, protocol);
                assertEquals(sun, nat, protocol + ", server order " + serverOrder);
            }
        }
    }

    private static String negotiatedSuite(Impl clientImpl, Impl serverImpl, boolean serverOrder, String protocol)
        throws Exception {
        SSLEngine[] e = engines(clientImpl, serverImpl);
        String[] clientOrder = protocol.equals("TLSv1.3")
            ? new String[] {"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384"}
            : new String[] {"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"};
        String[] serverPreference = {clientOrder[1], clientOrder[0]};
        e[0].setEnabledProtocols(new String[] {protocol});
        e[0].setEnabledCipherSuites(clientOrder);
        SSLParameters sp = e[1].getSSLParameters();
        sp.setCipherSuites(serverPreference);
        sp.setUseCipherSuitesOrder(serverOrder);
        e[1].setSSLParameters(sp);
        new EnginePair(e[0], e[1]).handshake();
        return e[0].getSession().getCipherSuite();
    }

    /**
     * The supported suites are OpenSSL's (as `openssl ciphers -stdname` lists them) without those
     * no JSSE application can negotiate (PSK, SRP, NULL, anonymous, DSS, static DH and ECDH) and
     * without those jdk.tls.disabledAlgorithms disables, as SunJSSE's list leaves those out.
     * JsseNamesTest shows each of them is negotiated.
     */
    @Test
    void supportedSuitesAreOpenSslsNegotiableOnes() throws Exception {
        Process p = new ProcessBuilder("openssl", "ciphers", "-stdname", "ALL:COMPLEMENTOFALL").start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, out);
        Set<String> openssl = new TreeSet<>();
        List<String> disabled = Arrays.asList(Security.getProperty("jdk.tls.disabledAlgorithms").split("\\s*,\\s*"));
        for (String line : out.split("\n")) {
            String std = line.trim().split("\\s+")[0];
            if (std.startsWith("TLS_") && !std.matches(".*(_PSK_|_SRP_|_NULL|_anon_|_DSS_|^TLS_ECDH_|^TLS_DH_).*")
                && !(disabled.contains("TLS_RSA_*") && std.startsWith("TLS_RSA_"))) {
                openssl.add(std);
            }
        }
        Set<String> ours = new TreeSet<>(Arrays.asList(engines(Impl.NATIVE, Impl.NATIVE)[0].getSupportedCipherSuites()));
        ours.remove("TLS_EMPTY_RENEGOTIATION_INFO_SCSV");
        assertEquals(openssl, ours);
        assertTrue(ours.size() > 20 && ours.size() < 80, "size " + ours.size());
    }

    /**
     * NativeTLS reads jdk.tls.disabledAlgorithms when a handshake starts; SunJSSE reads it once, at
     * first use, so it handshakes here first to keep the changed value from reaching its cache
     * (and every later test in this JVM).
     */
    @Test
    void disabledAlgorithmsTurnOffProtocolsAndSuites() throws Exception {
        SSLEngine[] warm = engines(Impl.SUN, Impl.SUN);
        new EnginePair(warm[0], warm[1]).handshake();
        String saved = Security.getProperty("jdk.tls.disabledAlgorithms");
        try {
            Security.setProperty("jdk.tls.disabledAlgorithms", saved + ", TLSv1.3, AES_256_GCM");
            SSLEngine[] e = engines(Impl.NATIVE, Impl.NATIVE);
            new EnginePair(e[0], e[1]).handshake();
            assertEquals("TLSv1.2", e[0].getSession().getProtocol(), "TLS 1.3 is disabled");
            assertFalse(e[0].getSession().getCipherSuite().contains("AES_256_GCM"), e[0].getSession().getCipherSuite());

            Security.setProperty("jdk.tls.disabledAlgorithms", saved + ", TLSv1.3, TLSv1.2");
            SSLEngine[] none = engines(Impl.NATIVE, Impl.NATIVE);
            SSLHandshakeException failure = assertThrows(SSLHandshakeException.class, none[0]::beginHandshake);
            assertTrue(failure.getMessage().contains("No appropriate protocol"), failure.getMessage());
        } finally {
            Security.setProperty("jdk.tls.disabledAlgorithms", saved);
        }
        SSLEngine[] e = engines(Impl.NATIVE, Impl.NATIVE);
        new EnginePair(e[0], e[1]).handshake();
        assertEquals("TLSv1.3", e[0].getSession().getProtocol(), "restored");
    }

    @Test
    void signatureSchemePropertyLimitsTheServersChoice() throws Exception {
        String key = "jdk.tls.client.SignatureSchemes";
        try (SavedProperty restored = SavedProperty.of(key)) {
            // An RSA server (its chain signed by an EC CA): without PSS offered, TLS 1.2 signs with PKCS#1.
            System.setProperty(key, "rsa_pkcs1_sha384,ecdsa_secp256r1_sha256,bogus_scheme");
            SSLEngine client = Contexts.client(Impl.NATIVE).createSSLEngine("localhost", 443);
            client.setUseClientMode(true);
            client.setEnabledProtocols(new String[] {"TLSv1.2"});
            List<String> seen = new ArrayList<>();
            SSLEngine server = Contexts.server(Impl.SUN, "server-rsa").createSSLEngine();
            server.setUseClientMode(false);
            EnginePair pair = new EnginePair(client, server);
            pair.handshake();
            String[] peerAlgs = ((javax.net.ssl.ExtendedSSLSession) server.getSession())
                .getPeerSupportedSignatureAlgorithms();
            seen.addAll(Arrays.asList(peerAlgs));
            assertTrue(seen.contains("SHA384withRSA"), seen.toString());
            assertEquals(List.of("SHA384withRSA", "SHA256withECDSA"), seen, "only what the property names, in order");
        }
    }

    /**
     * A TLS 1.3 server holding an RSA and an EC key serves the one the client's first usable scheme
     * asks for, as SunJSSE does. (In TLS 1.2 the suite names the key type, so the suite order decides.)
     */
    @Test
    void serverWithTwoKeysFollowsTheClientsSchemes() throws Exception {
        String key = "jdk.tls.client.SignatureSchemes";
        try (SavedProperty restored = SavedProperty.of(key)) {
            javax.net.ssl.SSLContext server = Contexts.create(Impl.NATIVE, "TLS",
                io.nativetls.testing.TestPki.get().keyManagers("server-rsa", "server-ec"),
                io.nativetls.testing.TestPki.get().trustManagers());
            for (String protocol : new String[] {"TLSv1.3"}) {
                for (String[] c : new String[][] {{"rsa_pss_rsae_sha256,ecdsa_secp256r1_sha256", "RSA"},
                    {"ecdsa_secp256r1_sha256,rsa_pss_rsae_sha256", "EC"}}) {
                    System.setProperty(key, c[0]);
                    SSLEngine client = Contexts.client(Impl.NATIVE).createSSLEngine("localhost", 443);
                    client.setUseClientMode(true);
                    client.setEnabledProtocols(new String[] {protocol});
                    SSLEngine s = server.createSSLEngine();
                    s.setUseClientMode(false);
                    new EnginePair(client, s).handshake();
                    assertEquals(c[1], client.getSession().getPeerCertificates()[0].getPublicKey().getAlgorithm(),
                        protocol + " with " + c[0]);
                    assertEquals(client.getSession().getPeerCertificates()[0], s.getSession().getLocalCertificates()[0],
                        "the server reports the certificate it used");
                }
            }
        }
    }

    /** SSLParameters.setSignatureSchemes and setNamedGroups exist from Java 19 and 20. */
    @Test
    void newerParametersAreHonouredWhereTheJdkHasThem() throws Exception {
        Method setGroups;
        Method setSchemes;
        try {
            setGroups = SSLParameters.class.getMethod("setNamedGroups", String[].class);
            setSchemes = SSLParameters.class.getMethod("setSignatureSchemes", String[].class);
        } catch (NoSuchMethodException e) {
            assumeTrue(false, "this JDK has no SSLParameters.setNamedGroups/setSignatureSchemes");
            return;
        }
        SSLEngine[] e = engines(Impl.NATIVE, Impl.SUN);
        SSLParameters p = e[0].getSSLParameters();
        setGroups.invoke(p, (Object) new String[] {"secp384r1"});
        setSchemes.invoke(p, (Object) new String[] {"ecdsa_secp256r1_sha256"});
        e[0].setSSLParameters(p);
        SSLParameters back = e[0].getSSLParameters();
        assertArrayEquals(new String[] {"secp384r1"},
            (String[]) SSLParameters.class.getMethod("getNamedGroups").invoke(back));
        assertArrayEquals(new String[] {"ecdsa_secp256r1_sha256"},
            (String[]) SSLParameters.class.getMethod("getSignatureSchemes").invoke(back));
        new EnginePair(e[0], e[1]).handshake();
        assertArrayEquals(new String[] {"SHA256withECDSA"},
            ((javax.net.ssl.ExtendedSSLSession) e[1].getSession()).getPeerSupportedSignatureAlgorithms());

        // A group the server does not have fails the handshake: the list really went to OpenSSL.
        SSLEngine[] only448 = engines(Impl.NATIVE, Impl.NATIVE);
        SSLParameters cp = only448[0].getSSLParameters();
        setGroups.invoke(cp, (Object) new String[] {"x448"});
        only448[0].setSSLParameters(cp);
        SSLParameters sp = only448[1].getSSLParameters();
        setGroups.invoke(sp, (Object) new String[] {"secp256r1"});
        only448[1].setSSLParameters(sp);
        assertThrows(SSLHandshakeException.class, () -> new EnginePair(only448[0], only448[1]).handshake());
    }
}
