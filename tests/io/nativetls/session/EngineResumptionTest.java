package io.nativetls.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.testing.Connections;
import io.nativetls.testing.Contexts;
import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.EnginePair;
import java.util.Collections;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Resumption through the session caches, engine pairs in one JVM: a client engine made for the
 * same host and port offers its last session, the server resumes it, and both sides see the same
 * SSLSession object again. Resumption is observed on both ends, never assumed.
 */
@Timeout(60)
class EngineResumptionTest {
    private static final String HOST = "resume.example";

    static List<Arguments> peers() {
        return List.of(
            Arguments.of(Impl.NATIVE, Impl.NATIVE, "TLSv1.3"),
            Arguments.of(Impl.NATIVE, Impl.NATIVE, "TLSv1.2"),
            Arguments.of(Impl.NATIVE, Impl.SUN, "TLSv1.3"),
            Arguments.of(Impl.NATIVE, Impl.SUN, "TLSv1.2"),
            Arguments.of(Impl.SUN, Impl.NATIVE, "TLSv1.3"),
            Arguments.of(Impl.SUN, Impl.NATIVE, "TLSv1.2"));
    }

    /** One connection to HOST:port (see {@link Connections#connect}). */
    static SSLSession[] connect(SSLContext client, SSLContext server, String protocol, int port) throws SSLException {
        return Connections.connect(client, server, HOST, port, protocol, null);
    }

    @ParameterizedTest(name = "client {0}, server {1}, {2}")
    @MethodSource("peers")
    void secondConnectionToTheSamePeerResumes(Impl clientImpl, Impl serverImpl, String protocol) throws Exception {
        SSLContext client = Contexts.client(clientImpl);
        SSLContext server = Contexts.server(serverImpl, "server-ec");
        SSLSession[] first = connect(client, server, protocol, 443);
        SSLSession[] second = connect(client, server, protocol, 443);
        assertEquals(protocol, second[0].getProtocol());
        if (clientImpl == Impl.NATIVE) {
            assertSame(first[0], second[0], "the client resumed the same SSLSession");
        }
        if (serverImpl == Impl.NATIVE) {
            assertSame(first[1], second[1], "the server resumed the same SSLSession");
        }
        if (protocol.equals("TLSv1.2")) {
            assertArrayEquals(first[0].getId(), second[0].getId(), "TLS 1.2 resumption keeps the session id");
            if (serverImpl == Impl.NATIVE) {
                assertArrayEquals(first[1].getId(), second[1].getId());
            }
        }
        // The resumed session still knows the server's certificate.
        assertEquals(first[0].getPeerCertificates()[0], second[0].getPeerCertificates()[0]);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void anotherPortDoesNotResume(String protocol) throws Exception {
        SSLContext client = Contexts.client(Impl.NATIVE);
        SSLContext server = Contexts.server(Impl.NATIVE, "server-ec");
        SSLSession[] first = connect(client, server, protocol, 443);
        SSLSession[] other = connect(client, server, protocol, 8443);
        assertNotSame(first[0], other[0]);
        assertNotSame(first[1], other[1]);
    }

    @ParameterizedTest(name = "{0}, invalidated by the {1}")
    @MethodSource("invalidators")
    void invalidatedSessionIsNotResumed(String protocol, String side) throws Exception {
        SSLContext client = Contexts.client(Impl.NATIVE);
        SSLContext server = Contexts.server(Impl.NATIVE, "server-ec");
        SSLSession[] first = connect(client, server, protocol, 443);
        first[side.equals("client") ? 0 : 1].invalidate();
        assertFalse(first[side.equals("client") ? 0 : 1].isValid());
        SSLSession[] second = connect(client, server, protocol, 443);
        assertNotSame(first[0], second[0]);
        assertNotSame(first[1], second[1]);
        assertTrue(second[0].isValid());
        // ...and the fresh session is what the next connection resumes.
        SSLSession[] third = connect(client, server, protocol, 443);
        assertSame(second[0], third[0]);
        assertSame(second[1], third[1]);
    }

    static List<Arguments> invalidators() {
        return List.of(Arguments.of("TLSv1.3", "client"), Arguments.of("TLSv1.3", "server"),
            Arguments.of("TLSv1.2", "client"), Arguments.of("TLSv1.2", "server"));
    }

    /** A corrupted record (bad MAC: a fatal alert) ends the connection and its session's resumption. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void fatalErrorInvalidatesTheSession(String protocol) throws Exception {
        SSLContext client = Contexts.client(Impl.NATIVE);
        SSLContext server = Contexts.server(Impl.NATIVE, "server-ec");
        SSLSession[] first = connect(client, server, protocol, 443);
        SSLSession[] second = connect(client, server, protocol, 443);
        assertSame(first[0], second[0], "resumed before the failure");

        SSLEngine c = client.createSSLEngine(HOST, 443);
        c.setUseClientMode(true);
        c.setEnabledProtocols(new String[] {protocol});
        SSLEngine s = server.createSSLEngine();
        s.setUseClientMode(false);
        new EnginePair(c, s).handshake();
        assertSame(first[0], c.getSession());
        java.nio.ByteBuffer net = java.nio.ByteBuffer.allocate(s.getSession().getPacketBufferSize());
        s.wrap(java.nio.ByteBuffer.wrap(new byte[100]), net);
        net.flip();
        net.put(net.limit() - 3, (byte) (net.get(net.limit() - 3) ^ 1));
        org.junit.jupiter.api.Assertions.assertThrows(SSLException.class,
            () -> c.unwrap(net, java.nio.ByteBuffer.allocate(c.getSession().getApplicationBufferSize())));
        assertFalse(first[0].isValid(), "a fatal error invalidates the session");
        SSLSession[] after = connect(client, server, protocol, 443);
        assertNotSame(first[0], after[0], "and it is not offered again");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void sessionContextsListAndFindTheSession(String protocol) throws Exception {
        SSLContext client = Contexts.client(Impl.NATIVE);
        SSLContext server = Contexts.server(Impl.NATIVE, "server-ec");
        SSLSession[] first = connect(client, server, protocol, 443);
        assertSame(client.getClientSessionContext(), first[0].getSessionContext());
        assertSame(server.getServerSessionContext(), first[1].getSessionContext());
        assertSame(first[0], client.getClientSessionContext().getSession(first[0].getId()));
        assertSame(first[1], server.getServerSessionContext().getSession(first[1].getId()));
        List<byte[]> ids = Collections.list(client.getClientSessionContext().getIds());
        assertEquals(1, ids.size());
        assertArrayEquals(first[0].getId(), ids.get(0));
        first[0].invalidate();
        assertNull(client.getClientSessionContext().getSession(first[0].getId()));
        assertFalse(client.getClientSessionContext().getIds().hasMoreElements());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void timeoutEndsResumption(String protocol) throws Exception {
        SSLContext client = Contexts.client(Impl.NATIVE);
        SSLContext server = Contexts.server(Impl.NATIVE, "server-ec");
        SSLSession[] first = connect(client, server, protocol, 443);
        client.getClientSessionContext().setSessionTimeout(1);
        server.getServerSessionContext().setSessionTimeout(1);
        long deadline = System.currentTimeMillis() + 5000;
        while (first[0].isValid() && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertFalse(first[0].isValid(), "a session older than the timeout is no longer valid");
        SSLSession[] second = connect(client, server, protocol, 443);
        assertNotSame(first[0], second[0]);
        assertNotSame(first[1], second[1]);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void serverTimeoutAloneStopsTicketResumption(String protocol) throws Exception {
        SSLContext client = Contexts.client(Impl.NATIVE);
        SSLContext server = Contexts.server(Impl.NATIVE, "server-ec");
        SSLSession[] first = connect(client, server, protocol, 443);
        server.getServerSessionContext().setSessionTimeout(1);
        Thread.sleep(2100);
        assertTrue(first[0].isValid(), "the client still thinks the session is good");
        SSLSession[] second = connect(client, server, protocol, 443);
        assertNotSame(first[1], second[1], "the server refused the expired session");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void ticketsFromAnotherContextAreNotAccepted(String protocol) throws Exception {
        SSLContext client = Contexts.client(Impl.NATIVE);
        SSLContext server = Contexts.server(Impl.NATIVE, "server-ec");
        SSLContext otherServer = Contexts.server(Impl.NATIVE, "server-ec");
        SSLSession[] first = connect(client, server, protocol, 443);
        SSLSession[] second = connect(client, otherServer, protocol, 443);
        assertNotSame(first[0], second[0], "each SSLContext has its own random ticket keys");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void cacheSizeBoundsTheCache(String protocol) throws Exception {
        SSLContext client = Contexts.client(Impl.NATIVE);
        SSLContext server = Contexts.server(Impl.NATIVE, "server-ec");
        client.getClientSessionContext().setSessionCacheSize(2);
        SSLSession[] a = connect(client, server, protocol, 1001);
        connect(client, server, protocol, 1002);
        connect(client, server, protocol, 1003);
        assertEquals(2, Collections.list(client.getClientSessionContext().getIds()).size());
        SSLSession[] again = connect(client, server, protocol, 1001);
        assertNotSame(a[0], again[0], "the oldest entry was evicted");
    }
}
