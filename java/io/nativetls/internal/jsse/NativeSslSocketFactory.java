package io.nativetls.internal.jsse;

import io.nativetls.internal.ssl.CipherSuites;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import javax.net.ssl.SSLSocketFactory;

/** Client sockets (and sockets layered over connected ones) of one NativeTLS context. */
final class NativeSslSocketFactory extends SSLSocketFactory {
    private final SocketEngines engines;

    NativeSslSocketFactory(SocketEngines engines) {
        this.engines = engines;
    }

    @Override
    public String[] getDefaultCipherSuites() {
        return engines.defaultCipherSuites(true);
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return CipherSuites.get().supported();
    }

    @Override
    public Socket createSocket() {
        return NativeSslSocket.unconnected(engines);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return NativeSslSocket.client(engines, new Socket(host, port), host);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localAddress, int localPort) throws IOException {
        return NativeSslSocket.client(engines, new Socket(host, port, localAddress, localPort), host);
    }

    @Override
    public Socket createSocket(InetAddress address, int port) throws IOException {
        return NativeSslSocket.client(engines, new Socket(address, port), SocketEngines.hostString(address));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
        throws IOException {
        return NativeSslSocket.client(engines, new Socket(address, port, localAddress, localPort),
            SocketEngines.hostString(address));
    }

    @Override
    public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
        requireConnected(s);
        String peer = host != null ? host : SocketEngines.hostString(s.getInetAddress());
        return NativeSslSocket.layered(engines, s, peer, port, true, autoClose, null);
    }

    @Override
    public Socket createSocket(Socket s, InputStream consumed, boolean autoClose) throws IOException {
        requireConnected(s);
        return NativeSslSocket.layered(engines, s, s.getInetAddress().getHostAddress(), s.getPort(), false,
            autoClose, alreadyRead(consumed));
    }

    private static void requireConnected(Socket s) throws SocketException {
        if (s == null) {
            throw new NullPointerException("the underlying socket is null");
        }
        if (!s.isConnected()) {
            throw new SocketException("the underlying socket is not connected");
        }
    }

    /** What the caller already took off the socket: only what is there without blocking. */
    private static byte[] alreadyRead(InputStream consumed) throws IOException {
        if (consumed == null) {
            return null;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        int available;
        while ((available = consumed.available()) > 0) {
            int n = consumed.read(buf, 0, Math.min(buf.length, available));
            if (n < 0) {
                break;
            }
            bytes.write(buf, 0, n);
        }
        return bytes.toByteArray();
    }
}
