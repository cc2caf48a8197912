package io.nativetls.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nativetls.testing.SavedProperty;
import io.nativetls.testing.Contexts;
import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.EnginePair;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * After the peer's close_notify: TLS 1.2 answers it and closes both ways. In TLS 1.3 SunJSSE
 * closes only the inbound direction and the application may keep writing (half-close); NativeTLS
 * engines do that with jdk.tls.acknowledgeCloseNotify=false, and otherwise answer at once (the
 * JDK's HttpClient otherwise never releases a connection a TLS 1.3 server closed).
 */
@Timeout(30)
class HalfCloseTest {
    private static EnginePair connected(Impl impl, String protocol) throws Exception {
        SSLEngine c = Contexts.client(impl).createSSLEngine("localhost", 443);
        c.setUseClientMode(true);
        c.setEnabledProtocols(new String[] {protocol});
        SSLEngine s = Contexts.server(impl, "server-ec").createSSLEngine();
        s.setUseClientMode(false);
        EnginePair pair = new EnginePair(c, s);
        pair.handshake();
        return pair;
    }

    private static List<String> afterPeerClose(Impl impl, String protocol) throws Exception {
        EnginePair pair = connected(impl, protocol);
        SSLEngine c = pair.client.engine;
        SSLEngine s = pair.server.engine;
        c.closeOutbound();
        ByteBuffer net = ByteBuffer.allocate(20_000);
        c.wrap(ByteBuffer.allocate(0), net);
        net.flip();
        List<String> seen = new ArrayList<>();
        SSLEngineResult r = s.unwrap(net, ByteBuffer.allocate(20_000));
        seen.add("unwrap " + r.getStatus() + "/" + r.getHandshakeStatus());
        seen.add("in " + s.isInboundDone() + " out " + s.isOutboundDone());
        ByteBuffer out = ByteBuffer.allocate(20_000);
        SSLEngineResult w = s.wrap(ByteBuffer.wrap("late reply".getBytes()), out);
        seen.add("wrap " + w.getStatus() + " consumed " + w.bytesConsumed());
        if (w.bytesConsumed() > 0) {
            // The client, its outbound closed, still reads what the server wrote after the close.
            out.flip();
            ByteBuffer app = ByteBuffer.allocate(20_000);
            for (int i = 0; i < 5 && out.hasRemaining(); i++) {
                c.unwrap(out, app);
            }
            app.flip();
            byte[] got = new byte[app.remaining()];
            app.get(got);
            seen.add("client read " + new String(got));
        }
        return seen;
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void withoutAcknowledgementBehavesAsSunJsse(String protocol) throws Exception {
        try (SavedProperty restored = SavedProperty.of("jdk.tls.acknowledgeCloseNotify")) {
            System.setProperty("jdk.tls.acknowledgeCloseNotify", "false");
            assertEquals(afterPeerClose(Impl.SUN, protocol), afterPeerClose(Impl.NATIVE, protocol));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void byDefaultTheCloseIsAnswered(String protocol) throws Exception {
        assertEquals(List.of("unwrap CLOSED/NEED_WRAP", "in true out false", "wrap CLOSED consumed 0"),
            afterPeerClose(Impl.NATIVE, protocol));
    }

    /**
     * The server closes first while the client's request is on its way: the server still reads it,
     * arriving in two halves, and then the client's close_notify. NativeTLS frees OpenSSL's record
     * buffers once its close_notify is out (native/ssl.c, native_shutdown); reading must not notice.
     */
    private static List<String> afterOwnClose(Impl impl, String protocol) throws Exception {
        EnginePair pair = connected(impl, protocol);
        SSLEngine c = pair.client.engine;
        SSLEngine s = pair.server.engine;
        ByteBuffer request = ByteBuffer.allocate(20_000);
        c.wrap(ByteBuffer.wrap("late request".getBytes()), request);
        request.flip();
        s.closeOutbound();
        ByteBuffer closeNotify = ByteBuffer.allocate(20_000);
        s.wrap(ByteBuffer.allocate(0), closeNotify);
        closeNotify.flip();
        List<String> seen = new ArrayList<>();
        seen.add("server out " + s.isOutboundDone() + " in " + s.isInboundDone());
        ByteBuffer app = ByteBuffer.allocate(20_000);
        ByteBuffer half = request.duplicate();
        half.limit(request.position() + request.remaining() / 2);
        SSLEngineResult r = s.unwrap(half, app);
        seen.add("half " + r.getStatus() + " consumed " + r.bytesConsumed());
        request.position(request.position() + r.bytesConsumed());
        r = s.unwrap(request, app);
        app.flip();
        byte[] got = new byte[app.remaining()];
        app.get(got);
        seen.add("rest " + r.getStatus() + " read " + new String(got));
        c.unwrap(closeNotify, ByteBuffer.allocate(20_000));
        c.closeOutbound(); // SunJSSE's TLS 1.3 client does not answer on its own (see above)
        ByteBuffer answer = ByteBuffer.allocate(20_000);
        c.wrap(ByteBuffer.allocate(0), answer);
        answer.flip();
        r = s.unwrap(answer, ByteBuffer.allocate(20_000));
        seen.add("answer " + r.getStatus() + " server out " + s.isOutboundDone() + " in " + s.isInboundDone());
        return seen;
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void closingFirstStillReadsWhatThePeerSent(String protocol) throws Exception {
        List<String> expected = List.of("server out true in false", "half BUFFER_UNDERFLOW consumed 0",
            "rest OK read late request", "answer CLOSED server out true in true");
        assertEquals(expected, afterOwnClose(Impl.SUN, protocol), "SunJSSE");
        assertEquals(expected, afterOwnClose(Impl.NATIVE, protocol), "NativeTLS");
    }
}
