package io.nativetls.keys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.testing.SavedProperty;
import io.nativetls.testing.Contexts;
import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.EnginePair;
import io.nativetls.testing.TestPki;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * One handshake in memory between the side whose key is under test (the signer, server or client
 * with client authentication) and a peer that verifies its signature. The peer can be made to
 * accept only some signature schemes: SunJSSE through its algorithm constraints, NativeTLS through
 * the jdk.tls.*.SignatureSchemes property of its role (set only while the handshake runs).
 */
final class Handshake {
    /** The role of the side whose key is under test. */
    enum Role { SERVER, CLIENT }

    /** The scheme the EC server of the client-authentication cases signs with (server-ec, P-256). */
    static final String SERVER_EC_SCHEME = "ecdsa_secp256r1_sha256";

    private Handshake() {}

    static SSLContext context(Impl impl, KeyManager[] km) {
        return Contexts.create(impl, "TLS", km, TestPki.get().trustManagersFor("ca", "ca-pss"));
    }

    /** The signer's engine and the peer's, each with the protocol set; the server needs client auth. */
    static EnginePair pair(Role role, Impl signer, Impl peer, String protocol, KeyManager[] signerKeys,
                           String... peerSchemes) {
        SSLContext signing = context(signer, signerKeys);
        SSLContext verifying = context(peer, role == Role.SERVER ? null : TestPki.get().keyManagers("server-ec"));
        SSLEngine client = (role == Role.SERVER ? verifying : signing).createSSLEngine("localhost", 443);
        SSLEngine server = (role == Role.SERVER ? signing : verifying).createSSLEngine();
        client.setEnabledProtocols(new String[] {protocol});
        server.setNeedClientAuth(role == Role.CLIENT);
        SSLEngine verifier = role == Role.SERVER ? client : server;
        if (peerSchemes.length > 0 && peer == Impl.SUN) {
            SSLParameters p = verifier.getSSLParameters();
            p.setAlgorithmConstraints(new OnlySchemes(withServerScheme(role, peerSchemes)));
            verifier.setSSLParameters(p);
        }
        return new EnginePair(client, server);
    }

    /** Runs the handshake of {@link #pair}; a NativeTLS peer limited to peerSchemes meanwhile. */
    static EnginePair run(Role role, Impl signer, Impl peer, String protocol, KeyManager[] signerKeys,
                          String... peerSchemes) throws SSLException {
        String property = role == Role.SERVER ? "jdk.tls.client.SignatureSchemes" : "jdk.tls.server.SignatureSchemes";
        try (SavedProperty restored = SavedProperty.of(property)) {
            if (peerSchemes.length > 0 && peer == Impl.NATIVE) {
                System.setProperty(property, String.join(",", withServerScheme(role, peerSchemes)));
            }
            EnginePair pair = pair(role, signer, peer, protocol, signerKeys, peerSchemes);
            pair.handshake();
            return pair;
        }
    }

    /** A verifying server also signs (with server-ec): its own scheme stays allowed. */
    private static String[] withServerScheme(Role role, String[] schemes) {
        if (role == Role.SERVER) {
            return schemes;
        }
        List<String> all = new ArrayList<>(Arrays.asList(schemes));
        all.add(SERVER_EC_SCHEME);
        return all.toArray(new String[0]);
    }

    /**
     * The handshake authenticated the signer with name's certificate (both sides report it), the
     * protocol is the one asked for, TLS 1.2 servers used an ECDHE_RSA suite (one the server signs
     * for), and data flows both ways.
     */
    static void assertAuthenticated(EnginePair pair, Role role, String name, String keyAlgorithm, String protocol)
        throws SSLException, SSLPeerUnverifiedException {
        SSLEngine signer = role == Role.SERVER ? pair.server.engine : pair.client.engine;
        SSLEngine verifier = role == Role.SERVER ? pair.client.engine : pair.server.engine;
        Certificate expected = TestPki.get().certificate(name);
        assertEquals(protocol, verifier.getSession().getProtocol());
        assertEquals(expected, verifier.getSession().getPeerCertificates()[0], "the certificate the peer verified");
        assertEquals(keyAlgorithm, verifier.getSession().getPeerCertificates()[0].getPublicKey().getAlgorithm());
        assertArrayEquals(new Certificate[] {expected, TestPki.get().certificate(name.endsWith("-rsa") ? "ca" : "ca-pss")},
            signer.getSession().getLocalCertificates(), "the chain the signer sent");
        if (role == Role.SERVER && protocol.equals("TLSv1.2")) {
            String suite = verifier.getSession().getCipherSuite();
            assertTrue(suite.startsWith("TLS_ECDHE_RSA_"), "a suite whose key exchange the server signs: " + suite);
        }
        pair.exchange(10_000, 7);
    }
}
