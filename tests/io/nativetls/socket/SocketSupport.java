package io.nativetls.socket;

import io.nativetls.testing.ChildProcess;
import io.nativetls.testing.Contexts;
import io.nativetls.testing.Contexts.Impl;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/** Shared pieces of the socket tests: contexts, a background TLS server, bounded stream helpers. */
final class SocketSupport {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    static final int SO_TIMEOUT_MS = 10_000;

    private SocketSupport() {}

    static SSLContext serverContext(Impl impl) {
        return Contexts.server(impl, "server-ec");
    }

    static SSLContext clientContext(Impl impl) {
        return Contexts.client(impl);
    }

    /** A server socket of ctx on 127.0.0.1 with an ephemeral port. */
    static SSLServerSocket listen(SSLContext ctx) throws IOException {
        SSLServerSocket s = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 50, LOOPBACK);
        s.setSoTimeout(SO_TIMEOUT_MS);
        return s;
    }

    /** Reads exactly n bytes or fails. */
    static byte[] readFully(InputStream in, int n) throws IOException {
        byte[] buf = new byte[n];
        int done = 0;
        while (done < n) {
            int r = in.read(buf, done, n - done);
            if (r < 0) {
                throw new IOException("end of stream after " + done + " of " + n + " bytes");
            }
            done += r;
        }
        return buf;
    }

    /** What a server does with one accepted connection. */
    interface Handler {
        void handle(SSLSocket socket) throws Exception;
    }

    /**
     * Accepts connections on a background thread and runs the handler on each in turn; close()
     * stops it and rethrows the first failure of a handler, so server-side asserts count.
     */
    static final class Server implements AutoCloseable {
        final SSLServerSocket socket;
        private final ExecutorService executor = Executors.newSingleThreadExecutor();
        private final Future<?> loop;
        private final List<Throwable> failures = new ArrayList<>();
        private volatile int accepted;

        Server(SSLServerSocket socket, int connections, Handler handler) {
            this.socket = socket;
            this.loop = executor.submit(() -> {
                for (int i = 0; i < connections; i++) {
                    try (SSLSocket s = (SSLSocket) socket.accept()) {
                        accepted++;
                        s.setSoTimeout(SO_TIMEOUT_MS);
                        handler.handle(s);
                    } catch (Throwable t) {
                        synchronized (failures) {
                            failures.add(t);
                        }
                        if (socket.isClosed()) {
                            return null;
                        }
                    }
                }
                return null;
            });
        }

        static Server echo(SSLContext ctx, int connections) throws IOException {
            return new Server(listen(ctx), connections, Server::echo);
        }

        /** Echoes everything until the client's end of stream. */
        static void echo(SSLSocket s) throws IOException {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            byte[] buf = new byte[8192];
            for (int n; (n = in.read(buf)) >= 0; ) {
                out.write(buf, 0, n);
            }
        }

        int port() {
            return socket.getLocalPort();
        }

        int accepted() {
            return accepted;
        }

        /** Waits for the handlers to finish and throws what the first one threw. */
        void finish() throws Exception {
            loop.get(30, TimeUnit.SECONDS);
            synchronized (failures) {
                if (!failures.isEmpty()) {
                    Throwable first = failures.get(0);
                    if (first instanceof Exception) {
                        throw (Exception) first;
                    }
                    throw new AssertionError(first);
                }
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
            executor.shutdownNow();
            try {
                executor.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Connects a client socket of ctx to 127.0.0.1:port with the test timeout. */
    static SSLSocket connect(SSLContext ctx, int port) throws IOException {
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(LOOPBACK, port);
        s.setSoTimeout(SO_TIMEOUT_MS);
        return s;
    }

    /** A plain TCP listener on 127.0.0.1 for tests that play the raw peer. */
    /**
     * {@code openssl s_server -www} on 127.0.0.1, which answers every HTTPS GET with a page
     * describing the connection. key names a TestPki key and certificate in dir; protocolFlag is
     * -tls1_3 or -tls1_2.
     */
    static ChildProcess wwwServer(Path dir, String key, String protocolFlag) throws IOException, InterruptedException {
        return ChildProcess.opensslServer(dir, List.of("-cert", key + ".pem", "-key", key + ".key", "-www", protocolFlag),
            ChildProcess.WAIT);
    }

    static ServerSocket plainListener() throws IOException {
        ServerSocket s = new ServerSocket(0, 50, LOOPBACK);
        s.setSoTimeout(SO_TIMEOUT_MS);
        return s;
    }

    static Socket plainConnect(int port) throws IOException {
        Socket s = new Socket(LOOPBACK, port);
        s.setSoTimeout(SO_TIMEOUT_MS);
        return s;
    }
}
