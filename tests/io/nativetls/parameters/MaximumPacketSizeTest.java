package io.nativetls.parameters;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.install.ForkedJvm;
import io.nativetls.testing.ChildProcess;
import io.nativetls.testing.Closer;
import io.nativetls.testing.Contexts;
import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.RecordProxy;
import io.nativetls.testing.Tags;
import java.io.DataInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SSLParameters' maximum packet size, with SunJSSE in the same JVM as the oracle: what engines,
 * sockets, server sockets and contexts report by default and after a set; that the records a
 * side writes (handshake and application data, TLS 1.3 and 1.2, both providers as either peer)
 * stay within the size, filled as SunJSSE fills them, with the data intact and every record
 * within the receiver's packet buffer size; the socket path; and the max_fragment_length
 * extension a client sends (only with jsse.enableMFLNExtension, as SunJSSE).
 *
 * <p>OpenSSL fragments handshake messages at 512 bytes of plaintext at the least, so below a
 * packet size of 597 (512 and SunJSSE's worst-case record overhead) NativeTLS's handshake
 * records may be larger than the size; its application data records still fit.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MaximumPacketSizeTest {
    private static final String KEY = "server-rsa"; // a Certificate message over 512 bytes: it is fragmented
    private static final int DATA = 64 * 1024;
    /** The smallest size at which OpenSSL can keep handshake records within it (512 + 85 of overhead). */
    private static final int HANDSHAKE_FLOOR = 597;

    @RegisterExtension
    final Closer cleanup = new Closer();

    // ---- what is reported ----------------------------------------------------------------------

    /** "engine server, engine client, socket, server socket, context default, context supported". */
    private static int[] defaults(Impl impl) throws IOException {
        SSLContext context = Contexts.server(impl, KEY);
        SSLEngine server = context.createSSLEngine();
        SSLEngine client = context.createSSLEngine();
        client.setUseClientMode(true);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket();
             SSLServerSocket serverSocket = (SSLServerSocket) context.getServerSocketFactory().createServerSocket()) {
            return new int[] {
                server.getSSLParameters().getMaximumPacketSize(),
                client.getSSLParameters().getMaximumPacketSize(),
                socket.getSSLParameters().getMaximumPacketSize(),
                serverSocket.getSSLParameters().getMaximumPacketSize(),
                context.getDefaultSSLParameters().getMaximumPacketSize(),
                context.getSupportedSSLParameters().getMaximumPacketSize(),
            };
        }
    }

    @Test
    void defaultsAreSunJssesDefaults() throws IOException {
        int[] sun = defaults(Impl.SUN);
        assertArrayEquals(sun, defaults(Impl.NATIVE), "engine server, engine client, socket, server socket,"
            + " context default, context supported (SunJSSE: " + java.util.Arrays.toString(sun) + ")");
    }

    /** What getSSLParameters reports after setMaximumPacketSize(size), then after a set of 0. */
    private static int[] afterSet(Impl impl, int size) throws IOException {
        SSLContext context = Contexts.server(impl, KEY);
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(true);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket();
             SSLServerSocket serverSocket = (SSLServerSocket) context.getServerSocketFactory().createServerSocket()) {
            int[] got = new int[6];
            got[0] = setAndGet(engine::getSSLParameters, engine::setSSLParameters, size);
            got[1] = setAndGet(socket::getSSLParameters, socket::setSSLParameters, size);
            got[2] = setAndGet(serverSocket::getSSLParameters, serverSocket::setSSLParameters, size);
            got[3] = setAndGet(engine::getSSLParameters, engine::setSSLParameters, 0);
            got[4] = setAndGet(socket::getSSLParameters, socket::setSSLParameters, 0);
            got[5] = engine.getSession().getPacketBufferSize();
            return got;
        }
    }

    private static int setAndGet(java.util.function.Supplier<SSLParameters> get,
                                 java.util.function.Consumer<SSLParameters> set, int size) {
        SSLParameters p = get.get();
        p.setMaximumPacketSize(size);
        set.accept(p);
        return get.get().getMaximumPacketSize();
    }

    @ParameterizedTest(name = "setMaximumPacketSize({0})")
    @ValueSource(ints = {0, 100, 512, 1000, 4096, 16709, 100_000})
    void gettersReturnWhatWasSet(int size) throws IOException {
        int[] sun = afterSet(Impl.SUN, size);
        int[] nativeTls = afterSet(Impl.NATIVE, size);
        for (int i = 0; i < 5; i++) {
            assertEquals(sun[i], nativeTls[i], "value " + i + " (engine, socket, server socket, engine then 0,"
                + " socket then 0)");
        }
        assertEquals(size, nativeTls[0]);
        // The size limits what this side writes; what the peer may send is still a full record.
        assertTrue(nativeTls[5] >= sun[5], "packet buffer size " + nativeTls[5] + " at least SunJSSE's " + sun[5]);
    }

    // ---- records on the wire, engines ----------------------------------------------------------

    /** Every record one engine wrote, by content type, and the application data the other got. */
    private static final class Side {
        final SSLEngine engine;
        final Impl impl;
        final List<int[]> records = new ArrayList<>(); // {type, length with header}
        ByteBuffer wire = ByteBuffer.allocate(1 << 20); // written by this side, not yet read by the peer
        final ByteBuffer received = ByteBuffer.allocate(2 * DATA);

        Side(Impl impl, SSLEngine engine) {
            this.impl = impl;
            this.engine = engine;
        }

        int largest(int type) {
            int max = 0;
            for (int[] r : records) {
                if (r[0] == type) {
                    max = Math.max(max, r[1]);
                }
            }
            return max;
        }

        /** Wraps src (may be empty) once, noting the records produced. */
        SSLEngineResult wrap(ByteBuffer src) throws IOException {
            int before = wire.position();
            SSLEngineResult r = engine.wrap(src, wire);
            for (int at = before; at < wire.position(); ) {
                int length = 5 + (((wire.get(at + 3) & 0xff) << 8) | (wire.get(at + 4) & 0xff));
                records.add(new int[] {wire.get(at) & 0xff, length});
                at += length;
            }
            assertEquals(wire.position(), before + r.bytesProduced());
            return r;
        }

        void runTasks() {
            Runnable task;
            while ((task = engine.getDelegatedTask()) != null) {
                task.run();
            }
        }
    }

    /**
     * Unwraps what from wrote into to's received data, one whole record per unwrap, each in a buffer
     * of to's packet buffer size. A record the receiver does not take yet (it has to wrap first)
     * waits in from's wire for the next delivery.
     */
    private static void deliver(Side from, Side to) throws IOException {
        from.wire.flip();
        try {
            while (from.wire.remaining() >= 5) {
                int at = from.wire.position();
                int length = 5 + (((from.wire.get(at + 3) & 0xff) << 8) | (from.wire.get(at + 4) & 0xff));
                int packet = to.engine.getSession().getPacketBufferSize();
                assertTrue(length <= packet, to.impl + " packet buffer size " + packet + " smaller than a record of "
                    + length);
                ByteBuffer record = ByteBuffer.allocate(packet);
                record.put(from.wire.array(), at, length).flip();
                SSLEngineResult r = to.engine.unwrap(record, to.received);
                assertEquals(SSLEngineResult.Status.OK, r.getStatus(), to.impl + " unwrap");
                if (r.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                    to.runTasks();
                }
                if (r.bytesConsumed() == 0) {
                    return;
                }
                assertEquals(length, r.bytesConsumed(), to.impl + " takes one whole record");
                from.wire.position(at + length);
            }
        } finally {
            from.wire.compact();
        }
    }

    /** Lets each side wrap what it has to (post-handshake messages) and delivers, until the wires are empty. */
    private static void settle(Side a, Side b) throws IOException {
        for (int i = 0; i < 20; i++) {
            for (Side s : new Side[] {a, b}) {
                while (s.engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                    s.wrap(ByteBuffer.allocate(0));
                }
            }
            deliver(a, b);
            deliver(b, a);
            if (a.wire.position() == 0 && b.wire.position() == 0
                && a.engine.getHandshakeStatus() != HandshakeStatus.NEED_WRAP
                && b.engine.getHandshakeStatus() != HandshakeStatus.NEED_WRAP) {
                return;
            }
        }
        throw new AssertionError("records left undelivered");
    }

    private static boolean handshaking(SSLEngine e) {
        HandshakeStatus s = e.getHandshakeStatus();
        return s != HandshakeStatus.NOT_HANDSHAKING && s != HandshakeStatus.FINISHED;
    }

    private static void handshake(Side client, Side server) throws IOException {
        client.engine.beginHandshake();
        server.engine.beginHandshake();
        for (int round = 0; round < 100; round++) {
            for (Side s : new Side[] {client, server}) {
                for (int i = 0; i < 20 && s.engine.getHandshakeStatus() != HandshakeStatus.NOT_HANDSHAKING; i++) {
                    HandshakeStatus hs = s.engine.getHandshakeStatus();
                    if (hs == HandshakeStatus.NEED_TASK) {
                        s.runTasks();
                    } else if (hs == HandshakeStatus.NEED_WRAP) {
                        s.wrap(ByteBuffer.allocate(0));
                    } else {
                        break;
                    }
                }
            }
            deliver(client, server);
            deliver(server, client);
            if (!handshaking(client.engine) && !handshaking(server.engine) && client.wire.position() == 0
                && server.wire.position() == 0) {
                return;
            }
        }
        throw new AssertionError("handshake did not finish: client " + client.engine.getHandshakeStatus()
            + ", server " + server.engine.getHandshakeStatus() + "; client wrote " + describe(client)
            + "; server wrote " + describe(server));
    }

    private static String describe(Side s) {
        StringBuilder b = new StringBuilder();
        for (int[] r : s.records) {
            b.append(r[0]).append(':').append(r[1]).append(' ');
        }
        return b.toString();
    }

    /** 64 KiB each way after the handshake; each side's data must arrive intact. */
    private static void exchange(Side client, Side server) throws IOException {
        for (Side s : new Side[] {client, server}) {
            Side peer = s == client ? server : client;
            byte[] data = new byte[DATA];
            new Random(s == client ? 1 : 2).nextBytes(data);
            ByteBuffer src = ByteBuffer.wrap(data);
            for (int i = 0; src.hasRemaining() && i < 10_000; i++) {
                SSLEngineResult r = s.wrap(src);
                assertEquals(SSLEngineResult.Status.OK, r.getStatus(), s.impl + " wrap");
                settle(s, peer);
            }
            peer.received.flip();
            byte[] got = new byte[peer.received.remaining()];
            peer.received.get(got);
            peer.received.clear();
            assertArrayEquals(data, got, "application data from " + s.impl + " arrives intact");
        }
    }

    private static Side side(Impl impl, boolean client, String protocol, int size) {
        SSLEngine e = client ? Contexts.client(impl).createSSLEngine("localhost", 443)
            : Contexts.server(impl, KEY).createSSLEngine();
        e.setUseClientMode(client);
        SSLParameters p = e.getSSLParameters();
        p.setProtocols(new String[] {protocol});
        if (size >= 0) {
            p.setMaximumPacketSize(size);
        }
        e.setSSLParameters(p);
        return new Side(impl, e);
    }

    static Stream<Arguments> pairings() {
        List<Arguments> list = new ArrayList<>();
        for (String protocol : new String[] {"TLSv1.3", "TLSv1.2"}) {
            for (int size : new int[] {600, 1000, 4096}) {
                for (Impl[] pair : new Impl[][] {{Impl.NATIVE, Impl.NATIVE}, {Impl.NATIVE, Impl.SUN},
                    {Impl.SUN, Impl.NATIVE}, {Impl.SUN, Impl.SUN}}) {
                    list.add(Arguments.of(protocol, size, pair[0], pair[1]));
                }
            }
        }
        return list.stream();
    }

    @ParameterizedTest(name = "{0}, size {1}, {2} client, {3} server")
    @MethodSource("pairings")
    void recordsStayWithinTheSize(String protocol, int size, Impl clientImpl, Impl serverImpl) throws IOException {
        Side client = side(clientImpl, true, protocol, size);
        Side server = side(serverImpl, false, protocol, size);
        handshake(client, server);
        exchange(client, server);
        for (Side s : new Side[] {client, server}) {
            for (int[] r : s.records) {
                assertTrue(r[1] <= size, s.impl + " wrote a record of " + r[1] + " bytes (type " + r[0]
                    + ") over the maximum packet size " + size);
            }
            // Filled to the size, as SunJSSE fills its records (every suite here is AEAD).
            assertEquals(size, s.largest(RecordProxy.APPLICATION_DATA), s.impl + "'s largest application record");
        }
        assertTrue(server.largest(RecordProxy.HANDSHAKE) > 0 || "TLSv1.3".equals(protocol), "handshake records seen");
    }

    static Stream<Arguments> suites() {
        List<Arguments> list = new ArrayList<>();
        String[][] suites = {
            {"TLSv1.3", "TLS_AES_128_GCM_SHA256"}, {"TLSv1.3", "TLS_CHACHA20_POLY1305_SHA256"},
            {"TLSv1.2", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"},
            {"TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"},
            {"TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"},
            {"TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384"},
        };
        for (String[] suite : suites) {
            for (int size : new int[] {600, 1000}) {
                for (Impl[] pair : new Impl[][] {{Impl.NATIVE, Impl.SUN}, {Impl.SUN, Impl.NATIVE}}) {
                    list.add(Arguments.of(suite[0], suite[1], size, pair[0], pair[1]));
                }
            }
        }
        return list.stream();
    }

    /**
     * Each suite's own overhead: AEAD records are filled to the size (ChaCha20 has no explicit
     * nonce), CBC records (IV, MAC, padding) stay within it, a block or so short of it.
     */
    @ParameterizedTest(name = "{1}, size {2}, {3} client, {4} server")
    @MethodSource("suites")
    void everySuiteStaysWithinTheSize(String protocol, String suite, int size, Impl clientImpl, Impl serverImpl)
        throws IOException {
        Side client = side(clientImpl, true, protocol, size);
        Side server = side(serverImpl, false, protocol, size);
        for (Side s : new Side[] {client, server}) {
            s.engine.setEnabledCipherSuites(new String[] {suite});
        }
        handshake(client, server);
        assertEquals(suite, client.engine.getSession().getCipherSuite());
        exchange(client, server);
        for (Side s : new Side[] {client, server}) {
            for (int[] r : s.records) {
                assertTrue(r[1] <= size, s.impl + " wrote a record of " + r[1] + " bytes (type " + r[0] + ")");
            }
            int largest = s.largest(RecordProxy.APPLICATION_DATA);
            if (suite.contains("CBC")) {
                assertTrue(largest > size - 64, s.impl + "'s largest application record " + largest);
            } else {
                assertEquals(size, largest, s.impl + "'s largest application record");
            }
        }
    }

    /** For contrast: without a size, records are full (2^14 of plaintext). */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void withoutASizeRecordsAreFull(String protocol) throws IOException {
        Side client = side(Impl.NATIVE, true, protocol, -1);
        Side server = side(Impl.SUN, false, protocol, -1);
        handshake(client, server);
        exchange(client, server);
        for (Side s : new Side[] {client, server}) {
            assertTrue(s.largest(RecordProxy.APPLICATION_DATA) > 16384, s.impl + " writes full records: "
                + s.largest(RecordProxy.APPLICATION_DATA));
        }
    }

    /**
     * Below 597 bytes OpenSSL cannot cut the handshake that fine; the application data still fits
     * (cut into records of the size, as SunJSSE's), and handshake records keep to 512 bytes of plaintext.
     */
    @ParameterizedTest(name = "{0}, size {1}")
    @MethodSource("smallSizes")
    void smallSizesStillBoundApplicationData(String protocol, int size) throws IOException {
        Side client = side(Impl.NATIVE, true, protocol, size);
        Side server = side(Impl.NATIVE, false, protocol, size);
        handshake(client, server);
        // TLS 1.3's encrypted handshake records look like application data: judged apart, before the data.
        for (Side s : new Side[] {client, server}) {
            for (int[] r : s.records) {
                assertTrue(r[1] <= HANDSHAKE_FLOOR, "handshake record of " + r[1] + " bytes (type " + r[0] + ")");
            }
            s.records.clear();
        }
        exchange(client, server);
        for (Side s : new Side[] {client, server}) {
            for (int[] r : s.records) {
                assertTrue(r[1] <= size, "record of " + r[1] + " bytes (type " + r[0] + ") after the handshake");
            }
            assertEquals(size, s.largest(RecordProxy.APPLICATION_DATA), "largest application record");
        }
    }

    static Stream<Arguments> smallSizes() {
        List<Arguments> list = new ArrayList<>();
        for (String protocol : new String[] {"TLSv1.3", "TLSv1.2"}) {
            for (int size : new int[] {100, 256, 512}) {
                list.add(Arguments.of(protocol, size));
            }
        }
        return list.stream();
    }

    /** As SunJSSE's, a size set on an established engine applies to the next records. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void aSizeSetAfterTheHandshakeAppliesAtOnce(String protocol) throws IOException {
        int[] largest = new int[2];
        for (Impl impl : Impl.values()) {
            Side client = side(impl, true, protocol, -1);
            Side server = side(Impl.SUN, false, protocol, -1);
            handshake(client, server);
            SSLParameters p = client.engine.getSSLParameters();
            p.setMaximumPacketSize(1000);
            client.engine.setSSLParameters(p);
            client.records.clear();
            exchange(client, server);
            largest[impl.ordinal()] = client.largest(RecordProxy.APPLICATION_DATA);
        }
        assertEquals(1000, largest[Impl.SUN.ordinal()], "SunJSSE");
        assertEquals(1000, largest[Impl.NATIVE.ordinal()], "NativeTLS");
    }

    // ---- max_fragment_length -------------------------------------------------------------------

    /** The max_fragment_length code in a ClientHello record (0: none). */
    static int maxFragmentLength(ByteBuffer hello) {
        int at = 5 + 4 + 2 + 32; // record header, handshake header, version, random
        at += 1 + (hello.get(at) & 0xff); // session id
        at += 2 + (((hello.get(at) & 0xff) << 8) | (hello.get(at + 1) & 0xff)); // cipher suites
        at += 1 + (hello.get(at) & 0xff); // compression methods
        int end = at + 2 + (((hello.get(at) & 0xff) << 8) | (hello.get(at + 1) & 0xff));
        at += 2;
        while (at + 4 <= end) {
            int type = ((hello.get(at) & 0xff) << 8) | (hello.get(at + 1) & 0xff);
            int length = ((hello.get(at + 2) & 0xff) << 8) | (hello.get(at + 3) & 0xff);
            if (type == 1) {
                return hello.get(at + 4) & 0xff;
            }
            at += 4 + length;
        }
        return 0;
    }

    static int clientHelloMaxFragmentLength(Impl impl, int size) throws IOException {
        SSLContext context = impl.context("TLS");
        try {
            context.init(null, null, null);
        } catch (java.security.KeyManagementException e) {
            throw new IllegalStateException(e);
        }
        SSLEngine engine = context.createSSLEngine("localhost", 443);
        engine.setUseClientMode(true);
        SSLParameters p = engine.getSSLParameters();
        p.setMaximumPacketSize(size);
        engine.setSSLParameters(p);
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        return maxFragmentLength(out);
    }

    /** Prints "MFL impl size code" for each provider and size (run with and without the property). */
    public static final class Probe {
        public static void main(String[] args) throws Exception {
            for (Impl impl : Impl.values()) {
                for (int size : new int[] {0, 600, 1000, 1348, 1349, 2000, 4096, 4421, 4422, 16709}) {
                    System.out.println("MFL " + impl + " " + size + " " + clientHelloMaxFragmentLength(impl, size));
                }
            }
        }
    }

    @Test
    void noMaxFragmentLengthWithoutTheProperty() throws IOException {
        assertEquals(0, clientHelloMaxFragmentLength(Impl.SUN, 1000), "SunJSSE");
        assertEquals(0, clientHelloMaxFragmentLength(Impl.NATIVE, 1000), "NativeTLS");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"none", "-Djsse.enableMFLNExtension=true", "-Djsse.enableMFLExtension=true",
        "-Djsse.enableMFLNExtension=true -Djdk.tls.client.disableExtensions=max_fragment_length"})
    @Tag(Tags.JVM)
    void maxFragmentLengthAsSunJsseSendsIt(String property) throws Exception {
        List<String> args = new ArrayList<>();
        args.add("-cp");
        args.add(ForkedJvm.providerClasses() + File.pathSeparator + ForkedJvm.testClasses());
        boolean enabled = !property.equals("none") && !property.contains("disableExtensions");
        if (!property.equals("none")) {
            args.addAll(List.of(property.split(" ")));
        }
        args.add(Probe.class.getName());
        String out = ForkedJvm.run(args);
        List<String> sun = ForkedJvm.lines(out, "MFL SUN");
        List<String> nativeTls = ForkedJvm.lines(out, "MFL NATIVE");
        assertEquals(10, sun.size(), out);
        assertEquals(sun, nativeTls, out);
        assertEquals(enabled, sun.stream().anyMatch(l -> !l.endsWith(" 0")),
            "SunJSSE sends the extension only with the property, unless disabled: " + out);
    }

    // ---- sockets -------------------------------------------------------------------------------

    static Stream<Arguments> socketPairings() {
        List<Arguments> list = new ArrayList<>();
        for (String protocol : new String[] {"TLSv1.3", "TLSv1.2"}) {
            for (Impl[] pair : new Impl[][] {{Impl.NATIVE, Impl.NATIVE}, {Impl.NATIVE, Impl.SUN},
                {Impl.SUN, Impl.NATIVE}}) {
                list.add(Arguments.of(protocol, pair[0], pair[1]));
            }
        }
        return list.stream();
    }

    /**
     * SSLSocket and the accepted socket, each told 1000 bytes (the accepted one by setSSLParameters:
     * SunJSSE's accepted sockets report a size set on the server socket but write full records),
     * through a proxy that measures the records: within the size both ways, data intact.
     */
    @ParameterizedTest(name = "{0}, {1} client socket, {2} server socket")
    @MethodSource("socketPairings")
    void socketsKeepToTheSize(String protocol, Impl clientImpl, Impl serverImpl) throws Exception {
        int size = 1000;
        SSLServerSocket listener = cleanup.later((SSLServerSocket) Contexts.server(serverImpl, KEY)
            .getServerSocketFactory().createServerSocket(0, 1, InetAddress.getByName(ChildProcess.LOOPBACK)));
        listener.setSoTimeout(20_000);
        RecordProxy proxy = cleanup.later(new RecordProxy(listener.getLocalPort()));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        cleanup.later(pool::shutdownNow);
        byte[] toServer = new byte[DATA];
        byte[] toClient = new byte[DATA];
        new Random(3).nextBytes(toServer);
        new Random(4).nextBytes(toClient);
        Future<byte[]> served = pool.submit(() -> {
            try (SSLSocket s = (SSLSocket) listener.accept()) {
                s.setSoTimeout(20_000);
                limit(s, protocol, size);
                byte[] got = new byte[DATA];
                new DataInputStream(s.getInputStream()).readFully(got);
                s.getOutputStream().write(toClient);
                s.getOutputStream().flush();
                return got;
            }
        });
        try (SSLSocket s = (SSLSocket) Contexts.client(clientImpl).getSocketFactory()
            .createSocket(ChildProcess.LOOPBACK, proxy.port())) {
            s.setSoTimeout(20_000);
            limit(s, protocol, size);
            OutputStream out = s.getOutputStream();
            out.write(toServer);
            out.flush();
            byte[] got = new byte[DATA];
            InputStream in = s.getInputStream();
            new DataInputStream(in).readFully(got);
            assertArrayEquals(toClient, got, "data from the server socket");
        }
        // After the client's close: SunJSSE's TLS 1.3 server socket waits for its close_notify when closing.
        assertArrayEquals(toServer, served.get(20, TimeUnit.SECONDS), "data from the client socket");
        assertTrue(proxy.toServer.largest() <= size && proxy.toClient.largest() <= size,
            "to server: " + proxy.toServer + "; to client: " + proxy.toClient);
        assertEquals(size, proxy.toServer.largest(RecordProxy.APPLICATION_DATA), "client records: " + proxy.toServer);
        assertEquals(size, proxy.toClient.largest(RecordProxy.APPLICATION_DATA), "server records: " + proxy.toClient);
    }

    private static void limit(SSLSocket s, String protocol, int size) {
        SSLParameters p = s.getSSLParameters();
        p.setProtocols(new String[] {protocol});
        p.setMaximumPacketSize(size);
        s.setSSLParameters(p);
    }

    /** A size set on a NativeTLS server socket reaches the sockets it accepts, reported and kept to. */
    @Test
    void serverSocketSizeReachesAcceptedSockets() throws Exception {
        int size = 1000;
        SSLServerSocket listener = cleanup.later((SSLServerSocket) Contexts.server(Impl.NATIVE, KEY)
            .getServerSocketFactory().createServerSocket(0, 1, InetAddress.getByName(ChildProcess.LOOPBACK)));
        listener.setSoTimeout(20_000);
        SSLParameters p = listener.getSSLParameters();
        p.setMaximumPacketSize(size);
        listener.setSSLParameters(p);
        RecordProxy proxy = cleanup.later(new RecordProxy(listener.getLocalPort()));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        cleanup.later(pool::shutdownNow);
        byte[] toClient = new byte[DATA];
        new Random(5).nextBytes(toClient);
        Future<Integer> served = pool.submit(() -> {
            try (SSLSocket s = (SSLSocket) listener.accept()) {
                s.setSoTimeout(20_000);
                s.getOutputStream().write(toClient);
                s.getOutputStream().flush();
                int reported = s.getSSLParameters().getMaximumPacketSize();
                s.getInputStream().read(); // waits for the client's close
                return reported;
            }
        });
        try (SSLSocket s = (SSLSocket) Contexts.client(Impl.SUN).getSocketFactory()
            .createSocket(ChildProcess.LOOPBACK, proxy.port())) {
            s.setSoTimeout(20_000);
            byte[] got = new byte[DATA];
            new DataInputStream(s.getInputStream()).readFully(got);
            assertArrayEquals(toClient, got);
        }
        assertEquals(size, served.get(20, TimeUnit.SECONDS), "the accepted socket reports the server socket's size");
        assertEquals(size, proxy.toClient.largest(), "server records: " + proxy.toClient);
    }
}
