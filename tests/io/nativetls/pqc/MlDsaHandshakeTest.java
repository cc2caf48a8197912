package io.nativetls.pqc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nativetls.testing.Contexts;
import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.EnginePair;
import io.nativetls.testing.Tags;
import java.lang.reflect.Method;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ML-DSA authentication between NativeTLS engines (both roles, client authentication, SunJSSE's
 * PKIX and SunX509 key managers and its PKIX trust manager on the ML-DSA chains), the schemes
 * restricted by name with SSLParameters.setSignatureSchemes, and SunJSSE as the peer: JDK 25's
 * SunJSSE has ML-DSA keys and certificates but no ML-DSA signature schemes in TLS, so a SunJSSE
 * peer fails the handshake with NativeTLS's ML-DSA credentials (the README says so).
 */
@Timeout(120)
@Tag(Tags.PQC)
class MlDsaHandshakeTest {
    @BeforeAll
    static void needsOpenSsl35AndMlDsaKeys() {
        String missing = MlDsaPki.missing();
        assumeTrue(missing == null, missing);
    }

    private static SSLContext context(Impl impl, KeyManager[] km) {
        return Contexts.create(impl, "TLS", km, MlDsaPki.get().trustManagers());
    }

    private static SSLEngine client(Impl impl, KeyManager[] km) {
        SSLEngine e = context(impl, km).createSSLEngine("localhost", 443);
        e.setUseClientMode(true);
        SSLParameters p = e.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        e.setSSLParameters(p);
        return e;
    }

    private static SSLEngine server(Impl impl, KeyManager[] km) {
        SSLEngine e = context(impl, km).createSSLEngine();
        e.setUseClientMode(false);
        return e;
    }

    /** SSLParameters.setSignatureSchemes (Java 19 on: every JDK with ML-DSA has it). */
    private static void schemes(SSLEngine engine, String... names) throws Exception {
        SSLParameters p = engine.getSSLParameters();
        Method set = SSLParameters.class.getMethod("setSignatureSchemes", String[].class);
        set.invoke(p, (Object) names);
        engine.setSSLParameters(p);
    }

    private static String schemeOf(String keyName) {
        return "ML-DSA-" + keyName.substring(keyName.length() - 2);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"server-mldsa44", "server-mldsa65", "server-mldsa87"})
    void nativeToNativeWithEachParameterSet(String name) throws Exception {
        MlDsaPki pki = MlDsaPki.get();
        EnginePair pair = new EnginePair(client(Impl.NATIVE, null), server(Impl.NATIVE, pki.keyManagers(name)));
        pair.handshake();
        SSLSession session = pair.client.engine.getSession();
        assertEquals("TLSv1.3", session.getProtocol());
        X509Certificate leaf = (X509Certificate) session.getPeerCertificates()[0];
        assertEquals(pki.certificate(name), leaf);
        assertEquals("ML-DSA", leaf.getPublicKey().getAlgorithm());
        assertEquals(2, session.getPeerCertificates().length, "leaf and ML-DSA CA");
        // The server saw the client offer the ML-DSA schemes, by their JDK names.
        String[] offered = ((ExtendedSSLSession) pair.server.engine.getSession()).getPeerSupportedSignatureAlgorithms();
        assertTrue(Arrays.asList(offered).containsAll(List.of("ML-DSA-44", "ML-DSA-65", "ML-DSA-87")),
            Arrays.toString(offered));
        assertTrue(Arrays.asList(((ExtendedSSLSession) session).getLocalSupportedSignatureAlgorithms())
            .contains(schemeOf(name)));
    }

    /** SunJSSE's SunX509 key manager finds the ML-DSA key by the key type "ML-DSA" as well. */
    @Test
    void sunX509KeyManager() throws Exception {
        MlDsaPki pki = MlDsaPki.get();
        EnginePair pair = new EnginePair(client(Impl.NATIVE, null),
            server(Impl.NATIVE, pki.keyManagersOf("SunX509", "server-mldsa87")));
        pair.handshake();
        assertEquals(pki.certificate("server-mldsa87"), pair.client.engine.getSession().getPeerCertificates()[0]);
    }

    @Test
    void clientAuthenticationWithAnMlDsaKey() throws Exception {
        MlDsaPki pki = MlDsaPki.get();
        SSLEngine server = server(Impl.NATIVE, pki.keyManagers("server-mldsa44"));
        server.setNeedClientAuth(true);
        EnginePair pair = new EnginePair(client(Impl.NATIVE, pki.keyManagers("client-mldsa65")), server);
        pair.handshake();
        SSLSession seen = pair.server.engine.getSession();
        assertEquals(pki.certificate("client-mldsa65"), seen.getPeerCertificates()[0], "the client's ML-DSA chain");
        assertEquals(pki.certificate("client-mldsa65"), pair.client.engine.getSession().getLocalCertificates()[0]);
    }

    /**
     * A server holding an EC and an ML-DSA-65 credential: by default the client's list (classical
     * schemes first) makes it sign with EC; a client that names mldsa65 alone gets the ML-DSA one.
     */
    @Test
    void setSignatureSchemesChoosesTheMlDsaCredential() throws Exception {
        MlDsaPki pki = MlDsaPki.get();
        KeyManager[] both = pki.keyManagers("server-ec", "server-mldsa65");
        EnginePair defaults = new EnginePair(client(Impl.NATIVE, null), server(Impl.NATIVE, both));
        defaults.handshake();
        assertEquals(pki.certificate("server-ec"), defaults.client.engine.getSession().getPeerCertificates()[0]);

        SSLEngine client = client(Impl.NATIVE, null);
        schemes(client, "mldsa65");
        EnginePair pq = new EnginePair(client, server(Impl.NATIVE, both));
        pq.handshake();
        assertEquals(pki.certificate("server-mldsa65"), pq.client.engine.getSession().getPeerCertificates()[0]);
        assertArrayEquals(new String[] {"ML-DSA-65"},
            ((ExtendedSSLSession) pq.server.engine.getSession()).getPeerSupportedSignatureAlgorithms(),
            "the client offered mldsa65 alone");
    }

    /**
     * The restriction holds: against a server whose only key is ML-DSA-44 (its certificate signed
     * with ML-DSA-65), a client naming mldsa44 and mldsa65 connects, one naming mldsa65 or mldsa87
     * alone does not (the key signs mldsa44 only), whatever the case of the names.
     */
    @Test
    void setSignatureSchemesRestricts() throws Exception {
        MlDsaPki pki = MlDsaPki.get();
        SSLEngine right = client(Impl.NATIVE, null);
        schemes(right, "MLDSA44", "mldsa65"); // names are case-insensitive, as in SunJSSE
        EnginePair ok = new EnginePair(right, server(Impl.NATIVE, pki.keyManagers("server-mldsa44")));
        ok.handshake();
        assertEquals(pki.certificate("server-mldsa44"), ok.client.engine.getSession().getPeerCertificates()[0]);

        for (String only : new String[] {"mldsa65", "mldsa87"}) {
            SSLEngine client = client(Impl.NATIVE, null);
            schemes(client, only);
            EnginePair pair = new EnginePair(client, server(Impl.NATIVE, pki.keyManagers("server-mldsa44")));
            assertFalse(pair.settle(SSLException.class), "handshake completed with " + only + " alone");
            assertNotNull(pair.server.failure, "the server has no credential for " + only);
        }
    }

    /**
     * SunJSSE (JDK 25) as the client of an ML-DSA NativeTLS server: it offers no ML-DSA scheme,
     * so the server has nothing to sign with, and naming mldsa65 does not help (SunJSSE skips
     * names it does not know as schemes and then has none): the handshake fails either way.
     */
    @Test
    void sunJsseClientCannotUseAnMlDsaServer() throws Exception {
        MlDsaPki pki = MlDsaPki.get();
        EnginePair pair = new EnginePair(client(Impl.SUN, null), server(Impl.NATIVE, pki.keyManagers("server-mldsa65")));
        assertFalse(pair.settle(SSLException.class), "SunJSSE completed an ML-DSA handshake");
        assertNotNull(pair.client.failure);
        System.out.println("SunJSSE client vs NativeTLS ML-DSA server: client " + pair.client.failure
            + "; server " + pair.server.failure);

        SSLEngine named = client(Impl.SUN, null);
        Exception refused = null;
        try {
            schemes(named, "mldsa65");
        } catch (java.lang.reflect.InvocationTargetException e) {
            refused = (Exception) e.getCause();
        }
        if (refused == null) {
            EnginePair again = new EnginePair(named, server(Impl.NATIVE, pki.keyManagers("server-mldsa65")));
            assertFalse(again.settle(Exception.class), "SunJSSE completed an ML-DSA handshake");
            System.out.println("SunJSSE client naming mldsa65: client " + again.client.failure
                + "; server " + again.server.failure);
        } else {
            System.out.println("SunJSSE refuses setSignatureSchemes(mldsa65): " + refused);
        }
    }

    /** SunJSSE (JDK 25) as the server with an ML-DSA key: it finds no scheme to sign with and fails. */
    @Test
    void sunJsseServerCannotUseAnMlDsaKey() throws Exception {
        MlDsaPki pki = MlDsaPki.get();
        EnginePair pair = new EnginePair(client(Impl.NATIVE, null), server(Impl.SUN, pki.keyManagers("server-mldsa65")));
        assertFalse(pair.settle(SSLException.class), "SunJSSE completed an ML-DSA handshake");
        assertNotNull(pair.server.failure);
        System.out.println("NativeTLS client vs SunJSSE ML-DSA server: server " + pair.server.failure
            + "; client " + pair.client.failure);
    }

    /**
     * Not even an EC key works with SunJSSE once an ML-DSA CA signed its certificate: a SunJSSE
     * server's key manager finds no chain whose signatures the client's schemes (to SunJSSE,
     * mldsa65 is an unknown code point) cover, and a SunJSSE client offers no ML-DSA scheme, so
     * the NativeTLS server's (SunJSSE PKIX) key manager finds none either, as SunJSSE's would.
     * The control: NativeTLS on both ends with the same EC credential connects.
     */
    @Test
    void sunJsseCannotUseAnMlDsaSignedChain() throws Exception {
        MlDsaPki pki = MlDsaPki.get();
        EnginePair sunServer = new EnginePair(client(Impl.NATIVE, null), server(Impl.SUN, pki.keyManagers("server-ec")));
        assertFalse(sunServer.settle(SSLException.class), "SunJSSE served a chain signed with ML-DSA");
        EnginePair sunClient = new EnginePair(client(Impl.SUN, null), server(Impl.NATIVE, pki.keyManagers("server-ec")));
        assertFalse(sunClient.settle(SSLException.class), "SunJSSE accepted a chain signed with ML-DSA");
        assertNotNull(sunClient.client.failure);
        System.out.println("SunJSSE server, EC key, ML-DSA CA: server " + sunServer.server.failure
            + "; SunJSSE client: " + sunClient.client.failure);

        EnginePair control = new EnginePair(client(Impl.NATIVE, null), server(Impl.NATIVE, pki.keyManagers("server-ec")));
        control.handshake();
        X509Certificate leaf = (X509Certificate) control.client.engine.getSession().getPeerCertificates()[0];
        assertEquals("ML-DSA-65", leaf.getSigAlgName(), "an EC key certified by the ML-DSA CA");
        assertEquals("EC", leaf.getPublicKey().getAlgorithm());
    }
}
