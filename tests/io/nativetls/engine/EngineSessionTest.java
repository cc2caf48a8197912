package io.nativetls.engine;

import static io.nativetls.engine.EngineSupport.HOST;
import static io.nativetls.engine.EngineSupport.PORT;
import static io.nativetls.engine.EngineSupport.isNative;
import static io.nativetls.engine.EngineSupport.random;
import static io.nativetls.engine.EngineSupport.unwrapAll;
import static io.nativetls.engine.EngineSupport.wrapAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.testing.Matrix;
import io.nativetls.testing.Contexts;
import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.EnginePair;
import io.nativetls.testing.TestPki;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** SSLSession before, during (the handshake session a trust manager sees) and after the handshake. */
class EngineSessionTest {
    @ParameterizedTest(name = "mode {0}")
    @ValueSource(strings = {"client", "server", "unset"})
    void sessionBeforeTheHandshakeIsTheInvalidNullSession(String mode) {
        SSLEngine e = Contexts.server(Impl.NATIVE, "server-ec").createSSLEngine(HOST, PORT);
        if (!mode.equals("unset")) {
            e.setUseClientMode(mode.equals("client"));
        }
        assertNull(e.getHandshakeSession(), "handshake session before the handshake");
        SSLSession session = e.getSession();
        assertNotNull(session, "getSession() before the handshake");
        assertFalse(session.isValid(), "the pre-handshake session is valid");
        assertEquals("SSL_NULL_WITH_NULL_NULL", session.getCipherSuite());
        assertTrue(session.getPacketBufferSize() >= 16709, "packet buffer size " + session.getPacketBufferSize());
        assertTrue(session.getApplicationBufferSize() >= 16384,
            "application buffer size " + session.getApplicationBufferSize());
        assertThrows(SSLPeerUnverifiedException.class, session::getPeerCertificates,
            "peer certificates before the handshake");
        assertNull(e.getHandshakeSession(), "handshake session after getSession() before the handshake");
    }

    static Stream<Arguments> established() {
        return Matrix.of(Matrix.WITH_NATIVE, Matrix.PROTOCOLS, new String[] {"server-rsa", "server-ec"});
    }

    @ParameterizedTest(name = "{0} client, {1} server, {2}, {3}")
    @MethodSource("established")
    void sessionAfterTheHandshake(Impl client, Impl server, String protocol, String key) throws Exception {
        SSLEngine c = EngineSupport.client(client, protocol);
        SSLEngine s = EngineSupport.server(server, key);
        EngineSupport.established(c, s);
        X509Certificate serverCert = TestPki.get().certificate(key);
        SSLSession cs = c.getSession();
        SSLSession ss = s.getSession();

        for (SSLEngine e : new SSLEngine[] {c, s}) {
            String who = (e == c ? "client" : "server") + (isNative(e) ? " (NativeTLS)" : " (SunJSSE)");
            assertNull(e.getHandshakeSession(), who + ": handshake session after the handshake");
            assertTrue(e.getSession().isValid(), who + ": session is valid");
            assertEquals(protocol, e.getSession().getProtocol(), who + ": protocol");
            assertNotEquals("SSL_NULL_WITH_NULL_NULL", e.getSession().getCipherSuite(), who + ": cipher suite");
            assertTrue(e.getSession().getCipherSuite().startsWith("TLS_"), who + ": IANA suite name "
                + e.getSession().getCipherSuite());
        }
        assertEquals(cs.getCipherSuite(), ss.getCipherSuite(), "cipher suite: client's view vs server's view");

        assertEquals(serverCert, cs.getPeerCertificates()[0], "client's peer certificate");
        assertEquals(serverCert, ss.getLocalCertificates()[0], "server's local certificate");
        assertEquals(serverCert.getSubjectX500Principal(), cs.getPeerPrincipal(), "client's peer principal");
        assertThrows(SSLPeerUnverifiedException.class, ss::getPeerCertificates,
            "server's peer certificates without client authentication");
        assertNull(cs.getLocalCertificates(), "client's local certificates without a key manager");

        assertEquals(HOST, cs.getPeerHost(), "client session peer host");
        assertEquals(PORT, cs.getPeerPort(), "client session peer port");
        assertEquals(HOST, c.getPeerHost(), "client engine peer host");
        assertEquals(PORT, c.getPeerPort(), "client engine peer port");

        // The session stays the same object (and valid) while data flows.
        byte[] data = random(5000, 1);
        assertArrayEquals(data, unwrapAll(s, wrapAll(c, data)));
        assertSame(cs, c.getSession(), "client session object changed after data");
        assertTrue(c.getSession().isValid());
    }

    static Stream<Arguments> trustCases() {
        List<Arguments> out = new ArrayList<>();
        for (Impl server : Impl.values()) {
            out.add(Arguments.of(server, "TLSv1.3", "server-ec", "UNKNOWN"));
            out.add(Arguments.of(server, "TLSv1.3", "server-rsa", "UNKNOWN"));
            out.add(Arguments.of(server, "TLSv1.2", "server-ec", "ECDHE_ECDSA"));
            out.add(Arguments.of(server, "TLSv1.2", "server-rsa", "ECDHE_RSA"));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "NativeTLS client, {0} server, {1}, {2} -> authType {3}")
    @MethodSource("trustCases")
    void trustManagerSeesTheHandshakeSession(Impl server, String protocol, String key, String authType)
        throws Exception {
        EngineSupport.RecordingTrustManager tm = new EngineSupport.RecordingTrustManager(false);
        SSLContext ctx = Contexts.create(Impl.NATIVE, "TLS", null, tm.asArray());
        SSLEngine c = EngineSupport.clientOf(ctx, protocol);
        SSLEngine s = EngineSupport.server(server, key);
        assertNull(c.getHandshakeSession(), "handshake session before the handshake");
        EngineSupport.established(c, s);

        assertEquals(1, tm.serverChecks, "checkServerTrusted calls");
        assertTrue(tm.engineVariant, "checkServerTrusted(chain, authType, SSLEngine) was not the variant called");
        assertSame(c, tm.engine, "engine passed to checkServerTrusted");
        assertEquals(authType, tm.authType, "authType passed to checkServerTrusted");
        assertNotNull(tm.handshakeSession, "getHandshakeSession() inside checkServerTrusted");
        assertEquals(protocol, tm.handshakeProtocol, "handshake session protocol inside checkServerTrusted");
        assertEquals(TestPki.get().certificate(key), tm.chain[0], "chain[0] passed to checkServerTrusted");
        assertNull(tm.thrown, "the real trust manager refused: " + tm.thrown);
        assertNull(c.getHandshakeSession(), "handshake session after the handshake");
        assertTrue(c.getSession().isValid());
    }

    @Test
    void ed25519ServerCertificateWorksForTls13() throws Exception {
        SSLEngine c = EngineSupport.client(Impl.NATIVE, "TLSv1.3");
        SSLEngine s = EngineSupport.server(Impl.NATIVE, "server-ed25519", "TLSv1.3");
        EnginePair pair = new EnginePair(c, s);
        pair.handshake();
        assertEquals("TLSv1.3", c.getSession().getProtocol());
        X509Certificate cert = TestPki.get().certificate("server-ed25519");
        assertEquals(cert, c.getSession().getPeerCertificates()[0], "client's peer certificate");
        assertEquals(cert, s.getSession().getLocalCertificates()[0], "server's local certificate");
        assertEquals(c.getSession().getCipherSuite(), s.getSession().getCipherSuite());
        pair.exchange(64 * 1024, 3);
        pair.close(pair.client);
    }
}
