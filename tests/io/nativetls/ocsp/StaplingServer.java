package io.nativetls.ocsp;

import io.nativetls.testing.ChildProcess;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A TLS server on 127.0.0.1 (NativeTLS or SunJSSE, whatever the context is): accepts connections
 * one after the other on a daemon thread, runs each handshake, then reads until the client closes.
 */
final class StaplingServer implements AutoCloseable {
    private final ServerSocket listener;
    private final Thread thread;
    volatile Throwable lastFailure;

    StaplingServer(SSLContext context) throws IOException {
        listener = context.getServerSocketFactory().createServerSocket(0, 8, InetAddress.getByName(ChildProcess.LOOPBACK));
        thread = new Thread(this::serve, "stapling-server");
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    private void serve() {
        while (!listener.isClosed()) {
            try (Socket s = listener.accept()) {
                s.setSoTimeout(20_000);
                SSLSocket tls = (SSLSocket) s;
                try {
                    tls.startHandshake();
                    InputStream in = tls.getInputStream();
                    while (in.read() >= 0) {
                        // until the client closes
                    }
                } catch (IOException e) {
                    lastFailure = e; // a client that refused the server: the test looks at the client's side
                }
            } catch (SocketException e) {
                return; // closed
            } catch (IOException e) {
                lastFailure = e;
            }
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
