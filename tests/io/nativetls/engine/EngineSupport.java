package io.nativetls.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.testing.ForwardingTrustManager;
import io.nativetls.testing.Contexts;
import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.EnginePair;
import io.nativetls.testing.TestPki;
import java.io.ByteArrayOutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Random;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/** Helpers shared by the SSLEngine contract tests: engines, manual record moves, cause chains. */
final class EngineSupport {
    static final String HOST = "localhost";
    static final int PORT = 4433;
    static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private EngineSupport() {}

    static boolean isNative(SSLEngine e) {
        return e.getClass().getName().startsWith("io.nativetls.");
    }

    /** A client engine for localhost:4433 trusting the test CA; protocols as given, else the default. */
    static SSLEngine client(Impl impl, String... protocols) {
        return clientOf(Contexts.client(impl), protocols);
    }

    static SSLEngine clientOf(SSLContext ctx, String... protocols) {
        SSLEngine e = ctx.createSSLEngine(HOST, PORT);
        e.setUseClientMode(true);
        if (protocols.length > 0) {
            e.setEnabledProtocols(protocols);
        }
        return e;
    }

    /** A server engine presenting key (e.g. "server-ec"); protocols as given, else the default. */
    static SSLEngine server(Impl impl, String key, String... protocols) {
        return serverOf(Contexts.server(impl, key), protocols);
    }

    static SSLEngine serverOf(SSLContext ctx, String... protocols) {
        SSLEngine e = ctx.createSSLEngine();
        e.setUseClientMode(false);
        if (protocols.length > 0) {
            e.setEnabledProtocols(protocols);
        }
        return e;
    }

    /** Handshakes the two engines with EnginePair (which checks the per-call contract). */
    static EnginePair established(SSLEngine client, SSLEngine server) throws SSLException {
        EnginePair pair = new EnginePair(client, server);
        pair.handshake();
        return pair;
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static ByteBuffer buffer(int capacity, boolean direct) {
        return direct ? ByteBuffer.allocateDirect(capacity) : ByteBuffer.allocate(capacity);
    }

    /** A buffer in read mode holding data. */
    static ByteBuffer filled(byte[] data, boolean direct) {
        return buffer(data.length, direct).put(data).flip();
    }

    /** The bytes between position and limit, leaving the buffer as it was. */
    static byte[] remaining(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    /** The bytes between 0 and position (what was written into a buffer in write mode). */
    static byte[] written(ByteBuffer b) {
        ByteBuffer d = b.duplicate();
        d.flip();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return out;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** Wraps all of data on an established engine; returns the records it produced. */
    static byte[] wrapAll(SSLEngine e, byte[] data) throws SSLException {
        ByteBuffer src = ByteBuffer.wrap(data);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer net = ByteBuffer.allocate(e.getSession().getPacketBufferSize());
        for (int i = 0; i < 10_000 && src.hasRemaining(); i++) {
            int before = src.position();
            SSLEngineResult r = e.wrap(src, net);
            assertEquals(Status.OK, r.getStatus(), "wrap status");
            assertEquals(r.bytesConsumed(), src.position() - before, "wrap bytesConsumed");
            assertEquals(r.bytesProduced(), net.position(), "wrap bytesProduced");
            out.writeBytes(written(net));
            net.clear();
        }
        assertTrue(!src.hasRemaining(), "wrap did not take all the data");
        return out.toByteArray();
    }

    /** Unwraps every record in net on an established engine; returns the plaintext. */
    static byte[] unwrapAll(SSLEngine e, byte[] net) throws SSLException {
        ByteBuffer src = ByteBuffer.wrap(net);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer app = ByteBuffer.allocate(e.getSession().getApplicationBufferSize());
        for (int i = 0; i < 100_000 && src.hasRemaining(); i++) {
            int before = src.position();
            SSLEngineResult r = e.unwrap(src, app);
            assertEquals(Status.OK, r.getStatus(), "unwrap status");
            assertEquals(r.bytesConsumed(), src.position() - before, "unwrap bytesConsumed");
            assertEquals(r.bytesProduced(), app.position(), "unwrap bytesProduced");
            assertTrue(r.bytesConsumed() > 0, "unwrap consumed nothing of a whole record");
            out.writeBytes(written(app));
            app.clear();
        }
        assertTrue(!src.hasRemaining(), "unwrap left bytes behind");
        return out.toByteArray();
    }

    /**
     * After a failure: isInboundDone(), then wrap yields the alert (if any) and reports CLOSED,
     * and wraps after that are CLOSED with nothing moved.
     */
    static void assertFailedEngineClosesCleanly(SSLEngine e, String what) throws SSLException {
        assertTrue(e.isInboundDone(), what + ": isInboundDone() after the SSLException");
        ByteBuffer net = ByteBuffer.allocate(e.getSession().getPacketBufferSize());
        boolean closed = false;
        for (int i = 0; i < 5 && !closed; i++) {
            SSLEngineResult r = e.wrap(EMPTY, net);
            assertEquals(r.bytesProduced(), net.position(), what + ": wrap bytesProduced");
            assertEquals(0, r.bytesConsumed(), what + ": wrap bytesConsumed");
            if (r.getStatus() == Status.CLOSED) {
                closed = true;
            } else {
                assertEquals(Status.OK, r.getStatus(), what + ": wrap status after the failure");
                assertTrue(r.bytesProduced() > 0, what + ": a wrap before CLOSED must carry the alert");
            }
            net.clear();
        }
        assertTrue(closed, what + ": wrap never reported CLOSED after the failure");
        assertTrue(e.isOutboundDone(), what + ": isOutboundDone() after CLOSED");
        SSLEngineResult again = e.wrap(ByteBuffer.wrap(new byte[100]), net);
        assertEquals(Status.CLOSED, again.getStatus(), what + ": wrap once closed");
        assertEquals(0, again.bytesConsumed() + again.bytesProduced(), what + ": wrap once closed moves nothing");
    }

    /** Runs e's delegated tasks; returns how many there were. */
    static int runTasks(SSLEngine e) {
        Runnable task;
        int n = 0;
        for (int i = 0; i < 100 && (task = e.getDelegatedTask()) != null; i++) {
            task.run();
            n++;
        }
        return n;
    }

    /**
     * Wraps a real trust manager and records what checkServerTrusted sees: the chain, authType,
     * engine and that engine's handshake session at that moment, and any exception it throws.
     * With refuse set it throws its own CertificateException("nope") instead of asking the delegate.
     */
    static class RecordingTrustManager extends ForwardingTrustManager {
        final boolean refuse;
        volatile int serverChecks;
        volatile X509Certificate[] chain;
        volatile String authType;
        volatile SSLEngine engine;
        volatile boolean engineVariant;
        volatile SSLSession handshakeSession;
        volatile String handshakeProtocol;
        volatile CertificateException thrown;

        RecordingTrustManager(boolean refuse) {
            this.refuse = refuse;
        }

        TrustManager[] asArray() {
            return new TrustManager[] {this};
        }

        private void record(X509Certificate[] chain, String authType) {
            serverChecks++;
            this.chain = chain.clone();
            this.authType = authType;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
            record(chain, authType);
            this.engineVariant = true;
            this.engine = engine;
            SSLSession hs = engine == null ? null : engine.getHandshakeSession();
            this.handshakeSession = hs;
            this.handshakeProtocol = hs == null ? null : hs.getProtocol();
            decide(() -> delegate.checkServerTrusted(chain, authType, engine));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            record(chain, authType);
            decide(() -> delegate.checkServerTrusted(chain, authType));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
            record(chain, authType);
            decide(() -> delegate.checkServerTrusted(chain, authType, socket));
        }

        private interface Check {
            void run() throws CertificateException;
        }

        private void decide(Check check) throws CertificateException {
            if (refuse) {
                CertificateException e = new CertificateException("nope");
                thrown = e;
                throw e;
            }
            try {
                check.run();
            } catch (CertificateException e) {
                thrown = e;
                throw e;
            }
        }
    }
}
