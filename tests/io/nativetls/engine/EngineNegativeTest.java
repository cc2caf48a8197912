package io.nativetls.engine;

import static io.nativetls.engine.EngineSupport.EMPTY;
import static io.nativetls.testing.Causes.chain;
import static io.nativetls.testing.Causes.chainContainsInstance;
import static io.nativetls.testing.Causes.describe;
import static io.nativetls.engine.EngineSupport.isNative;
import static io.nativetls.engine.EngineSupport.random;
import static io.nativetls.engine.EngineSupport.unwrapAll;
import static io.nativetls.engine.EngineSupport.wrapAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.nativetls.testing.Matrix;
import io.nativetls.testing.RawPrivateKey;
import io.nativetls.testing.Causes;
import io.nativetls.testing.EnginePair;
import io.nativetls.testing.Contexts;
import io.nativetls.testing.DelegatingKeyManager;
import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.TestPki;
import java.nio.ByteBuffer;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.X509ExtendedKeyManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Failures: untrusted or refused certificates, nothing in common, garbage and forged records,
 * bad configuration names, keys that cannot be exported. A NativeTLS engine must fail with an
 * SSLException (never another exception type, never a hang), then send its alert and close.
 */
class EngineNegativeTest {
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    private static final Impl[][] ROLES = {{Impl.NATIVE, Impl.NATIVE}, {Impl.NATIVE, Impl.SUN}, {Impl.SUN, Impl.NATIVE}};

    static Stream<Arguments> serversAndProtocols() {
        return Matrix.of(Impl.values(), PROTOCOLS);
    }

    /** Both sides must have given up; NativeTLS sides must be closed in both directions. */
    private static void assertBothFailed(EnginePair d) throws SSLException {
        for (EnginePair.Side side : new EnginePair.Side[] {d.client, d.server}) {
            String who = (side == d.client ? "client" : "server") + (isNative(side.engine) ? " (NativeTLS)"
                : " (SunJSSE)");
            assertNotNull(side.failure, who + " did not fail");
            if (isNative(side.engine)) {
                assertTrue(side.engine.isInboundDone(), who + ": isInboundDone after the failure");
                assertTrue(side.engine.isOutboundDone(), who + ": isOutboundDone after the alert was sent");
                SSLEngineResult r = side.engine.wrap(ByteBuffer.wrap(new byte[10]),
                    ByteBuffer.allocate(side.engine.getSession().getPacketBufferSize()));
                assertEquals(Status.CLOSED, r.getStatus(), who + ": wrap after the failure");
                assertEquals(0, r.bytesConsumed() + r.bytesProduced(), who + ": wrap after the failure moved bytes");
                assertFalse(side.engine.getSession().isValid(), who + ": session valid after the failure");
            }
        }
    }

    @ParameterizedTest(name = "NativeTLS client, {0} server, {1}")
    @MethodSource("serversAndProtocols")
    void untrustedServerFailsWithTheTrustManagersException(Impl server, String protocol) throws Exception {
        EngineSupport.RecordingTrustManager tm = new EngineSupport.RecordingTrustManager(false);
        SSLEngine c = EngineSupport.clientOf(Contexts.create(Impl.NATIVE, "TLS", null, tm.asArray()), protocol);
        SSLEngine s = EngineSupport.serverOf(Contexts.create(server, "TLS", TestPki.get().keyManagers("rogue"),
            TestPki.get().trustManagers()));
        EnginePair d = new EnginePair(c, s);
        assertFalse(d.settle(SSLException.class), "handshake with an untrusted server succeeded");
        assertInstanceOf(SSLHandshakeException.class, d.client.failure, "client failure " + d.client.failure);
        assertNotNull(tm.thrown, "the trust manager did not refuse the rogue certificate");
        assertTrue(chainContainsInstance(d.client.failure, tm.thrown),
            "the trust manager's exception is not in the cause chain: " + describe(d.client.failure));
        assertBothFailed(d);
    }

    @ParameterizedTest(name = "NativeTLS client, {0} server, {1}")
    @MethodSource("serversAndProtocols")
    void refusingTrustManagersExceptionIsTheCause(Impl server, String protocol) throws Exception {
        EngineSupport.RecordingTrustManager tm = new EngineSupport.RecordingTrustManager(true);
        SSLEngine c = EngineSupport.clientOf(Contexts.create(Impl.NATIVE, "TLS", null, tm.asArray()), protocol);
        SSLEngine s = EngineSupport.server(server, "server-ec");
        EnginePair d = new EnginePair(c, s);
        assertFalse(d.settle(SSLException.class), "handshake with a refusing trust manager succeeded");
        assertInstanceOf(SSLHandshakeException.class, d.client.failure, "client failure " + d.client.failure);
        assertEquals(1, tm.serverChecks, "checkServerTrusted calls");
        assertNotNull(tm.thrown);
        assertEquals("nope", tm.thrown.getMessage());
        assertTrue(chainContainsInstance(d.client.failure, tm.thrown),
            "CertificateException(\"nope\") is not in the cause chain: " + describe(d.client.failure));
        assertBothFailed(d);
    }

    static Stream<Arguments> roles() {
        List<Arguments> out = new ArrayList<>();
        for (Impl[] r : ROLES) {
            out.add(Arguments.of(r[0], r[1]));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} client (TLSv1.2 only), {1} server (TLSv1.3 only)")
    @MethodSource("roles")
    void noCommonProtocolFailsTheHandshake(Impl client, Impl server) throws Exception {
        SSLEngine c = EngineSupport.client(client, "TLSv1.2");
        SSLEngine s = EngineSupport.server(server, "server-ec", "TLSv1.3");
        EnginePair d = new EnginePair(c, s);
        assertFalse(d.settle(SSLException.class), "handshake without a common protocol succeeded");
        assertNativeSidesFailedHandshake(d);
        assertBothFailed(d);
    }

    private static void assertNativeSidesFailedHandshake(EnginePair d) {
        for (EnginePair.Side side : new EnginePair.Side[] {d.client, d.server}) {
            if (isNative(side.engine)) {
                assertInstanceOf(SSLHandshakeException.class, side.failure,
                    "NativeTLS " + (side == d.client ? "client" : "server") + " failure: " + side.failure);
            }
        }
    }

    static Stream<Arguments> rolesAndProtocols() {
        List<Arguments> out = new ArrayList<>();
        for (Impl[] r : ROLES) {
            for (String protocol : PROTOCOLS) {
                out.add(Arguments.of(r[0], r[1], protocol));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} client, {1} server, {2}")
    @MethodSource("rolesAndProtocols")
    void noCommonCipherSuiteFailsTheHandshake(Impl client, Impl server, String protocol) throws Exception {
        SSLEngine c = EngineSupport.client(client, protocol);
        SSLEngine s = EngineSupport.server(server, "server-ec", protocol);
        if (protocol.equals("TLSv1.3")) {
            c.setEnabledCipherSuites(new String[] {"TLS_AES_128_GCM_SHA256"});
            s.setEnabledCipherSuites(new String[] {"TLS_AES_256_GCM_SHA384"});
        } else {
            c.setEnabledCipherSuites(new String[] {"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"});
            s.setEnabledCipherSuites(new String[] {"TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"});
        }
        EnginePair d = new EnginePair(c, s);
        assertFalse(d.settle(SSLException.class), "handshake without a common cipher suite succeeded");
        assertNativeSidesFailedHandshake(d);
        assertBothFailed(d);
    }

    @Test
    void unknownProtocolOrSuiteNamesAreIllegalArguments() {
        SSLEngine e = EngineSupport.client(Impl.NATIVE);
        String[] protocols = e.getEnabledProtocols();
        String[] suites = e.getEnabledCipherSuites();
        assertThrows(IllegalArgumentException.class, () -> e.setEnabledProtocols(new String[] {"TLSv1.1x"}));
        assertThrows(IllegalArgumentException.class,
            () -> e.setEnabledProtocols(new String[] {"TLSv1.3", "TLSv1.1x"}));
        assertArrayEquals(protocols, e.getEnabledProtocols(), "enabled protocols changed by a refused call");
        assertThrows(IllegalArgumentException.class, () -> e.setEnabledCipherSuites(new String[] {"BOGUS"}));
        assertThrows(IllegalArgumentException.class,
            () -> e.setEnabledCipherSuites(new String[] {"TLS_AES_128_GCM_SHA256", "BOGUS"}));
        assertArrayEquals(suites, e.getEnabledCipherSuites(), "enabled suites changed by a refused call");
    }

    // ---- garbage on the wire ------------------------------------------------------------------

    /** Endless garbage in chunks, from a fixed seed. */
    private interface Garbage {
        /** The next chunk, or null when no more may be offered. */
        byte[] next();
    }

    private static Garbage randomBytes(long seed) {
        Random rnd = new Random(seed);
        return () -> {
            byte[] b = new byte[1 + rnd.nextInt(20_000)];
            rnd.nextBytes(b);
            return b;
        };
    }

    /** Records with plausible headers (types 20-23, versions 3.1/3.3) and random bodies. */
    private static Garbage recordShaped(long seed) {
        Random rnd = new Random(seed);
        return () -> {
            int records = 1 + rnd.nextInt(3);
            ByteBuffer out = ByteBuffer.allocate(records * (5 + 16_384));
            for (int i = 0; i < records; i++) {
                int length = rnd.nextInt(8) == 0 ? rnd.nextInt(3) : rnd.nextInt(16_385);
                out.put((byte) (20 + rnd.nextInt(4))).put((byte) 3).put((byte) (rnd.nextBoolean() ? 1 : 3));
                out.putShort((short) length);
                byte[] body = new byte[length];
                rnd.nextBytes(body);
                out.put(body);
            }
            return EngineSupport.written(out);
        };
    }

    /** Handshake records holding one well-framed handshake message of msgType with a random body. */
    private static Garbage handshakeShaped(long seed, int msgType) {
        Random rnd = new Random(seed);
        return () -> {
            byte[] body = new byte[rnd.nextInt(1500)];
            rnd.nextBytes(body);
            if (body.length >= 2 && rnd.nextBoolean()) {
                body[0] = 3; // legacy_version 3.3, so parsing goes on past it
                body[1] = 3;
            }
            ByteBuffer out = ByteBuffer.allocate(9 + body.length);
            out.put((byte) 22).put((byte) 3).put((byte) (rnd.nextBoolean() ? 1 : 3)).putShort((short) (4 + body.length));
            out.put((byte) msgType).put((byte) 0).putShort((short) body.length).put(body);
            return out.array();
        };
    }

    /** Only the given bytes: the engine must decide from them alone. */
    private static Garbage only(byte[] bytes) {
        boolean[] given = {false};
        return () -> {
            if (given[0]) {
                return null;
            }
            given[0] = true;
            return bytes;
        };
    }

    /**
     * Feeds garbage to e's unwrap until it throws; more garbage is offered whenever it underflows
     * or has read everything. Returns the SSLException; anything else fails the test.
     */
    private static SSLException feed(SSLEngine e, Garbage garbage, String what) {
        ByteBuffer in = ByteBuffer.wrap(garbage.next());
        ByteBuffer app = ByteBuffer.allocate(e.getSession().getApplicationBufferSize());
        ByteBuffer net = ByteBuffer.allocate(e.getSession().getPacketBufferSize());
        long fed = in.remaining();
        boolean needMore = false;
        for (int calls = 0; calls < 20_000; calls++) {
            if (needMore || !in.hasRemaining()) {
                byte[] more = garbage.next();
                if (more == null || fed > 400_000) {
                    fail(what + ": no SSLException after " + fed + " bytes of garbage; last status "
                        + e.getHandshakeStatus() + ", " + in.remaining() + " bytes unread");
                }
                ByteBuffer grown = ByteBuffer.allocate(in.remaining() + more.length);
                grown.put(in).put(more).flip();
                in = grown;
                fed += more.length;
                needMore = false;
            }
            int before = in.position();
            SSLEngineResult r;
            try {
                r = e.unwrap(in, app);
            } catch (SSLException x) {
                return x;
            } catch (RuntimeException | Error x) {
                throw new AssertionError(what + ": unwrap threw " + x + " instead of an SSLException", x);
            }
            app.clear();
            assertEquals(r.bytesConsumed(), in.position() - before, what + ": bytesConsumed");
            switch (r.getStatus()) {
                case BUFFER_UNDERFLOW:
                    assertEquals(0, r.bytesConsumed() + r.bytesProduced(), what + ": moved bytes on underflow");
                    needMore = true;
                    break;
                case OK:
                    needMore = r.bytesConsumed() == 0;
                    break;
                default:
                    fail(what + ": unwrap of garbage returned " + r + " instead of throwing");
            }
            if (r.getHandshakeStatus() == HandshakeStatus.NEED_WRAP || e.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                try {
                    e.wrap(EMPTY, net);
                } catch (SSLException x) {
                    return x;
                } catch (RuntimeException | Error x) {
                    throw new AssertionError(what + ": wrap threw " + x + " instead of an SSLException", x);
                }
                net.clear();
            }
        }
        throw new AssertionError(what + ": no SSLException after 20 000 unwrap calls");
    }

    private static SSLEngine freshServer() {
        SSLEngine s = EngineSupport.server(Impl.NATIVE, "server-ec");
        return s;
    }

    /** A NativeTLS client that has sent its ClientHello and waits for the server. */
    private static SSLEngine clientMidHandshake(String protocol) throws SSLException {
        SSLEngine c = EngineSupport.client(Impl.NATIVE, protocol);
        c.beginHandshake();
        ByteBuffer net = ByteBuffer.allocate(c.getSession().getPacketBufferSize());
        SSLEngineResult r = c.wrap(EMPTY, net);
        assertTrue(r.bytesProduced() > 0, "no ClientHello");
        assertEquals(HandshakeStatus.NEED_UNWRAP, c.getHandshakeStatus());
        return c;
    }

    private static void garbageFails(SSLEngine e, Garbage g, String what) throws SSLException {
        SSLException x = feed(e, g, what);
        EngineSupport.assertFailedEngineClosesCleanly(e, what + " (" + x + ")");
    }

    /** One round: g fed to a fresh server engine, which must fail and close cleanly. */
    private static void toFreshServer(Garbage g, String kind, long seed) throws SSLException {
        garbageFails(freshServer(), g, "fresh server, " + kind + ", seed " + seed);
    }

    /** One round: g fed to a client mid-handshake, TLS 1.3 or 1.2 as round is odd or even. */
    private static void toClientMidHandshake(long round, Garbage g, String kind, long seed) throws SSLException {
        String protocol = PROTOCOLS[(int) (round % 2)];
        garbageFails(clientMidHandshake(protocol), g, "client mid-handshake (" + protocol + "), " + kind + ", seed " + seed);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void randomBytesToAFreshServer() throws Exception {
        for (long seed = 1; seed <= 200; seed++) {
            toFreshServer(randomBytes(seed), "random bytes", seed);
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void randomBytesToAClientMidHandshake() throws Exception {
        for (long seed = 1; seed <= 200; seed++) {
            toClientMidHandshake(seed, randomBytes(1000 + seed), "random bytes", 1000 + seed);
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void recordShapedGarbageToAFreshServer() throws Exception {
        for (long seed = 1; seed <= 200; seed++) {
            toFreshServer(recordShaped(seed), "record-shaped garbage", seed);
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void recordShapedGarbageToAClientMidHandshake() throws Exception {
        for (long seed = 1; seed <= 200; seed++) {
            toClientMidHandshake(seed, recordShaped(2000 + seed), "record-shaped garbage", 2000 + seed);
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void handshakeMessageShapedGarbage() throws Exception {
        for (long seed = 1; seed <= 200; seed++) {
            toFreshServer(handshakeShaped(3000 + seed, 1), "garbage ClientHello", 3000 + seed);
            toClientMidHandshake(seed, handshakeShaped(4000 + seed, 2), "garbage ServerHello", 4000 + seed);
        }
    }

    private static byte[] header65535(int type, long seed) {
        byte[] body = random(200, seed);
        ByteBuffer b = ByteBuffer.allocate(5 + body.length);
        b.put((byte) type).put((byte) 3).put((byte) 3).putShort((short) 0xFFFF).put(body);
        return b.array();
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void recordHeaderClaiming65535BytesFailsWithoutWaitingForThem() throws Exception {
        for (int type = 20; type <= 23; type++) {
            garbageFails(freshServer(), only(header65535(type, type)), "fresh server, 65535-byte header type "
                + type);
            garbageFails(clientMidHandshake("TLSv1.3"), only(header65535(type, type)),
                "client mid-handshake, 65535-byte header type " + type);
            SSLEngine c = EngineSupport.client(Impl.NATIVE, "TLSv1.2");
            EngineSupport.established(c, EngineSupport.server(Impl.NATIVE, "server-rsa"));
            garbageFails(c, only(header65535(type, type)), "established client, 65535-byte header type " + type);
        }
    }

    static Stream<Arguments> tampering() {
        return Matrix.of(new String[] {"client", "server"}, Impl.values(), PROTOCOLS,
            new String[] {"first body byte", "middle", "last byte"});
    }

    @ParameterizedTest(name = "NativeTLS {0}, {1} peer, {2}, flip {3}")
    @MethodSource("tampering")
    void flippedApplicationDataRecordFails(String role, Impl peer, String protocol, String where) throws Exception {
        boolean subjectIsClient = role.equals("client");
        SSLEngine c = EngineSupport.client(subjectIsClient ? Impl.NATIVE : peer, protocol);
        SSLEngine s = EngineSupport.server(subjectIsClient ? peer : Impl.NATIVE, "server-ec");
        EngineSupport.established(c, s);
        SSLEngine subject = subjectIsClient ? c : s;
        SSLEngine other = subjectIsClient ? s : c;
        byte[] ok = random(500, 1);
        assertArrayEquals(ok, unwrapAll(subject, wrapAll(other, ok)), "data before the forgery");

        byte[] record = wrapAll(other, random(1000, 2));
        int at = where.equals("first body byte") ? 5 : where.equals("middle") ? record.length / 2 : record.length - 1;
        record[at] ^= 0x01;
        ByteBuffer src = ByteBuffer.wrap(record);
        ByteBuffer app = ByteBuffer.allocate(subject.getSession().getApplicationBufferSize());
        SSLException x = null;
        try {
            SSLEngineResult r = subject.unwrap(src, app);
            fail("unwrap of a forged record returned " + r);
        } catch (SSLException e) {
            x = e;
        }
        assertEquals(0, app.position(), "plaintext of a forged record reached the destination");
        EngineSupport.assertFailedEngineClosesCleanly(subject, "after a forged record (" + x + ")");
        assertFalse(subject.getSession().isValid(), "session still valid after a forged record");
    }

    // ---- a key that no provider can sign with ----------------------------------------------------

    /**
     * The test PKI's key manager for one key, handing out a key without encoding that no installed
     * JCA provider accepts: NativeTLS asks java.security.Signature to sign with it, which refuses.
     */
    private static final class OpaqueKeyManager extends DelegatingKeyManager {
        OpaqueKeyManager(String keyName) {
            super((X509ExtendedKeyManager) TestPki.get().keyManagers(keyName)[0]);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            PrivateKey k = super.getPrivateKey(alias);
            return k == null ? null : new RawPrivateKey(k.getAlgorithm(), k.getFormat(), null);
        }
    }

    static Stream<Arguments> clientsAndProtocols() {
        List<Arguments> out = new ArrayList<>();
        for (Impl client : Impl.values()) {
            for (String protocol : PROTOCOLS) {
                out.add(Arguments.of(client, protocol));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} client, NativeTLS server, {1}")
    @MethodSource("clientsAndProtocols")
    void serverKeyThatNoProviderSignsWithFailsTheHandshakeSayingSo(Impl client, String protocol) throws Exception {
        SSLContext sctx = Contexts.create(Impl.NATIVE, "TLS", new KeyManager[] {new OpaqueKeyManager("server-ec")},
            TestPki.get().trustManagers());
        SSLEngine s = EngineSupport.serverOf(sctx);
        SSLEngine c = EngineSupport.client(client, protocol);
        EnginePair d = new EnginePair(c, s);
        assertFalse(d.settle(SSLException.class), "handshake with a server key nothing can sign with succeeded");
        assertInstanceOf(SSLHandshakeException.class, d.server.failure, "server failure " + d.server.failure);
        boolean says = false;
        boolean jcaCause = false;
        for (Throwable t : chain(d.server.failure)) {
            String m = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            says |= m.contains("could not sign");
            jcaCause |= t instanceof java.security.InvalidKeyException;
        }
        assertTrue(says, "the failure does not say the key could not sign: " + describe(d.server.failure));
        assertTrue(jcaCause, "the JCA's InvalidKeyException is not in the causes: " + describe(d.server.failure));
        assertBothFailed(d);
    }
}
