package io.nativetls.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.keys.DelegatingKeys.OpaqueKey;
import io.nativetls.keys.Handshake.Role;
import io.nativetls.testing.Causes;
import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.EnginePair;
import io.nativetls.testing.Matrix;
import io.nativetls.testing.TestPki;
import java.security.SignatureException;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Private keys without an encoding, signing in Java: a key of a JCA provider that keeps its keys
 * (DelegatingKeys, the stand-in for a token or a KMS) serves NativeTLS as server and as client
 * key, for every key type TLS signs with, against SunJSSE and NativeTLS peers. Each handshake must
 * have been signed by that provider (its count), the peer must have verified the certificate, and
 * data must flow; a provider that throws fails the handshake with its exception as the cause.
 */
@Timeout(120)
class JavaKeyTest {
    @BeforeAll
    static void provider() {
        DelegatingKeys.install();
    }

    static List<Arguments> serverKeys() {
        return Matrix.list(Matrix.PROTOCOLS,
            new Object[] {"server-ec", "server-ec384", "server-ec521", "server-rsa", "server-pss", "server-ed25519"},
            Impl.values());
    }

    static List<Arguments> clientKeys() {
        return Matrix.list(Matrix.PROTOCOLS, new Object[] {"client", "client-rsa", "client-pss"}, Impl.values());
    }

    private static OpaqueKey opaque(String name) {
        return new OpaqueKey(TestPki.get().privateKey(name));
    }

    /** The signer's engine with key handed out for name, and the peer (SunJSSE or NativeTLS) checking it. */
    private static EnginePair signed(Role role, String name, OpaqueKey key, Impl peer, String protocol,
                                     String... peerSchemes) throws SSLException {
        KeyManagers.Handing km = new KeyManagers.Handing(KeyManagers.pkix(name), key);
        EnginePair pair = Handshake.run(role, Impl.NATIVE, peer, protocol, km.array(), peerSchemes);
        assertTrue(km.handed.get() > 0, "the key manager handed over the opaque key");
        return pair;
    }

    private static void assertSignedBy(EnginePair pair, Role role, String name, OpaqueKey key, String protocol)
        throws Exception {
        SSLEngine verifier = role == Role.SERVER ? pair.client.engine : pair.server.engine;
        assertEquals(protocol, verifier.getSession().getProtocol());
        assertEquals(TestPki.get().certificate(name), verifier.getSession().getPeerCertificates()[0],
            "the certificate the peer verified");
        // One signature per full handshake: TLS 1.3 CertificateVerify, TLS 1.2 ServerKeyExchange or CertificateVerify.
        assertEquals(1, key.signatures.get(), "signatures the opaque key's provider made");
        pair.exchange(20_000, 3);
    }

    @ParameterizedTest(name = "NativeTLS server signs with an opaque {1} key, {2} client, {0}")
    @MethodSource("serverKeys")
    void serverSignsInJava(String protocol, String name, Impl peer) throws Exception {
        OpaqueKey key = opaque(name);
        EnginePair pair = signed(Role.SERVER, name, key, peer, protocol);
        assertSignedBy(pair, Role.SERVER, name, key, protocol);
    }

    @ParameterizedTest(name = "NativeTLS client signs with an opaque {1} key, {2} server, {0}")
    @MethodSource("clientKeys")
    void clientSignsInJava(String protocol, String name, Impl peer) throws Exception {
        OpaqueKey key = opaque(name);
        EnginePair pair = signed(Role.CLIENT, name, key, peer, protocol);
        assertSignedBy(pair, Role.CLIENT, name, key, protocol);
        assertEquals(TestPki.get().certificate(name), pair.client.engine.getSession().getLocalCertificates()[0]);
    }

    static List<Arguments> rsaSchemes() {
        List<Arguments> out = new ArrayList<>();
        for (Impl peer : Impl.values()) {
            for (String scheme : new String[] {"rsa_pkcs1_sha256", "rsa_pkcs1_sha384", "rsa_pkcs1_sha512",
                "rsa_pss_rsae_sha256", "rsa_pss_rsae_sha384", "rsa_pss_rsae_sha512"}) {
                out.add(Arguments.of(scheme, peer));
            }
        }
        return out;
    }

    /** Each RSA scheme of TLS 1.2, the peer accepting only that RSA scheme: PKCS #1 v1.5 and PSS, each digest. */
    @ParameterizedTest(name = "opaque RSA key signs {0} for a {1} client, TLSv1.2")
    @MethodSource("rsaSchemes")
    void everyRsaScheme(String scheme, Impl peer) throws Exception {
        OpaqueKey key = opaque("server-rsa");
        // The CA's own scheme stays allowed (SunJSSE applies its constraints to the chain too); the
        // RSA key cannot sign with it, so the server must pick scheme.
        EnginePair pair = signed(Role.SERVER, "server-rsa", key, peer, "TLSv1.2", scheme, Handshake.SERVER_EC_SCHEME);
        assertSignedBy(pair, Role.SERVER, "server-rsa", key, "TLSv1.2");
        String digest = "SHA-" + scheme.substring(scheme.length() - 3);
        String expected = scheme.startsWith("rsa_pss") ? "RSASSA-PSS:" + digest : digest.replace("-", "") + "withRSA";
        assertEquals(expected, key.lastAlgorithm, "what the key's provider was asked to sign with");
    }

    /** The provider's exception fails the handshake and is its cause, the same instance; the peer fails too. */
    @ParameterizedTest(name = "a signing failure fails the handshake, {0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void aSigningFailureIsTheCause(String protocol) {
        for (Role role : Role.values()) {
            String name = role == Role.SERVER ? "server-ec" : "client";
            OpaqueKey key = opaque(name);
            key.failure = new SignatureException("token removed");
            KeyManagers.Handing km = new KeyManagers.Handing(KeyManagers.pkix(name), key);
            EnginePair pair = Handshake.pair(role, Impl.NATIVE, Impl.SUN, protocol, km.array());
            assertFalse(pair.settle(SSLException.class), "the handshake completed without a signature");
            EnginePair.Side signer = role == Role.SERVER ? pair.server : pair.client;
            EnginePair.Side peer = role == Role.SERVER ? pair.client : pair.server;
            SSLHandshakeException e = assertInstanceOf(SSLHandshakeException.class, signer.failure, pair.describe());
            assertTrue(Causes.chainContainsInstance(e, key.failure), role + ": the token's exception is not the cause: "
                + Causes.describe(e));
            assertTrue(e.getMessage().contains("token removed") && e.getMessage().contains(name),
                role + ": the message does not say why: " + e.getMessage());
            assertNotNull(peer.failure, role + ": the peer did not fail");
            assertEquals(0, key.signatures.get());
        }
    }

    /** Another key's private half behind the certificate: the peer refuses the signature, as with SunJSSE. */
    @ParameterizedTest(name = "a key that is not the certificate's is refused by a {0} client")
    @ValueSource(strings = {"NATIVE", "SUN"})
    void aWrongKeyIsRefusedByThePeer(Impl peer) {
        OpaqueKey wrong = new OpaqueKey(TestPki.get().privateKey("client")); // EC P-256 too, not server-ec's
        KeyManagers.Handing km = new KeyManagers.Handing(KeyManagers.pkix("server-ec"), wrong);
        EnginePair pair = Handshake.pair(Role.SERVER, Impl.NATIVE, peer, "TLSv1.3", km.array());
        assertFalse(pair.settle(SSLException.class), "a signature by the wrong key was accepted");
        assertInstanceOf(SSLHandshakeException.class, pair.client.failure, pair.describe());
        assertEquals(1, wrong.signatures.get(), "the wrong key signed once");
    }

    /** A key of another type than its certificate is refused before any handshake message is signed. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void aKeyOfAnotherTypeIsRefused(String protocol) {
        OpaqueKey rsa = opaque("server-rsa");
        KeyManagers.Handing km = new KeyManagers.Handing(KeyManagers.pkix("server-ec"), rsa);
        EnginePair pair = Handshake.pair(Role.SERVER, Impl.NATIVE, Impl.SUN, protocol, km.array());
        assertFalse(pair.settle(SSLException.class));
        SSLHandshakeException e = assertInstanceOf(SSLHandshakeException.class, pair.server.failure, pair.describe());
        assertTrue(Causes.messages(e).contains("do not match"), Causes.messages(e));
        assertEquals(0, rsa.signatures.get());
    }

    /**
     * TLS 1.2 RSA key exchange needs the key to decrypt, which a key that signs in Java cannot: a
     * client offering only TLS_RSA_* suites gets a failed handshake, and NativeTLS's exception
     * says why (never a crash, never a handshake with another key).
     */
    @ParameterizedTest(name = "{0} client offering only RSA key exchange")
    @ValueSource(strings = {"NATIVE", "SUN"})
    void rsaKeyExchangeFailsClearly(Impl client) {
        // JDK 24 and later disable TLS_RSA_* by default: there no peer can ask for it.
        org.junit.jupiter.api.Assumptions.assumeFalse(
            String.valueOf(java.security.Security.getProperty("jdk.tls.disabledAlgorithms")).contains("TLS_RSA_*"),
            "the JDK's policy disables RSA key exchange");
        OpaqueKey key = opaque("server-rsa");
        KeyManagers.Handing km = new KeyManagers.Handing(KeyManagers.pkix("server-rsa"), key);
        EnginePair pair = Handshake.pair(Role.SERVER, Impl.NATIVE, client, "TLSv1.2", km.array());
        pair.client.engine.setEnabledCipherSuites(new String[] {"TLS_RSA_WITH_AES_128_GCM_SHA256"});
        pair.server.engine.setEnabledCipherSuites(new String[] {"TLS_RSA_WITH_AES_128_GCM_SHA256"}); // not a default
        assertFalse(pair.settle(SSLException.class), "an RSA key exchange completed with a key that cannot decrypt");
        SSLHandshakeException e = assertInstanceOf(SSLHandshakeException.class, pair.server.failure, pair.describe());
        assertTrue(Causes.messages(e).contains("decryption failed"), Causes.describe(e));
        assertEquals(0, key.signatures.get());
    }

    /** Resumption signs nothing: the second connection reuses the session without the key. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void resumptionNeedsNoSignature(String protocol) throws Exception {
        OpaqueKey key = opaque("server-ec");
        KeyManagers.Handing km = new KeyManagers.Handing(KeyManagers.pkix("server-ec"), key);
        javax.net.ssl.SSLContext server = Handshake.context(Impl.NATIVE, km.array());
        javax.net.ssl.SSLContext client = Handshake.context(Impl.SUN, null);
        for (int i = 0; i < 2; i++) {
            SSLEngine c = client.createSSLEngine("localhost", 443);
            c.setEnabledProtocols(new String[] {protocol});
            EnginePair pair = new EnginePair(c, server.createSSLEngine());
            pair.handshake();
            pair.exchange(1_000, i);
        }
        assertEquals(1, key.signatures.get(), "signatures for a full handshake and a resumed one");
    }
}
