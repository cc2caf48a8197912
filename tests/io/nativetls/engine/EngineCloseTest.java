package io.nativetls.engine;

import static io.nativetls.engine.EngineSupport.EMPTY;
import static io.nativetls.engine.EngineSupport.random;
import static io.nativetls.engine.EngineSupport.unwrapAll;
import static io.nativetls.engine.EngineSupport.wrapAll;
import static io.nativetls.engine.EngineSupport.written;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.testing.Contexts;
import io.nativetls.testing.Contexts.Impl;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** closeOutbound, closeInbound, close_notify in both directions, and wrap/unwrap once closed. */
class EngineCloseTest {
    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String role : new String[] {"client", "server"}) {
            for (Impl peer : Impl.values()) {
                for (String protocol : new String[] {"TLSv1.3", "TLSv1.2"}) {
                    out.add(Arguments.of(role, peer, protocol));
                }
            }
        }
        return out.stream();
    }

    /** [NativeTLS subject in role, peer], handshaken, with a little data each way. */
    private static SSLEngine[] handshaken(String role, Impl peer, String protocol) throws Exception {
        boolean subjectIsClient = role.equals("client");
        SSLEngine c = EngineSupport.client(subjectIsClient ? Impl.NATIVE : peer, protocol);
        SSLEngine s = EngineSupport.server(subjectIsClient ? peer : Impl.NATIVE, "server-ec");
        EngineSupport.established(c, s);
        byte[] data = random(2000, 1);
        assertArrayEquals(data, unwrapAll(s, wrapAll(c, data)));
        assertArrayEquals(data, unwrapAll(c, wrapAll(s, data)));
        return subjectIsClient ? new SSLEngine[] {c, s} : new SSLEngine[] {s, c};
    }

    @ParameterizedTest(name = "NativeTLS {0}, {1} peer, {2}")
    @MethodSource("cases")
    void closeOutboundSendsCloseNotifyThePeerSeesAsClosed(String role, Impl peer, String protocol)
        throws Exception {
        SSLEngine[] e = handshaken(role, peer, protocol);
        SSLEngine subject = e[0];
        SSLEngine other = e[1];
        subject.closeOutbound();
        ByteBuffer net = ByteBuffer.allocate(subject.getSession().getPacketBufferSize());
        SSLEngineResult r = subject.wrap(EMPTY, net);
        assertEquals(Status.CLOSED, r.getStatus(), "wrap after closeOutbound");
        assertTrue(r.bytesProduced() > 0, "wrap after closeOutbound produced no close_notify");
        assertEquals(r.bytesProduced(), net.position());
        assertEquals(0, r.bytesConsumed());
        assertTrue(subject.isOutboundDone(), "isOutboundDone after the close_notify was wrapped");
        assertFalse(subject.isInboundDone(), "isInboundDone before the peer's close_notify");

        byte[] data = random(100, 2);
        ByteBuffer src = ByteBuffer.wrap(data);
        ByteBuffer more = ByteBuffer.allocate(subject.getSession().getPacketBufferSize());
        SSLEngineResult after = subject.wrap(src, more);
        assertEquals(Status.CLOSED, after.getStatus(), "wrap once outbound is done");
        assertEquals(0, after.bytesConsumed(), "wrap once outbound is done consumed");
        assertEquals(0, after.bytesProduced(), "wrap once outbound is done produced");
        assertEquals(0, src.position());
        assertEquals(0, more.position());

        net.flip();
        ByteBuffer app = ByteBuffer.allocate(other.getSession().getApplicationBufferSize());
        int length = net.remaining();
        SSLEngineResult u = other.unwrap(net, app);
        assertEquals(Status.CLOSED, u.getStatus(), "peer's unwrap of the close_notify");
        assertEquals(length, u.bytesConsumed(), "peer consumed the whole close_notify");
        assertEquals(0, u.bytesProduced());
        assertTrue(other.isInboundDone(), "peer's isInboundDone after the close_notify");
    }

    @ParameterizedTest(name = "NativeTLS {0}, {1} peer, {2}")
    @MethodSource("cases")
    void closeNotifyFromThePeerClosesInbound(String role, Impl peer, String protocol) throws Exception {
        SSLEngine[] e = handshaken(role, peer, protocol);
        SSLEngine subject = e[0];
        SSLEngine other = e[1];
        other.closeOutbound();
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        ByteBuffer net = ByteBuffer.allocate(other.getSession().getPacketBufferSize());
        for (int i = 0; i < 10 && !other.isOutboundDone(); i++) {
            other.wrap(EMPTY, net);
            wire.writeBytes(written(net));
            net.clear();
        }
        assertTrue(other.isOutboundDone());
        ByteBuffer src = ByteBuffer.wrap(wire.toByteArray());
        ByteBuffer app = ByteBuffer.allocate(subject.getSession().getApplicationBufferSize());
        SSLEngineResult u = subject.unwrap(src, app);
        assertEquals(Status.CLOSED, u.getStatus(), "unwrap of the peer's close_notify");
        assertEquals(0, u.bytesProduced());
        assertFalse(src.hasRemaining(), "close_notify not consumed");
        assertTrue(subject.isInboundDone(), "isInboundDone after the peer's close_notify");
        assertDoesNotThrow(subject::closeInbound, "closeInbound after receiving close_notify");

        // Inbound is done: later bytes are not read.
        ByteBuffer late = ByteBuffer.wrap(random(64, 3));
        SSLEngineResult again = subject.unwrap(late, app);
        assertEquals(Status.CLOSED, again.getStatus(), "unwrap once inbound is done");
        assertEquals(0, again.bytesConsumed() + again.bytesProduced(), "unwrap once inbound is done moved bytes");
        assertEquals(0, late.position());

        // Our side can still close cleanly.
        subject.closeOutbound();
        ByteBuffer out = ByteBuffer.allocate(subject.getSession().getPacketBufferSize());
        SSLEngineResult r = subject.wrap(EMPTY, out);
        assertEquals(Status.CLOSED, r.getStatus(), "wrap after closeOutbound");
        assertTrue(subject.isOutboundDone());
    }

    @ParameterizedTest(name = "NativeTLS {0}, {1} peer, {2}")
    @MethodSource("cases")
    void closeInboundWithoutCloseNotifyThrows(String role, Impl peer, String protocol) throws Exception {
        SSLEngine subject = handshaken(role, peer, protocol)[0];
        assertThrows(SSLException.class, subject::closeInbound, "closeInbound before the peer's close_notify");
        assertTrue(subject.isInboundDone(), "isInboundDone after closeInbound");
        ByteBuffer src = ByteBuffer.wrap(random(64, 4));
        SSLEngineResult r = subject.unwrap(src, ByteBuffer.allocate(subject.getSession().getApplicationBufferSize()));
        assertEquals(Status.CLOSED, r.getStatus(), "unwrap after closeInbound");
        assertEquals(0, r.bytesConsumed() + r.bytesProduced());
    }

    @ParameterizedTest(name = "mode {0}")
    @ValueSource(strings = {"client", "server", "unset"})
    void closeInboundOnANeverStartedEngineDoesNotThrow(String mode) {
        SSLEngine e = Contexts.server(Impl.NATIVE, "server-ec").createSSLEngine(EngineSupport.HOST,
            EngineSupport.PORT);
        if (!mode.equals("unset")) {
            e.setUseClientMode(mode.equals("client"));
        }
        assertDoesNotThrow(e::closeInbound, "closeInbound on a never-started engine");
        assertTrue(e.isInboundDone());
    }

    @ParameterizedTest(name = "mode {0}")
    @ValueSource(strings = {"client", "server"})
    void closeOutboundOnANeverStartedEngineThenWrapIsClosed(String mode) throws Exception {
        SSLEngine e = Contexts.server(Impl.NATIVE, "server-ec").createSSLEngine(EngineSupport.HOST,
            EngineSupport.PORT);
        e.setUseClientMode(mode.equals("client"));
        e.closeOutbound();
        ByteBuffer src = ByteBuffer.wrap(random(10, 5));
        ByteBuffer net = ByteBuffer.allocate(e.getSession().getPacketBufferSize());
        for (int i = 0; i < 5 && !e.isOutboundDone(); i++) {
            e.wrap(src, net);
        }
        assertTrue(e.isOutboundDone(), "isOutboundDone after closeOutbound on a fresh engine");
        SSLEngineResult r = e.wrap(src, net);
        assertEquals(Status.CLOSED, r.getStatus());
        assertEquals(0, r.bytesConsumed());
        assertEquals(0, src.position());
    }
}
