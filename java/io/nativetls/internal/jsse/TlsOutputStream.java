package io.nativetls.internal.jsse;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;

/**
 * A TLS socket's output: every write is encrypted and sent before it returns (no buffering, so
 * flush has nothing to do); closing it closes the socket, as SunJSSE.
 */
final class TlsOutputStream extends OutputStream {
    private final SocketTls tls;
    private final Socket socket;

    TlsOutputStream(SocketTls tls, Socket socket) {
        this.tls = tls;
        this.socket = socket;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        tls.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
