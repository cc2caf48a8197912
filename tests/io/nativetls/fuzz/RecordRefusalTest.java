package io.nativetls.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.nativetls.fuzz.HostileHeaders.Header;
import io.nativetls.fuzz.HostileHeaders.Problem;
import io.nativetls.fuzz.HostileHeaders.State;
import io.nativetls.fuzz.HostileHeaders.Subject;
import io.nativetls.internal.ssl.SslHandle;
import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.TestPki;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLProtocolException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A record header no TLS peer sends (content type not 20-23, major version not 3, length over
 * the limit) is refused from the header, in every state: unwrap throws at once
 * (SSLHandshakeException during the handshake, SSLProtocolException after it) and consumes
 * nothing; the next wrap hands out the fatal alert and reports CLOSED; the engine is then done in
 * both directions and its native connection freed. The alert is checked where it lands: as
 * plaintext bytes when the engine had read nothing yet, else by the peer (NativeTLS and SunJSSE),
 * whose exception must name it.
 */
class RecordRefusalTest {
    private static Corpus.SslContexts contexts;
    private static final ExecutorService EXECUTOR = Executors.newCachedThreadPool();

    @BeforeAll
    static void contexts() {
        TestPki.get();
        contexts = new Corpus.SslContexts();
    }

    @AfterAll
    static void stop() {
        EXECUTOR.shutdownNow();
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (State state : State.values()) {
            for (Header h : HostileHeaders.all(state.tls13)) {
                if (state.firstRecord()) {
                    out.add(Arguments.of(state, h, Impl.NATIVE));
                } else {
                    out.add(Arguments.of(state, h, Impl.NATIVE));
                    out.add(Arguments.of(state, h, Impl.SUN));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}, peer {2}")
    @MethodSource("cases")
    void refusedFromTheHeaderWithTheRightAlert(State state, Header header, Impl peerImpl) throws Exception {
        Subject s = HostileHeaders.create(contexts, state, peerImpl);
        SSLEngine e = s.engine;
        // An endless stream of such headers, as far as the engine is concerned.
        byte[] stream = Tls.concat(header.withBody(16), header.withBody(16), header.withBody(16));
        ByteBuffer src = ByteBuffer.wrap(stream);
        ByteBuffer app = ByteBuffer.allocate(64 * 1024);
        SSLException x = assertThrows(SSLException.class, () -> e.unwrap(src, app));
        assertEquals(state.exception(), x.getClass(), x.toString());
        assertEquals(0, src.position(), "nothing of the refused record is consumed");
        assertTrue(e.isInboundDone());
        assertFalse(e.isOutboundDone(), "the alert is still to be wrapped");
        assertEquals(HandshakeStatus.NEED_WRAP, e.getHandshakeStatus());

        byte[] alert = wrapAll(e);
        assertTrue(alert.length > 0, "no alert");
        assertTrue(e.isOutboundDone() && e.isInboundDone());
        assertTrue(nativeConnectionFreed(e), "the native connection is freed once the alert is out");
        String name = state.alert(header.problem);
        if (state.firstRecord() || plaintextAlert(alert)) {
            // Before any keys exist for writing (OpenSSL's TLS 1.3 client also still writes in
            // the clear right after the ServerHello, which SunJSSE 17 cannot read: bytes, then).
            assertArrayEquals(new byte[] {21, 3, 3, 0, 2, 2, (byte) HostileHeaders.description(name)}, alert,
                "plaintext fatal " + name + ": " + Tls.hex(alert));
            assertFalse(state == State.TLS12_CLIENT || state == State.TLS12_SERVER || state == State.TLS13_CLIENT
                || state == State.TLS13_SERVER, "a plaintext alert after the handshake");
        } else {
            assertPeerReads(s, alert, name);
        }
        closePeer(s);
    }

    private static boolean plaintextAlert(byte[] wire) {
        return wire.length == 7 && wire[0] == Tls.ALERT && wire[1] == 3 && wire[3] == 0 && wire[4] == 2;
    }

    /** Wraps until CLOSED; the last result must say CLOSED. */
    private static byte[] wrapAll(SSLEngine e) throws SSLException {
        ByteBuffer net = ByteBuffer.allocate(64 * 1024);
        SSLEngineResult r = null;
        for (int i = 0; i < 8 && !e.isOutboundDone(); i++) {
            r = e.wrap(ByteBuffer.allocate(0), net);
        }
        assertTrue(r != null && r.getStatus() == Status.CLOSED, "wrap after the refusal: " + r);
        SSLEngineResult again = e.wrap(ByteBuffer.allocate(0), ByteBuffer.allocate(64));
        assertEquals(Status.CLOSED, again.getStatus());
        assertEquals(0, again.bytesProduced());
        return Arrays.copyOf(net.array(), net.position());
    }

    static boolean nativeConnectionFreed(SSLEngine e) throws ReflectiveOperationException {
        Field f = e.getClass().getDeclaredField("ssl");
        f.setAccessible(true);
        SslHandle ssl = (SslHandle) f.get(e);
        return ssl != null && ssl.isClosed();
    }

    /** The peer unwraps the alert (first what it still had to send, if it was mid-handshake) and must name it. */
    private static void assertPeerReads(Subject s, byte[] alert, String name) throws Exception {
        SSLEngine peer = s.peer;
        ByteBuffer src = ByteBuffer.wrap(alert);
        ByteBuffer app = ByteBuffer.allocate(64 * 1024);
        ByteBuffer sink = ByteBuffer.allocate(64 * 1024);
        for (int i = 0; i < 20; i++) {
            try {
                if (peer.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                    sink.clear();
                    peer.wrap(ByteBuffer.allocate(0), sink);
                    continue;
                }
                Conversation.runTasks(peer);
                SSLEngineResult r = peer.unwrap(src, app);
                if (r.getStatus() == Status.CLOSED || (!src.hasRemaining() && r.bytesConsumed() == 0)) {
                    break;
                }
            } catch (SSLException x) {
                String said = x.getMessage().toLowerCase(Locale.ROOT).replace(' ', '_');
                assertTrue(said.contains(name), peer.getClass().getSimpleName() + " peer should have read a fatal "
                    + name + ", said: " + x.getMessage());
                return;
            }
        }
        fail("the " + peer.getClass().getSimpleName() + " peer read " + Tls.hex(alert) + " without failing");
    }

    private static void closePeer(Subject s) {
        if (s.peer != null) {
            new UnwrapDriver().close(s.peer);
        }
    }

    /**
     * After this side's close_notify no record may follow, so a refused header gets no alert:
     * the exception says so, and the engine still ends closed with its connection freed.
     */
    @Test
    void afterCloseNotifyTheRefusalSaysNoAlertFollows() throws Exception {
        Subject s = HostileHeaders.create(contexts, State.TLS13_CLIENT, Impl.NATIVE);
        SSLEngine e = s.engine;
        e.closeOutbound();
        byte[] closeNotify = wrapAll(e);
        assertTrue(closeNotify.length > 0);
        assertFalse(e.isInboundDone(), "TLS 1.3: the peer may still send");
        ByteBuffer src = ByteBuffer.wrap(new Header(Problem.TYPE, 99, 3, 3, 16).withBody(16));
        SSLProtocolException x = assertThrows(SSLProtocolException.class,
            () -> e.unwrap(src, ByteBuffer.allocate(64 * 1024)));
        assertTrue(x.getMessage().contains("no alert for the peer: this side had already closed"), x.getMessage());
        assertTrue(e.isInboundDone() && e.isOutboundDone());
        SSLEngineResult r = e.wrap(ByteBuffer.allocate(0), ByteBuffer.allocate(64 * 1024));
        assertEquals(Status.CLOSED, r.getStatus());
        assertEquals(0, r.bytesProduced());
        assertTrue(nativeConnectionFreed(e));
        closePeer(s);
    }

    /**
     * OpenSSL clients ignore HelloRequests during a handshake (RFC 5246 lets them), so a server
     * could feed one an endless stream of them. A handshake may take 2^19 bytes without moving on
     * (more than any flight OpenSSL accepts); then the client refuses with unexpected_message.
     */
    @Test
    void anEndlessStreamOfHelloRequestsIsRefused() throws Exception {
        Subject s = HostileHeaders.create(contexts, State.CLIENT_AWAITING_SERVER_HELLO, Impl.NATIVE);
        byte[] helloRequest = Tls.record(Tls.HANDSHAKE, Tls.TLS12, Tls.handshake(Tls.HELLO_REQUEST, new byte[0]));
        int count = (1 << 19) / helloRequest.length + 10;
        ByteBuffer src = ByteBuffer.allocate(count * helloRequest.length);
        for (int i = 0; i < count; i++) {
            src.put(helloRequest);
        }
        src.flip();
        ByteBuffer app = ByteBuffer.allocate(64 * 1024);
        SSLHandshakeException x = null;
        for (int i = 0; i < count && x == null; i++) {
            try {
                SSLEngineResult r = s.engine.unwrap(src, app);
                assertEquals(Status.OK, r.getStatus());
                assertEquals(0, r.bytesProduced());
            } catch (SSLHandshakeException refused) {
                x = refused;
            }
        }
        assertTrue(x != null, "the HelloRequests were all taken");
        assertTrue(x.getMessage().contains("without the handshake moving on"), x.getMessage());
        assertTrue(src.position() <= 1 << 19, src.position() + " bytes taken");
        assertTrue(src.position() > (1 << 19) - helloRequest.length, "refused only past the bound");
        byte[] alert = wrapAll(s.engine);
        assertTrue(plaintextAlert(alert) && alert[5] == 2 && alert[6] == 10,
            "a plaintext fatal unexpected_message: " + Tls.hex(alert));
        assertTrue(nativeConnectionFreed(s.engine));
    }

    // ---- partial headers ----------------------------------------------------------------------

    /** The byte that decides is enough: no waiting for the rest of a header that cannot be TLS. */
    @Test
    void partialHeadersAreJudgedAsFarAsTheyGo() throws Exception {
        assertRefusedWith("00", SSLHandshakeException.class, "content type 0");
        assertRefusedWith("47", SSLHandshakeException.class, "content type 71"); // "G" of "GET /"
        assertUnderflow("16");
        assertUnderflow("1603");
        assertRefusedWith("1604", SSLHandshakeException.class, "version 0x04..");
        assertUnderflow("16030300");
        // A server's first record may be SSLv2: the third byte decides.
        assertUnderflow("80");
        assertUnderflow("802e");
        assertUnderflow("c1ff");
        assertRefusedWith("c1ff02", SSLHandshakeException.class, "content type 193");
    }

    @Test
    void anSslV2ClientHelloIsRefusedAsSuch() throws Exception {
        SSLEngine server = contexts.server(Impl.NATIVE, false, null, 0);
        ByteBuffer src = ByteBuffer.wrap(Tls.unhex("802e0103010015000000100000040000050000ff"));
        SSLHandshakeException x = assertThrows(SSLHandshakeException.class,
            () -> server.unwrap(src, ByteBuffer.allocate(64 * 1024)));
        assertTrue(x.getMessage().contains("SSLv2-format ClientHello is not supported"), x.getMessage());
        assertTrue(server.isInboundDone() && server.isOutboundDone(), "nothing is left to say to an SSLv2 peer");
        assertTrue(nativeConnectionFreed(server));
        // The same bytes to a client, or to a server that has read a record, are just a bad type.
        SSLEngine client = contexts.client(Impl.NATIVE, false, null);
        client.beginHandshake();
        new Conversation(client, client).flush(client);
        SSLHandshakeException y = assertThrows(SSLHandshakeException.class,
            () -> client.unwrap(ByteBuffer.wrap(Tls.unhex("802e010301")), ByteBuffer.allocate(64 * 1024)));
        assertTrue(y.getMessage().contains("content type 128"), y.getMessage());
    }

    private static void assertRefusedWith(String hex, Class<? extends SSLException> type, String says)
        throws Exception {
        SSLEngine server = contexts.server(Impl.NATIVE, false, null, 0);
        ByteBuffer src = ByteBuffer.wrap(Tls.unhex(hex));
        SSLException x = assertThrows(SSLException.class, () -> server.unwrap(src, ByteBuffer.allocate(64 * 1024)),
            hex);
        assertEquals(type, x.getClass(), hex + ": " + x);
        assertTrue(says == null || x.getMessage().contains(says), hex + ": " + x.getMessage());
        assertEquals(0, src.position());
        byte[] alert = wrapAll(server);
        assertEquals(7, alert.length, hex + ": a plaintext alert, got " + Tls.hex(alert));
        new UnwrapDriver().close(server);
    }

    private static void assertUnderflow(String hex) throws Exception {
        SSLEngine server = contexts.server(Impl.NATIVE, false, null, 0);
        ByteBuffer src = ByteBuffer.wrap(Tls.unhex(hex));
        SSLEngineResult r = server.unwrap(src, ByteBuffer.allocate(64 * 1024));
        assertEquals(Status.BUFFER_UNDERFLOW, r.getStatus(), hex);
        assertEquals(0, r.bytesConsumed(), hex);
        new UnwrapDriver().close(server);
    }

    /** Lengths a state allows are not refused: the record is awaited (BUFFER_UNDERFLOW). */
    @Test
    void lengthsWithinTheLimitWait() throws Exception {
        for (State state : new State[] {State.TLS12_CLIENT, State.TLS12_SERVER, State.TLS13_CLIENT}) {
            int[] lengths = state.tls13 ? new int[] {HostileHeaders.TLS13_OVER - 1}
                : new int[] {HostileHeaders.TLS13_OVER, Tls.MAX_BODY};
            for (int length : lengths) {
                Subject s = HostileHeaders.create(contexts, state, Impl.NATIVE);
                ByteBuffer src = ByteBuffer.wrap(new Header(Problem.LENGTH, Tls.APPLICATION_DATA, 3, 3, length)
                    .withBody(100));
                SSLEngineResult r = s.engine.unwrap(src, ByteBuffer.allocate(64 * 1024));
                assertEquals(Status.BUFFER_UNDERFLOW, r.getStatus(), state + " length " + length);
                new UnwrapDriver().close(s.engine);
                closePeer(s);
            }
        }
    }

    // ---- sockets ------------------------------------------------------------------------------

    /** A plaintext HTTP request to a NativeTLS server socket: refused at once, the alert on the wire. */
    @Test
    void aServerSocketAnswersPlaintextWithAnAlert() throws Exception {
        SSLServerSocket listener = (SSLServerSocket) contexts.nativeServerEc.getServerSocketFactory()
            .createServerSocket(0, 1, InetAddress.getLoopbackAddress());
        try (listener) {
            Future<Exception> server = EXECUTOR.submit(() -> {
                try (SSLSocket s = (SSLSocket) listener.accept()) {
                    s.setSoTimeout(10_000);
                    s.startHandshake();
                    return null;
                } catch (Exception x) {
                    return x;
                }
            });
            try (Socket plain = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
                plain.setSoTimeout(10_000);
                plain.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                byte[] got = plain.getInputStream().readAllBytes();
                assertArrayEquals(new byte[] {21, 3, 3, 0, 2, 2, 10}, got, "unexpected_message, then the end");
            }
            Exception x = server.get(10, TimeUnit.SECONDS);
            assertInstanceOf(SSLHandshakeException.class, x);
            assertTrue(x.getMessage().contains("plaintext connection?"), x.getMessage());
        }
    }

    /**
     * An established NativeTLS client socket, over TLS 1.2 and 1.3, reading a bad header from a
     * SunJSSE server: its read fails with SSLProtocolException, and the server reads the alert.
     */
    @Test
    void anEstablishedSocketRefusesAndTellsThePeer() throws Exception {
        for (String protocol : new String[] {"TLSv1.2", "TLSv1.3"}) {
            for (Header header : List.of(new Header(Problem.TYPE, 99, 3, 3, 16),
                new Header(Problem.VERSION, 23, 4, 3, 16), new Header(Problem.LENGTH, 23, 3, 3, 0xffff))) {
                socketCase(protocol, header);
            }
        }
    }

    private void socketCase(String protocol, Header header) throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            SSLEngine peer = contexts.server(Impl.SUN, false, protocol, 0);
            Future<String> server = EXECUTOR.submit(() -> {
                try (Socket raw = listener.accept()) {
                    raw.setSoTimeout(10_000);
                    EngineOverSocket io = new EngineOverSocket(peer, raw);
                    io.handshake();
                    io.out.write(header.withBody(16));
                    io.out.flush();
                    return io.readUntilFailure();
                }
            });
            try (SSLSocket client = (SSLSocket) contexts.nativeClient.getSocketFactory()
                .createSocket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
                client.setSoTimeout(10_000);
                client.setEnabledProtocols(new String[] {protocol});
                client.startHandshake();
                IOException x = assertThrows(IOException.class, () -> client.getInputStream().read());
                assertInstanceOf(SSLProtocolException.class, x, protocol + " " + header);
            }
            String said = server.get(10, TimeUnit.SECONDS).toLowerCase(Locale.ROOT).replace(' ', '_');
            String alert = header.problem == Problem.TYPE && protocol.equals("TLSv1.2") ? "bad_record_mac"
                : header.problem.alert;
            assertTrue(said.contains(alert), protocol + " " + header + ": the SunJSSE server read: " + said);
        }
    }

    /** A blocking SSLEngine over a socket: enough for a handshake and reading the peer's alert. */
    private static final class EngineOverSocket {
        final SSLEngine engine;
        final InputStream in;
        final OutputStream out;
        ByteBuffer netIn = ByteBuffer.allocate(64 * 1024);
        final ByteBuffer netOut = ByteBuffer.allocate(64 * 1024);
        final ByteBuffer app = ByteBuffer.allocate(64 * 1024);

        EngineOverSocket(SSLEngine engine, Socket s) throws IOException {
            this.engine = engine;
            this.in = s.getInputStream();
            this.out = s.getOutputStream();
        }

        void handshake() throws IOException {
            engine.beginHandshake();
            for (int i = 0; i < 200; i++) {
                HandshakeStatus hs = engine.getHandshakeStatus();
                if (hs == HandshakeStatus.NEED_WRAP) {
                    netOut.clear();
                    engine.wrap(ByteBuffer.allocate(0), netOut);
                    out.write(netOut.array(), 0, netOut.position());
                    out.flush();
                } else if (hs == HandshakeStatus.NEED_TASK) {
                    Conversation.runTasks(engine);
                } else if (hs == HandshakeStatus.NEED_UNWRAP || hs == HandshakeStatus.NEED_UNWRAP_AGAIN) {
                    unwrapOnce();
                } else {
                    return;
                }
            }
            throw new IOException("handshake did not finish");
        }

        /** Unwraps one record (reading as needed); its result. */
        SSLEngineResult unwrapOnce() throws IOException {
            for (int i = 0; i < 1000; i++) {
                netIn.flip();
                SSLEngineResult r = engine.unwrap(netIn, app);
                netIn.compact();
                app.clear();
                if (r.getStatus() != Status.BUFFER_UNDERFLOW) {
                    return r;
                }
                int n = in.read(netIn.array(), netIn.position(), netIn.remaining());
                if (n < 0) {
                    throw new IOException("the end of the stream before a whole record");
                }
                netIn.position(netIn.position() + n);
            }
            throw new IOException("no record");
        }

        /** Reads until the engine fails; the exception's message. */
        String readUntilFailure() throws IOException {
            for (int i = 0; i < 100; i++) {
                try {
                    SSLEngineResult r = unwrapOnce();
                    if (r.getStatus() == Status.CLOSED) {
                        return "closed without an alert";
                    }
                } catch (SSLException x) {
                    return x.getMessage();
                }
            }
            return "no alert";
        }
    }
}
