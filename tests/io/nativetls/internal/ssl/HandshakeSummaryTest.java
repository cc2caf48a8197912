package io.nativetls.internal.ssl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.testing.Contexts;
import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.EnginePair;
import io.nativetls.testing.TestPki;
import java.lang.reflect.Field;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The one-call summary of a completed handshake: each end's summary agrees with the other end's
 * (what one sent is what the other received) and with what the test configured, for full
 * handshakes with client authentication and ALPN, then for a resumption.
 */
class HandshakeSummaryTest {
    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void bothEndsSummariseTheSameHandshake(String protocol) throws Exception {
        TestPki pki = TestPki.get();
        SSLContext clientContext = Contexts.create(Impl.NATIVE, "TLS", pki.keyManagers("client"), pki.trustManagers());
        SSLContext serverContext = Contexts.server(Impl.NATIVE, "server-ec");

        EnginePair first = pair(clientContext, serverContext, protocol);
        first.handshake();
        first.exchange(64, 1); // delivers a TLS 1.3 ticket
        HandshakeSummary client = handle(first.client.engine).handshakeSummary();
        HandshakeSummary server = handle(first.server.engine).handshakeSummary();
        assertAgree(client, server, protocol, false);
        assertEquals(pki.certificate("client"), client.localCertificates()[0], "the client's credential");
        assertEquals(pki.certificate("server-ec"), server.localCertificates()[0], "the server's credential");
        assertNotNull(client.peerSignatureScheme(), "the server signed its handshake");
        assertNotNull(server.peerSignatureScheme(), "the client signed its CertificateVerify");
        assertTrue(client.peerSignatureScheme().startsWith("ecdsa_"), client.peerSignatureScheme());
        assertEquals(32, server.sessionId().length, "a new session has an id");
        assertFalse(client.sessionId() == client.sessionId(), "a copy each time");

        EnginePair resumed = pair(clientContext, serverContext, protocol);
        resumed.handshake();
        HandshakeSummary client2 = handle(resumed.client.engine).handshakeSummary();
        HandshakeSummary server2 = handle(resumed.server.engine).handshakeSummary();
        assertAgree(client2, server2, protocol, true);
        if (protocol.equals("TLSv1.2")) {
            assertArrayEquals(server.sessionId(), server2.sessionId(), "TLS 1.2 resumes the session by its id");
        }
    }

    /** What one end sent is what the other end received; both name the same negotiation. */
    private static void assertAgree(HandshakeSummary client, HandshakeSummary server, String protocol,
        boolean resumed) throws Exception {
        assertEquals(protocol, client.protocol());
        assertEquals(protocol, server.protocol());
        assertEquals(client.cipherSuite(), server.cipherSuite());
        assertTrue(client.cipherSuite().startsWith("TLS_"), client.cipherSuite());
        assertEquals("h2", client.applicationProtocol());
        assertEquals("h2", server.applicationProtocol());
        assertEquals(resumed, client.resumed());
        assertEquals(resumed, server.resumed());
        if (protocol.equals("TLSv1.2")) {
            // TLS 1.3 has no shared session id: each end names its ticket session itself.
            assertArrayEquals(client.sessionId(), server.sessionId(), "both ends name the session alike");
        }
        assertEquals(client.group(), server.group());
        if (!resumed) {
            // A resumption sends no certificates; the engine keeps the session's.
            assertChains(client.localCertificates(), server.peerCertificates(), "the client's chain as the server got it");
            assertChains(server.localCertificates(), client.peerCertificates(), "the server's chain as the client got it");
        }
    }

    private static void assertChains(X509Certificate[] expected, X509Certificate[] actual, String what) {
        assertNotNull(expected, what);
        assertNotNull(actual, what);
        assertArrayEquals(expected, actual, what);
    }

    private static EnginePair pair(SSLContext clientContext, SSLContext serverContext, String protocol) {
        SSLEngine c = clientContext.createSSLEngine("localhost", 4433);
        SSLEngine s = serverContext.createSSLEngine();
        SSLParameters cp = c.getSSLParameters();
        cp.setProtocols(new String[] {protocol});
        cp.setApplicationProtocols(new String[] {"h2", "http/1.1"});
        c.setSSLParameters(cp);
        SSLParameters sp = s.getSSLParameters();
        sp.setProtocols(new String[] {protocol});
        sp.setApplicationProtocols(new String[] {"h2"});
        sp.setNeedClientAuth(true);
        s.setSSLParameters(sp);
        return new EnginePair(c, s);
    }

    private static SslHandle handle(SSLEngine engine) throws ReflectiveOperationException {
        Field f = engine.getClass().getDeclaredField("ssl");
        f.setAccessible(true);
        return (SslHandle) f.get(engine);
    }
}
