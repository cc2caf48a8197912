package io.nativetls.frameworks;

import java.net.InetAddress;
import java.net.Socket;
import java.security.KeyManagementException;
import java.security.SecureRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import javax.net.ssl.HandshakeCompletedEvent;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * An initialised SSLContext that hands out its delegate's engines and sockets unchanged and keeps
 * them, for clients that take an SSLContext but show the test no engine or socket (the JDK
 * HttpClient wraps the session it reports).
 */
final class RecordingSslContext extends SSLContext {
    final ConcurrentLinkedQueue<SSLEngine> engines;
    final ConcurrentLinkedQueue<SSLSocket> sockets;

    private RecordingSslContext(Spi spi, SSLContext delegate) {
        super(spi, delegate.getProvider(), delegate.getProtocol());
        this.engines = spi.engines;
        this.sockets = spi.sockets;
    }

    static RecordingSslContext of(SSLContext delegate) {
        return new RecordingSslContext(new Spi(delegate), delegate);
    }

    private static final class Spi extends SSLContextSpi {
        private final SSLContext delegate;
        final ConcurrentLinkedQueue<SSLEngine> engines = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<SSLSocket> sockets = new ConcurrentLinkedQueue<>();

        Spi(SSLContext delegate) {
            this.delegate = delegate;
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom random)
            throws KeyManagementException {
            throw new KeyManagementException("already initialised");
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return new RecordingSocketFactory(delegate.getSocketFactory(), sockets);
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return delegate.getServerSocketFactory();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return record(delegate.createSSLEngine());
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return record(delegate.createSSLEngine(host, port));
        }

        private SSLEngine record(SSLEngine engine) {
            engines.add(engine);
            return engine;
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return delegate.getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return delegate.getClientSessionContext();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            return delegate.getDefaultSSLParameters();
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return delegate.getSupportedSSLParameters();
        }
    }

    /**
     * Returns the delegate's sockets unchanged, after noting them and registering a
     * HandshakeCompletedListener that keeps each completed handshake's event.
     */
    static final class RecordingSocketFactory extends SSLSocketFactory {
        final BlockingQueue<HandshakeCompletedEvent> handshakes = new LinkedBlockingQueue<>();
        private final SSLSocketFactory delegate;
        private final ConcurrentLinkedQueue<SSLSocket> sockets;

        RecordingSocketFactory(SSLSocketFactory delegate, ConcurrentLinkedQueue<SSLSocket> sockets) {
            this.delegate = delegate;
            this.sockets = sockets;
        }

        private Socket record(Socket socket) {
            SSLSocket tls = (SSLSocket) socket;
            tls.addHandshakeCompletedListener(handshakes::add);
            sockets.add(tls);
            return socket;
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return delegate.getDefaultCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return delegate.getSupportedCipherSuites();
        }

        @Override
        public Socket createSocket() throws java.io.IOException {
            return record(delegate.createSocket());
        }

        @Override
        public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws java.io.IOException {
            return record(delegate.createSocket(s, host, port, autoClose));
        }

        @Override
        public Socket createSocket(String host, int port) throws java.io.IOException {
            return record(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
            throws java.io.IOException {
            return record(delegate.createSocket(host, port, localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws java.io.IOException {
            return record(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws java.io.IOException {
            return record(delegate.createSocket(address, port, localAddress, localPort));
        }
    }
}
