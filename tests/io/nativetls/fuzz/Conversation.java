package io.nativetls.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;

/**
 * Two engines talking in memory, with every byte each one sends kept aside: the handshake flight
 * by flight, then application data and closes on request. Used once to record real traffic for
 * the corpus, and per fuzz input to bring a target engine to a state (hello sent, established)
 * together with the peer's next real records for it.
 */
final class Conversation {
    /** What one side sent between two sends of the other side. */
    static final class Flight {
        final boolean fromClient;
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        Flight(boolean fromClient) {
            this.fromClient = fromClient;
        }
    }

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    private static final int BUFFER = 64 * 1024;

    final SSLEngine client;
    final SSLEngine server;
    final List<Flight> flights = new ArrayList<>();
    private ByteBuffer toClient = ByteBuffer.allocate(0);
    private ByteBuffer toServer = ByteBuffer.allocate(0);
    private final ByteBuffer net = ByteBuffer.allocate(BUFFER);
    private final ByteBuffer app = ByteBuffer.allocate(BUFFER);
    private String lastStop;

    Conversation(SSLEngine client, SSLEngine server) {
        this.client = client;
        this.server = server;
    }

    /** Everything e wants to send now (handshake records, alerts, tickets), also kept as a flight. */
    byte[] flush(SSLEngine e) throws SSLException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < 100 && !e.isOutboundDone(); i++) {
            runTasks(e);
            if (e.getHandshakeStatus() != HandshakeStatus.NEED_WRAP) {
                break;
            }
            SSLEngineResult r = e.wrap(EMPTY, net);
            runTasks(e);
            out.write(net.array(), 0, net.position());
            net.clear();
            if (r.bytesProduced() == 0 && r.getStatus() != Status.OK) {
                break;
            }
        }
        byte[] sent = out.toByteArray();
        keep(e, sent);
        return sent;
    }

    /** Records carrying data from e, kept as a flight. */
    byte[] send(SSLEngine e, byte[] data) throws SSLException {
        ByteBuffer src = ByteBuffer.wrap(data);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < 1000 && src.hasRemaining(); i++) {
            SSLEngineResult r = e.wrap(src, net);
            out.write(net.array(), 0, net.position());
            net.clear();
            if (r.getStatus() != Status.OK) {
                throw new IllegalStateException("wrap of application data: " + r);
            }
        }
        byte[] sent = out.toByteArray();
        keep(e, sent);
        return sent;
    }

    /** closeOutbound on e and the close_notify (or nothing) it then sends. */
    byte[] close(SSLEngine e) throws SSLException {
        e.closeOutbound();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < 10 && !e.isOutboundDone(); i++) {
            SSLEngineResult r = e.wrap(EMPTY, net);
            out.write(net.array(), 0, net.position());
            net.clear();
            if (r.getStatus() == Status.CLOSED) {
                break;
            }
        }
        byte[] sent = out.toByteArray();
        keep(e, sent);
        return sent;
    }

    private void keep(SSLEngine e, byte[] sent) {
        if (sent.length == 0) {
            return;
        }
        boolean fromClient = e == client;
        Flight last = flights.isEmpty() ? null : flights.get(flights.size() - 1);
        if (last == null || last.fromClient != fromClient) {
            last = new Flight(fromClient);
            flights.add(last);
        }
        last.bytes.writeBytes(sent);
    }

    /** Unwraps on the receiving side as much of bytes (and of what was left before) as it takes. */
    byte[] deliver(SSLEngine to, byte[] bytes) throws SSLException {
        ByteBuffer in = to == client ? toClient : toServer;
        ByteBuffer joined = ByteBuffer.allocate(in.remaining() + bytes.length);
        joined.put(in).put(bytes).flip();
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        for (int i = 0; i < 10_000 && joined.hasRemaining() && !to.isInboundDone(); i++) {
            SSLEngineResult r = to.unwrap(joined, app);
            runTasks(to);
            plain.write(app.array(), 0, app.position());
            app.clear();
            if (r.getStatus() != Status.OK || r.bytesConsumed() == 0) {
                lastStop = r + " with " + joined.remaining() + " left";
                break;
            }
        }
        if (to == client) {
            toClient = joined;
        } else {
            toServer = joined;
        }
        return plain.toByteArray();
    }

    /** Runs the handshake to the end; each side's output is delivered to the other at once. */
    void handshake() throws SSLException {
        client.beginHandshake();
        server.beginHandshake();
        for (int round = 0; round < 50; round++) {
            int unread = toClient.remaining() + toServer.remaining();
            byte[] c = flush(client);
            deliver(server, c);
            byte[] s = flush(server);
            deliver(client, s);
            boolean progress = c.length > 0 || s.length > 0 || toClient.remaining() + toServer.remaining() != unread;
            if (!progress) {
                if (handshaking(client) || handshaking(server) || toClient.hasRemaining() || toServer.hasRemaining()) {
                    throw new IllegalStateException("handshake stalled in round " + round + ": client " + client + " "
                        + client.getHandshakeStatus() + ", " + toClient.remaining() + " unread, server " + server + " "
                        + server.getHandshakeStatus() + ", " + toServer.remaining() + " unread; last stop " + lastStop);
                }
                return;
            }
        }
        throw new IllegalStateException("handshake did not finish");
    }

    static boolean handshaking(SSLEngine e) {
        HandshakeStatus hs = e.getHandshakeStatus();
        return hs != HandshakeStatus.NOT_HANDSHAKING && hs != HandshakeStatus.FINISHED;
    }

    static void runTasks(SSLEngine e) {
        Runnable task;
        for (int i = 0; i < 100 && (task = e.getDelegatedTask()) != null; i++) {
            task.run();
        }
    }
}
