package io.nativetls.keyupdate;

import io.nativetls.testing.Contexts;
import io.nativetls.testing.Contexts.Impl;
import java.nio.ByteBuffer;
import java.security.Security;
import java.util.Arrays;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;

/**
 * Run in a JVM of its own (SunJSSE reads jdk.tls.keyLimits once per JVM): sets the property,
 * connects a client and a server engine over TLS 1.3 in memory, sends chunks of application data
 * from one side, and prints one line per engine call while the data moves: what the call did and
 * the handshake status it reported. KeyLimitTest compares these traces between NativeTLS and
 * SunJSSE.
 *
 * <p>usage: KeyLimitScenario LIMITS CLIENT SERVER SENDER CHUNKS CHUNK_SIZE [SUITE]
 * (Impl names NATIVE/SUN, sender client or server).
 */
public final class KeyLimitScenario {
    private final SSLEngine c;
    private final SSLEngine s;
    /** Records on their way: to the server, to the client (in drain mode). */
    private ByteBuffer toServer = ByteBuffer.allocate(1 << 20).flip();
    private ByteBuffer toClient = ByteBuffer.allocate(1 << 20).flip();
    private boolean traced;
    private long received;

    private KeyLimitScenario(SSLEngine c, SSLEngine s) {
        this.c = c;
        this.s = s;
    }

    public static void main(String[] args) throws Exception {
        Security.setProperty("jdk.tls.keyLimits", args[0]);
        SSLEngine c = Contexts.client(Impl.valueOf(args[1])).createSSLEngine("localhost", 443);
        c.setUseClientMode(true);
        c.setEnabledProtocols(new String[] {"TLSv1.3"});
        if (args.length > 6) {
            c.setEnabledCipherSuites(new String[] {args[6]});
        }
        SSLEngine s = Contexts.server(Impl.valueOf(args[2]), "server-ec").createSSLEngine();
        s.setUseClientMode(false);
        new KeyLimitScenario(c, s).run(args[3].equals("client"), Integer.parseInt(args[4]), Integer.parseInt(args[5]));
        System.out.println("DONE");
    }

    private void run(boolean clientSends, int chunks, int chunkSize) throws Exception {
        c.beginHandshake();
        s.beginHandshake();
        settle();
        send(c, 1); // one byte each way: the tickets and the like are through
        send(s, 1);
        SSLEngine from = clientSends ? c : s;
        traced = true;
        for (int i = 0; i < chunks; i++) {
            step("-- chunk " + (i + 1));
            send(from, chunkSize);
        }
        step("-- " + (clientSends ? "server" : "client") + " received " + received);
        traced = false;
        send(from == c ? s : c, 1); // the other direction still works
    }

    /** size bytes from one engine, one wrap at a time, then both settle; checks all arrived. */
    private void send(SSLEngine from, int size) throws Exception {
        byte[] data = new byte[size];
        Arrays.fill(data, (byte) 'k');
        ByteBuffer src = ByteBuffer.wrap(data);
        long before = received;
        for (int i = 0; i < 20 && src.hasRemaining(); i++) {
            wrap(from, src);
            drain(peer(from));
            settle();
        }
        if (received - before != size) {
            throw new AssertionError("received " + (received - before) + " of " + size + " bytes");
        }
    }

    /** Until neither side has anything to wrap, run or unwrap. */
    private void settle() throws Exception {
        for (int i = 0; i < 50; i++) {
            boolean moved = false;
            for (SSLEngine e : new SSLEngine[] {c, s}) {
                Runnable task;
                while ((task = e.getDelegatedTask()) != null) {
                    task.run();
                    moved = true;
                }
                if (e.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                    wrap(e, ByteBuffer.allocate(0));
                    moved = true;
                }
                moved |= drain(peer(e));
            }
            if (!moved) {
                return;
            }
        }
        throw new AssertionError("the engines never settled");
    }

    private SSLEngine peer(SSLEngine e) {
        return e == c ? s : c;
    }

    private void wrap(SSLEngine e, ByteBuffer src) throws Exception {
        ByteBuffer net = ByteBuffer.allocate(e.getSession().getPacketBufferSize());
        SSLEngineResult r = e.wrap(src, net);
        note(e, "wrap", r, r.bytesConsumed(), r.bytesProduced());
        ByteBuffer wire = e == c ? toServer : toClient;
        ByteBuffer grown = ByteBuffer.allocate(wire.remaining() + net.flip().remaining());
        grown.put(wire).put(net).flip();
        if (e == c) {
            toServer = grown;
        } else {
            toClient = grown;
        }
    }

    /** Unwraps what waits for e; whether anything was consumed. */
    private boolean drain(SSLEngine e) throws Exception {
        ByteBuffer wire = e == c ? toClient : toServer;
        boolean moved = false;
        for (int i = 0; i < 50 && wire.hasRemaining(); i++) {
            if (e.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                return moved;
            }
            ByteBuffer app = ByteBuffer.allocate(e.getSession().getApplicationBufferSize());
            SSLEngineResult r = e.unwrap(wire, app);
            note(e, "unwrap", r, r.bytesProduced(), r.bytesConsumed());
            received += r.bytesProduced();
            if (r.bytesConsumed() == 0) {
                return moved;
            }
            moved = true;
        }
        return moved;
    }

    private void note(SSLEngine e, String what, SSLEngineResult r, int data, int wire) {
        if (traced && (data > 0 || wire > 0 || r.getHandshakeStatus() != HandshakeStatus.NOT_HANDSHAKING)) {
            step((e == c ? "C " : "S ") + what + ": " + r.getStatus() + " " + r.getHandshakeStatus() + " data="
                + data + (wire > 0 ? " record" : " nothing"));
        }
    }

    private static void step(String line) {
        System.out.println("STEP " + line);
    }
}
