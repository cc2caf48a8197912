package io.nativetls.internal.ssl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
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
 * The one-call summary of a completed handshake says what the individual calls say, on both
 * sides: full handshakes with client authentication and ALPN, then a resumption.
 */
class HandshakeSummaryTest {
    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void theSummaryMatchesTheIndividualCalls(String protocol) throws Exception {
        TestPki pki = TestPki.get();
        SSLContext clientContext = Contexts.create(Impl.NATIVE, "TLS", pki.keyManagers("client"), pki.trustManagers());
        SSLContext serverContext = Contexts.server(Impl.NATIVE, "server-ec");

        EnginePair first = pair(clientContext, serverContext, protocol);
        first.handshake();
        first.exchange(64, 1); // delivers a TLS 1.3 ticket
        HandshakeSummary client = compare(first.client.engine, protocol, false, true);
        HandshakeSummary server = compare(first.server.engine, protocol, false, true);
        assertEquals("h2", client.applicationProtocol());
        assertEquals(pki.certificate("client"), client.localCertificates()[0], "the client's credential");
        assertNotNull(server.peerCertificates(), "the client's certificate, as the server verified it");
        assertNotNull(client.peerSignatureScheme());

        EnginePair resumed = pair(clientContext, serverContext, protocol);
        resumed.handshake();
        compare(resumed.client.engine, protocol, true, false);
        compare(resumed.server.engine, protocol, true, false);
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

    /** The summary and the individual calls on the engine's connection, compared item by item. */
    private static HandshakeSummary compare(SSLEngine engine, String protocol, boolean resumed, boolean verified)
        throws Exception {
        SslHandle ssl = handle(engine);
        HandshakeSummary summary = ssl.handshakeSummary();
        String[] info = ssl.sessionInfo();
        assertEquals(protocol, summary.protocol());
        assertEquals(info[0], summary.protocol());
        assertEquals(info[1], summary.cipherSuite());
        assertEquals(info[2], summary.peerSignatureScheme());
        assertArrayEquals(ssl.sessionId(), summary.sessionId());
        assertEquals(ssl.applicationProtocol(), summary.applicationProtocol());
        assertEquals(ssl.sessionReused(), summary.resumed());
        assertEquals(resumed, summary.resumed());
        assertChains(ssl.peerCertificates(), summary.peerCertificates());
        assertChains(ssl.localCertificates(), summary.localCertificates());
        if (verified) {
            assertNotNull(summary.peerCertificates());
        }
        assertFalse(summary.sessionId() == summary.sessionId(), "a copy each time");
        return summary;
    }

    private static void assertChains(X509Certificate[] expected, X509Certificate[] actual) {
        if (expected == null) {
            assertNull(actual);
            return;
        }
        assertNotNull(actual);
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertTrue(expected[i].equals(actual[i]), "certificate " + i);
        }
    }

    private static SslHandle handle(SSLEngine engine) throws ReflectiveOperationException {
        Field f = engine.getClass().getDeclaredField("ssl");
        f.setAccessible(true);
        return (SslHandle) f.get(engine);
    }
}
