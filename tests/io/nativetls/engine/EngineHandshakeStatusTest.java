package io.nativetls.engine;

import static io.nativetls.engine.EngineSupport.isNative;
import static io.nativetls.engine.EngineSupport.random;
import static io.nativetls.engine.EngineSupport.unwrapAll;
import static io.nativetls.engine.EngineSupport.wrapAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.testing.EnginePair;
import io.nativetls.testing.Contexts.Impl;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The handshake status a NativeTLS engine reports: NEED_WRAP/NEED_UNWRAP at the start, one task per pause, one FINISHED. */
class EngineHandshakeStatusTest {
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void clientNeedsWrapAfterBeginHandshake(String protocol) throws Exception {
        SSLEngine c = EngineSupport.client(Impl.NATIVE, protocol);
        assertEquals(HandshakeStatus.NOT_HANDSHAKING, c.getHandshakeStatus(), "fresh client");
        assertNull(c.getDelegatedTask());
        c.beginHandshake();
        assertEquals(HandshakeStatus.NEED_WRAP, c.getHandshakeStatus(), "client after beginHandshake");
        assertNull(c.getDelegatedTask(), "delegated task after beginHandshake");
        ByteBuffer net = ByteBuffer.allocate(c.getSession().getPacketBufferSize());
        SSLEngineResult r = c.wrap(EngineSupport.EMPTY, net);
        assertTrue(r.bytesProduced() > 0, "client's first wrap produced no ClientHello");
        assertEquals(HandshakeStatus.NEED_UNWRAP, r.getHandshakeStatus(), "client after sending its hello");
        assertEquals(HandshakeStatus.NEED_UNWRAP, c.getHandshakeStatus());
        assertNull(c.getDelegatedTask());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void serverNeedsUnwrapAfterBeginHandshake(String protocol) throws Exception {
        SSLEngine s = EngineSupport.server(Impl.NATIVE, "server-ec", protocol);
        assertEquals(HandshakeStatus.NOT_HANDSHAKING, s.getHandshakeStatus(), "fresh server");
        s.beginHandshake();
        assertEquals(HandshakeStatus.NEED_UNWRAP, s.getHandshakeStatus(), "server after beginHandshake");
        assertNull(s.getDelegatedTask(), "delegated task after beginHandshake");
        // A server with nothing to read produces nothing.
        ByteBuffer net = ByteBuffer.allocate(s.getSession().getPacketBufferSize());
        SSLEngineResult r = s.wrap(EngineSupport.EMPTY, net);
        assertEquals(0, r.bytesProduced() + r.bytesConsumed(), "server wrap before any ClientHello");
        assertEquals(HandshakeStatus.NEED_UNWRAP, s.getHandshakeStatus());
    }

    static Stream<Arguments> pairs() {
        List<Arguments> out = new ArrayList<>();
        Impl[][] roles = {{Impl.NATIVE, Impl.NATIVE}, {Impl.NATIVE, Impl.SUN}, {Impl.SUN, Impl.NATIVE}};
        for (Impl[] r : roles) {
            for (String protocol : new String[] {"TLSv1.3", "TLSv1.2"}) {
                out.add(Arguments.of(r[0], r[1], protocol));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} client, {1} server, {2}")
    @MethodSource("pairs")
    void exactlyOneFinishedAndOneTaskPerPause(Impl client, Impl server, String protocol) throws Exception {
        SSLEngine c = EngineSupport.client(client, protocol);
        SSLEngine s = EngineSupport.server(server, "server-rsa");
        EnginePair d = new EnginePair(c, s);
        assertTrue(d.settle(SSLException.class), "handshake failed: client " + d.client.failure + ", server " + d.server.failure);
        for (EnginePair.Side side : new EnginePair.Side[] {d.client, d.server}) {
            if (isNative(side.engine)) {
                String who = side == d.client ? "NativeTLS client" : "NativeTLS server";
                assertEquals(1, side.finished, who + ": FINISHED results");
                // One task each: the client's check of the server, the server's key choice.
                assertEquals(1, side.tasks, who + ": delegated tasks");
                assertEquals(HandshakeStatus.NOT_HANDSHAKING, side.engine.getHandshakeStatus(),
                    who + ": status after the handshake");
            }
        }
        // Data afterwards never reports FINISHED again nor asks for a handshake step.
        for (SSLEngine[] fromTo : new SSLEngine[][] {{c, s}, {s, c}}) {
            byte[] data = random(3000, 5);
            ByteBuffer net = ByteBuffer.allocate(fromTo[0].getSession().getPacketBufferSize());
            SSLEngineResult r = fromTo[0].wrap(ByteBuffer.wrap(data), net);
            if (isNative(fromTo[0])) {
                assertEquals(HandshakeStatus.NOT_HANDSHAKING, r.getHandshakeStatus(), "wrap of data");
                assertNull(fromTo[0].getDelegatedTask());
            }
            net.flip();
            ByteBuffer app = ByteBuffer.allocate(fromTo[1].getSession().getApplicationBufferSize());
            SSLEngineResult u = fromTo[1].unwrap(net, app);
            if (isNative(fromTo[1])) {
                assertEquals(HandshakeStatus.NOT_HANDSHAKING, u.getHandshakeStatus(), "unwrap of data");
                assertNull(fromTo[1].getDelegatedTask());
            }
            assertEquals(data.length, u.bytesProduced());
        }
        byte[] more = random(20_000, 6);
        assertArrayEquals(more, unwrapAll(c, wrapAll(s, more)));
    }
}
