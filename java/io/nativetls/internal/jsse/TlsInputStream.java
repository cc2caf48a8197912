package io.nativetls.internal.jsse;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;

/** A TLS socket's input: decrypted application data; closing it closes the socket, as SunJSSE. */
final class TlsInputStream extends InputStream {
    private final SocketTls tls;
    private final Socket socket;

    TlsInputStream(SocketTls tls, Socket socket) {
        this.tls = tls;
        this.socket = socket;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n <= 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        return tls.read(b, off, len);
    }

    /** Bytes already decrypted: never touches the network. */
    @Override
    public int available() {
        return tls.available();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
