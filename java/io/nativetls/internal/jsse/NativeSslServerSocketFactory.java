package io.nativetls.internal.jsse;

import io.nativetls.internal.ssl.CipherSuites;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import javax.net.ssl.SSLServerSocketFactory;

/** Server sockets of one NativeTLS context. */
final class NativeSslServerSocketFactory extends SSLServerSocketFactory {
    private static final int DEFAULT_BACKLOG = 50;

    private final SocketEngines engines;

    NativeSslServerSocketFactory(SocketEngines engines) {
        this.engines = engines;
    }

    @Override
    public String[] getDefaultCipherSuites() {
        return engines.defaultCipherSuites(false);
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return CipherSuites.get().supported();
    }

    @Override
    public ServerSocket createServerSocket() throws IOException {
        return new NativeSslServerSocket(engines);
    }

    @Override
    public ServerSocket createServerSocket(int port) throws IOException {
        return new NativeSslServerSocket(engines, port, DEFAULT_BACKLOG, null);
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog) throws IOException {
        return new NativeSslServerSocket(engines, port, backlog, null);
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog, InetAddress address) throws IOException {
        return new NativeSslServerSocket(engines, port, backlog, address);
    }
}
