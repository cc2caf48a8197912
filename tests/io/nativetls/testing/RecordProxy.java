package io.nativetls.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay on 127.0.0.1 between one client and a target port that reads the TLS record
 * headers going each way and keeps the largest record seen (header included), per direction and
 * content type: what a test needs to see the record sizes a peer it cannot instrument (openssl
 * s_client, an SSLSocket) writes. Bytes pass unchanged; a header that is not TLS stops the
 * counting of that direction (it still relays). One connection; close() ends it.
 */
public final class RecordProxy implements AutoCloseable {
    /** Content types counted: handshake (22) and application data (23); others go to OTHER. */
    public static final int HANDSHAKE = 22;
    public static final int APPLICATION_DATA = 23;
    private static final int OTHER = 0;

    /** One direction's largest records, by content type. */
    public static final class Direction {
        private final AtomicInteger handshake = new AtomicInteger();
        private final AtomicInteger applicationData = new AtomicInteger();
        private final AtomicInteger other = new AtomicInteger();
        private final AtomicInteger records = new AtomicInteger();
        private volatile boolean garbled;

        /** The largest record of that content type (HANDSHAKE, APPLICATION_DATA; else every other type). */
        public int largest(int type) {
            return (type == HANDSHAKE ? handshake : type == APPLICATION_DATA ? applicationData : other).get();
        }

        /** The largest record of any type. */
        public int largest() {
            return Math.max(handshake.get(), Math.max(applicationData.get(), other.get()));
        }

        public int records() {
            return records.get();
        }

        /** Whether a header that is not TLS stopped the counting. */
        public boolean garbled() {
            return garbled;
        }

        void record(int type, int length) {
            records.incrementAndGet();
            AtomicInteger max = type == HANDSHAKE ? handshake : type == APPLICATION_DATA ? applicationData : other;
            max.accumulateAndGet(length, Math::max);
        }

        @Override
        public String toString() {
            return records.get() + " records, largest handshake " + handshake.get() + ", application data "
                + applicationData.get() + ", other " + other.get() + (garbled ? ", garbled" : "");
        }
    }

    public final Direction toServer = new Direction();
    public final Direction toClient = new Direction();
    private final ServerSocket listener;
    private final int target;
    private final Thread acceptor;
    private volatile Socket client;
    private volatile Socket server;

    public RecordProxy(int targetPort) throws IOException {
        this.target = targetPort;
        this.listener = new ServerSocket(0, 1, InetAddress.getByName(ChildProcess.LOOPBACK));
        this.acceptor = new Thread(this::run, "record-proxy-" + listener.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    private void run() {
        try {
            listener.setSoTimeout(20_000);
            client = listener.accept();
            server = new Socket();
            server.connect(new InetSocketAddress(InetAddress.getByName(ChildProcess.LOOPBACK), target), 10_000);
            Thread up = relay(client, server, toServer, "up");
            Thread down = relay(server, client, toClient, "down");
            up.join();
            down.join();
        } catch (IOException | InterruptedException e) {
            // the test sees a connection that fails; close() tidies up
        } finally {
            closeQuietly();
        }
    }

    private static Thread relay(Socket from, Socket to, Direction counts, String name) {
        Thread t = new Thread(() -> {
            try {
                // Not closed here: closing a socket's stream closes the socket, and the other way may still run.
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                byte[] buf = new byte[32 * 1024];
                byte[] header = new byte[5];
                int headerHave = 0;
                long bodyLeft = 0;
                int type = OTHER;
                int n;
                while ((n = in.read(buf)) > 0) {
                    for (int i = 0; i < n && !counts.garbled; ) {
                        if (bodyLeft > 0) {
                            int skip = (int) Math.min(bodyLeft, n - i);
                            bodyLeft -= skip;
                            i += skip;
                            continue;
                        }
                        header[headerHave++] = buf[i++];
                        if (headerHave == 5) {
                            type = header[0] & 0xff;
                            if (type < 20 || type > 24 || header[1] != 3) {
                                counts.garbled = true;
                                break;
                            }
                            int length = ((header[3] & 0xff) << 8) | (header[4] & 0xff);
                            counts.record(type == HANDSHAKE || type == APPLICATION_DATA ? type : OTHER, 5 + length);
                            bodyLeft = length;
                            headerHave = 0;
                        }
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
                to.shutdownOutput();
            } catch (IOException e) {
                // one side went away: the other learns it from its own socket
            }
        }, "record-proxy-" + name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void closeQuietly() {
        for (AutoCloseable c : new AutoCloseable[] {client, server, listener}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // closing
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        closeQuietly();
        acceptor.join(5_000);
    }
}
