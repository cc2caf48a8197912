package io.nativetls.socket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.testing.Contexts;
import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.EnginePair;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * NativeTLS refuses TLS 1.2 renegotiation, the same way on sockets and engines: a second
 * startHandshake/beginHandshake on an established TLS 1.2 connection throws SSLException and the
 * connection goes on with its session (it used to do nothing on a socket and break an engine).
 * TLS 1.3 has no renegotiation: the call sends a KeyUpdate instead (keyupdate/KeyUpdateTest) and the
 * connection goes on with its session.
 */
class RenegotiationRefusalTest {
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void socket(String protocol) throws Exception {
        try (SocketSupport.Server server = SocketSupport.Server.echo(SocketSupport.serverContext(Impl.SUN), 1);
             SSLSocket s = SocketSupport.connect(SocketSupport.clientContext(Impl.NATIVE), server.port())) {
            s.setEnabledProtocols(new String[] {protocol});
            s.startHandshake();
            byte[] id = s.getSession().getId();
            if (protocol.equals("TLSv1.2")) {
                SSLException e = assertThrows(SSLException.class, s::startHandshake);
                assertTrue(e.getMessage().contains("renegotiation"), e.getMessage());
            } else {
                s.startHandshake();
            }
            assertFalse(s.isClosed(), "the refusal leaves the connection open");
            s.getOutputStream().write(new byte[] {1, 2, 3});
            assertArrayEquals(new byte[] {1, 2, 3}, SocketSupport.readFully(s.getInputStream(), 3));
            assertArrayEquals(id, s.getSession().getId(), "the same session");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void engine(String protocol) throws Exception {
        SSLEngine c = Contexts.client(Impl.NATIVE).createSSLEngine("localhost", 443);
        c.setEnabledProtocols(new String[] {protocol});
        EnginePair pair = new EnginePair(c, Contexts.server(Impl.SUN, "server-ec").createSSLEngine());
        pair.handshake();
        if (protocol.equals("TLSv1.2")) {
            SSLException e = assertThrows(SSLException.class, c::beginHandshake);
            assertTrue(e.getMessage().contains("renegotiation"), e.getMessage());
        } else {
            c.beginHandshake();
        }
        assertFalse(c.isInboundDone() || c.isOutboundDone(), "the refusal leaves the engine open");
        assertEquals(protocol.equals("TLSv1.2") ? javax.net.ssl.SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING
            : javax.net.ssl.SSLEngineResult.HandshakeStatus.NEED_WRAP, c.getHandshakeStatus(),
            "TLS 1.3: the KeyUpdate waits for a wrap");
        pair.exchange(10_000, 3);
    }
}
