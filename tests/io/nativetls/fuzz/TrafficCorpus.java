package io.nativetls.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * Real TLS traffic to mutate: the records a client and a server send each other during a
 * handshake, one application-data record each way, and the client's close_notify, captured by
 * driving the two engines by hand.
 */
final class TrafficCorpus {
    /** Records in the order they were sent, per direction. */
    final List<byte[]> clientRecords = new ArrayList<>();
    final List<byte[]> serverRecords = new ArrayList<>();

    private ByteBuffer toServer = ByteBuffer.allocate(0);
    private ByteBuffer toClient = ByteBuffer.allocate(0);

    static TrafficCorpus capture(SSLEngine client, SSLEngine server) throws SSLException {
        TrafficCorpus corpus = new TrafficCorpus();
        client.setUseClientMode(true);
        server.setUseClientMode(false);
        client.beginHandshake();
        server.beginHandshake();
        for (int i = 0; i < 200 && (busy(client) || busy(server)); i++) {
            corpus.round(client, server, ByteBuffer.allocate(0), ByteBuffer.allocate(0));
        }
        if (busy(client) || busy(server)) {
            throw new IllegalStateException("capture handshake stalled: " + client.getHandshakeStatus() + "/"
                + server.getHandshakeStatus());
        }
        corpus.round(client, server, ByteBuffer.wrap(new byte[300]), ByteBuffer.wrap(new byte[300]));
        client.closeOutbound();
        corpus.round(client, server, ByteBuffer.allocate(0), ByteBuffer.allocate(0));
        return corpus;
    }

    private static boolean busy(SSLEngine e) {
        HandshakeStatus hs = e.getHandshakeStatus();
        return hs != HandshakeStatus.NOT_HANDSHAKING && hs != HandshakeStatus.FINISHED;
    }

    private void round(SSLEngine client, SSLEngine server, ByteBuffer clientData, ByteBuffer serverData)
        throws SSLException {
        toServer = append(toServer, send(client, clientData, clientRecords));
        toClient = append(toClient, send(server, serverData, serverRecords));
        receive(server, toServer);
        receive(client, toClient);
    }

    /** Wraps what e has to send (and data), logging each record. */
    private static byte[] send(SSLEngine e, ByteBuffer data, List<byte[]> log) throws SSLException {
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        ByteBuffer net = ByteBuffer.allocate(e.getSession().getPacketBufferSize());
        for (int i = 0; i < 20 && !e.isOutboundDone(); i++) {
            runTasks(e);
            if (e.getHandshakeStatus() != HandshakeStatus.NEED_WRAP && !data.hasRemaining()) {
                break;
            }
            net.clear();
            SSLEngineResult r = e.wrap(data, net);
            sent.write(net.array(), 0, net.position());
            if (r.bytesProduced() == 0 && r.bytesConsumed() == 0) {
                break;
            }
        }
        byte[] bytes = sent.toByteArray();
        for (int at = 0; at + 5 <= bytes.length;) {
            int len = 5 + (((bytes[at + 3] & 0xff) << 8) | (bytes[at + 4] & 0xff));
            byte[] rec = new byte[Math.min(len, bytes.length - at)];
            System.arraycopy(bytes, at, rec, 0, rec.length);
            log.add(rec);
            at += len;
        }
        return bytes;
    }

    /** Unwraps from in until the engine takes nothing more (it may want to wrap first). */
    private static void receive(SSLEngine e, ByteBuffer in) throws SSLException {
        ByteBuffer app = ByteBuffer.allocate(1 << 16);
        for (int i = 0; i < 100 && in.hasRemaining() && !e.isInboundDone(); i++) {
            app.clear();
            SSLEngineResult r = e.unwrap(in, app);
            runTasks(e);
            if (r.bytesConsumed() == 0) {
                break;
            }
        }
    }

    private static ByteBuffer append(ByteBuffer queue, byte[] more) {
        ByteBuffer out = ByteBuffer.allocate(queue.remaining() + more.length);
        out.put(queue).put(more).flip();
        return out;
    }

    private static void runTasks(SSLEngine e) {
        Runnable task;
        for (int i = 0; i < 10 && (task = e.getDelegatedTask()) != null; i++) {
            task.run();
        }
    }

    static byte[] concat(List<byte[]> records, int from, int to) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = from; i < Math.min(to, records.size()); i++) {
            out.writeBytes(records.get(i));
        }
        return out.toByteArray();
    }
}
