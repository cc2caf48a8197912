package io.nativetls.internal.jsse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import javax.net.ssl.HandshakeCompletedEvent;
import javax.net.ssl.HandshakeCompletedListener;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * An SSLSocket layered over a plain socket, its TLS run by one {@link NativeSslEngine} through
 * {@link SocketTls}. Every socket option and address question goes to the plain socket; this
 * class's own (never connected) socket implementation is not used.
 *
 * <p>A socket made unconnected keeps its settings in an engine that is replaced at connect time
 * by one that knows the peer's host and port (the session cache and SNI need them).
 */
final class NativeSslSocket extends SSLSocket {
    private static final System.Logger LOG = System.getLogger(NativeSslSocket.class.getName());
    /** How long close() waits for a writer in progress before giving up on close_notify. */
    private static final long CLOSE_WAIT_MS = 5_000;

    private final SocketEngines engines;
    private final Socket plain;
    /** Whether closing this socket leaves the plain socket alone (layered with autoClose false). */
    private final boolean keepPlainOpen;
    private final byte[] prefix;
    private final List<HandshakeCompletedListener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile NativeSslEngine engine;
    private volatile SocketTls tls;
    private volatile InputStream input;
    private volatile OutputStream output;
    private volatile BiFunction<SSLSocket, List<String>, String> alpnSelector;

    private NativeSslSocket(SocketEngines engines, Socket plain, boolean keepPlainOpen, byte[] prefix) {
        this.engines = engines;
        this.plain = plain;
        this.keepPlainOpen = keepPlainOpen;
        this.prefix = prefix;
    }

    /** An unconnected client socket: connect() comes later. */
    static NativeSslSocket unconnected(SocketEngines engines) {
        NativeSslSocket s = new NativeSslSocket(engines, new Socket(), false, null);
        s.engine = engines.create(null, -1, s, engines.settings(true));
        return s;
    }

    /** A client socket over a plain socket the factory just connected to host. */
    static NativeSslSocket client(SocketEngines engines, Socket plain, String host) throws IOException {
        return layered(engines, plain, host, plain.getPort(), true, true, null);
    }

    /** A socket over someone else's connected socket; prefix holds bytes they already read from it. */
    static NativeSslSocket layered(SocketEngines engines, Socket plain, String host, int port, boolean clientMode,
        boolean autoClose, byte[] prefix) throws IOException {
        NativeSslSocket s = new NativeSslSocket(engines, plain, !autoClose, prefix);
        s.engine = engines.create(host, port, s, engines.settings(clientMode));
        s.startTls();
        return s;
    }

    /** A socket a server socket accepted, with (a copy of) the server socket's settings. */
    static NativeSslSocket accepted(SocketEngines engines, Socket plain, EngineConfig settings)
        throws IOException {
        NativeSslSocket s = new NativeSslSocket(engines, plain, false, null);
        s.engine = engines.create(plain.getInetAddress().getHostAddress(), plain.getPort(), s, settings);
        s.startTls();
        return s;
    }

    private void startTls() throws IOException {
        SocketTls t = new SocketTls(engine, plain.getInputStream(), plain.getOutputStream(), prefix,
            new SocketTls.Owner() {
                @Override
                public void abort() {
                    abortConnection();
                }

                @Override
                public void handshakeCompleted() {
                    notifyListeners();
                }
            });
        input = new TlsInputStream(t, this);
        output = new TlsOutputStream(t, this);
        tls = t;
    }

    // ---- connecting ---------------------------------------------------------------------------

    @Override
    public void connect(SocketAddress endpoint) throws IOException {
        connect(endpoint, 0);
    }

    @Override
    public void connect(SocketAddress endpoint, int timeout) throws IOException {
        if (isClosed()) {
            throw new SocketException("Socket is closed");
        }
        if (!(endpoint instanceof InetSocketAddress)) {
            throw new IllegalArgumentException("Unsupported address type: " + endpoint);
        }
        if (tls != null) {
            throw new SocketException("already connected");
        }
        plain.connect(endpoint, timeout);
        InetSocketAddress address = (InetSocketAddress) endpoint;
        engine = engines.create(address.getHostString(), address.getPort(), this, engine.settingsCopy());
        startTls();
    }

    @Override
    public void bind(SocketAddress local) throws IOException {
        plain.bind(local);
    }

    // ---- TLS ----------------------------------------------------------------------------------

    @Override
    public void startHandshake() throws IOException {
        SocketTls t = connectedTls();
        t.checkNotInCallback();
        if (t.isEstablished()) {
            // As the engine: TLS 1.3 sends a KeyUpdate; TLS 1.2 renegotiation is refused (SSLException,
            // the connection goes on).
            t.renewKeys();
            return;
        }
        t.handshake();
    }

    private SocketTls connectedTls() throws SocketException {
        if (isClosed()) {
            throw new SocketException("Socket is closed");
        }
        SocketTls t = tls;
        if (t == null) {
            throw new SocketException("Socket is not connected");
        }
        return t;
    }

    /** The session, running the handshake first if needed (as SunJSSE); the null session if it fails. */
    @Override
    public SSLSession getSession() {
        SocketTls t = tls;
        if (t != null && !t.isEstablished() && !isClosed()) {
            try {
                t.handshake();
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "handshake for getSession() failed", e);
            }
        }
        return engine.getSession();
    }

    @Override
    public SSLSession getHandshakeSession() {
        return engine.getHandshakeSession();
    }

    @Override
    public void addHandshakeCompletedListener(HandshakeCompletedListener listener) {
        if (listener == null) {
            throw new IllegalArgumentException("listener is null");
        }
        listeners.add(listener);
    }

    @Override
    public void removeHandshakeCompletedListener(HandshakeCompletedListener listener) {
        if (listener == null) {
            throw new IllegalArgumentException("listener is null");
        }
        if (!listeners.remove(listener)) {
            throw new IllegalArgumentException("listener is not registered");
        }
    }

    /** Runs on the thread that completed the handshake, after it let go of every lock. */
    private void notifyListeners() {
        if (listeners.isEmpty()) {
            return;
        }
        HandshakeCompletedEvent event = new HandshakeCompletedEvent(this, engine.getSession());
        for (HandshakeCompletedListener l : listeners) {
            try {
                l.handshakeCompleted(event);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "HandshakeCompletedListener " + l + " failed", e);
            }
        }
    }

    // ---- streams ------------------------------------------------------------------------------

    @Override
    public InputStream getInputStream() throws IOException {
        connectedTls();
        if (isInputShutdown()) {
            throw new SocketException("Socket input is already shutdown");
        }
        return input;
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        connectedTls();
        if (isOutputShutdown()) {
            throw new SocketException("Socket output is already shutdown");
        }
        return output;
    }

    // ---- closing ------------------------------------------------------------------------------

    /** Sends close_notify (best effort, bounded wait) and closes the plain socket unless told not to. */
    @Override
    public void close() throws IOException {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        SocketTls t = tls;
        try {
            if (t != null) {
                t.markClosing();
                t.closeOutbound(closeWaitMs());
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.DEBUG, "sending close_notify failed", e);
        } finally {
            try {
                if (!keepPlainOpen) {
                    plain.close();
                }
            } finally {
                if (t != null) {
                    t.release();
                } else {
                    engine.closeOutbound();
                }
            }
        }
    }

    private long closeWaitMs() {
        try {
            int linger = plain.getSoLinger();
            return linger >= 0 ? linger * 1000L : CLOSE_WAIT_MS;
        } catch (SocketException e) {
            return 0;
        }
    }

    /** After a fatal TLS error: the connection is over, as with SunJSSE. */
    private void abortConnection() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            if (!keepPlainOpen) {
                plain.close();
            }
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "closing the socket after a TLS failure failed", e);
        } finally {
            SocketTls t = tls;
            if (t != null) {
                t.release();
            }
        }
    }

    @Override
    public boolean isClosed() {
        return closed.get();
    }

    /** Sends close_notify and, unless layered without autoClose, shuts the plain socket's output. */
    @Override
    public void shutdownOutput() throws IOException {
        if (isOutputShutdown()) {
            return;
        }
        connectedTls().closeOutbound(closeWaitMs());
        if (!keepPlainOpen && !plain.isOutputShutdown()) {
            plain.shutdownOutput();
        }
    }

    /** As SunJSSE: throws SSLException if the peer's close_notify has not arrived (truncation). */
    @Override
    public void shutdownInput() throws IOException {
        if (isInputShutdown()) {
            return;
        }
        try {
            connectedTls().closeInbound(closeWaitMs());
        } finally {
            if (!keepPlainOpen && !plain.isInputShutdown()) {
                plain.shutdownInput();
            }
        }
    }

    @Override
    public boolean isOutputShutdown() {
        return engine.isOutboundDone() && (keepPlainOpen || plain.isOutputShutdown());
    }

    @Override
    public boolean isInputShutdown() {
        return engine.isInboundDone() && (keepPlainOpen || plain.isInputShutdown());
    }

    // ---- configuration (the engine's) ---------------------------------------------------------

    @Override
    public String[] getSupportedCipherSuites() {
        return engine.getSupportedCipherSuites();
    }

    @Override
    public String[] getEnabledCipherSuites() {
        return engine.getEnabledCipherSuites();
    }

    @Override
    public void setEnabledCipherSuites(String[] suites) {
        engine.setEnabledCipherSuites(suites);
    }

    @Override
    public String[] getSupportedProtocols() {
        return engine.getSupportedProtocols();
    }

    @Override
    public String[] getEnabledProtocols() {
        return engine.getEnabledProtocols();
    }

    @Override
    public void setEnabledProtocols(String[] protocols) {
        engine.setEnabledProtocols(protocols);
    }

    @Override
    public void setUseClientMode(boolean mode) {
        engine.setUseClientMode(mode);
    }

    @Override
    public boolean getUseClientMode() {
        return engine.getUseClientMode();
    }

    @Override
    public void setNeedClientAuth(boolean need) {
        engine.setNeedClientAuth(need);
    }

    @Override
    public boolean getNeedClientAuth() {
        return engine.getNeedClientAuth();
    }

    @Override
    public void setWantClientAuth(boolean want) {
        engine.setWantClientAuth(want);
    }

    @Override
    public boolean getWantClientAuth() {
        return engine.getWantClientAuth();
    }

    @Override
    public void setEnableSessionCreation(boolean flag) {
        engine.setEnableSessionCreation(flag);
    }

    @Override
    public boolean getEnableSessionCreation() {
        return engine.getEnableSessionCreation();
    }

    @Override
    public SSLParameters getSSLParameters() {
        return engine.getSSLParameters();
    }

    @Override
    public void setSSLParameters(SSLParameters params) {
        engine.setSSLParameters(params);
    }

    @Override
    public String getApplicationProtocol() {
        return engine.getApplicationProtocol();
    }

    @Override
    public String getHandshakeApplicationProtocol() {
        return engine.getHandshakeApplicationProtocol();
    }

    /** The engine calls the selector with itself; the user's selector is shown this socket instead. */
    @Override
    public void setHandshakeApplicationProtocolSelector(BiFunction<SSLSocket, List<String>, String> selector) {
        alpnSelector = selector;
        engine.setHandshakeApplicationProtocolSelector(
            selector == null ? null : (e, offered) -> selector.apply(this, offered));
    }

    @Override
    public BiFunction<SSLSocket, List<String>, String> getHandshakeApplicationProtocolSelector() {
        return alpnSelector;
    }

    // ---- the plain socket's ---------------------------------------------------------------------

    @Override
    public InetAddress getInetAddress() {
        return plain.getInetAddress();
    }

    @Override
    public InetAddress getLocalAddress() {
        return plain.getLocalAddress();
    }

    @Override
    public int getPort() {
        return plain.getPort();
    }

    @Override
    public int getLocalPort() {
        return plain.getLocalPort();
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        return plain.getRemoteSocketAddress();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return plain.getLocalSocketAddress();
    }

    /** No channel: a TLS socket's bytes cannot be read around its records. */
    @Override
    public SocketChannel getChannel() {
        return null;
    }

    @Override
    public boolean isConnected() {
        return plain.isConnected();
    }

    @Override
    public boolean isBound() {
        return plain.isBound();
    }

    @Override
    public void setTcpNoDelay(boolean on) throws SocketException {
        plain.setTcpNoDelay(on);
    }

    @Override
    public boolean getTcpNoDelay() throws SocketException {
        return plain.getTcpNoDelay();
    }

    @Override
    public void setSoLinger(boolean on, int linger) throws SocketException {
        plain.setSoLinger(on, linger);
    }

    @Override
    public int getSoLinger() throws SocketException {
        return plain.getSoLinger();
    }

    @Override
    public void sendUrgentData(int data) throws IOException {
        throw new SocketException("This method is not supported by SSLSockets");
    }

    @Override
    public void setOOBInline(boolean on) throws SocketException {
        throw new SocketException("This method is ineffective for SSLSockets");
    }

    @Override
    public boolean getOOBInline() throws SocketException {
        throw new SocketException("This method is ineffective for SSLSockets");
    }

    @Override
    public void setSoTimeout(int timeout) throws SocketException {
        plain.setSoTimeout(timeout);
    }

    @Override
    public int getSoTimeout() throws SocketException {
        return plain.getSoTimeout();
    }

    @Override
    public void setSendBufferSize(int size) throws SocketException {
        plain.setSendBufferSize(size);
    }

    @Override
    public int getSendBufferSize() throws SocketException {
        return plain.getSendBufferSize();
    }

    @Override
    public void setReceiveBufferSize(int size) throws SocketException {
        plain.setReceiveBufferSize(size);
    }

    @Override
    public int getReceiveBufferSize() throws SocketException {
        return plain.getReceiveBufferSize();
    }

    @Override
    public void setKeepAlive(boolean on) throws SocketException {
        plain.setKeepAlive(on);
    }

    @Override
    public boolean getKeepAlive() throws SocketException {
        return plain.getKeepAlive();
    }

    @Override
    public void setTrafficClass(int tc) throws SocketException {
        plain.setTrafficClass(tc);
    }

    @Override
    public int getTrafficClass() throws SocketException {
        return plain.getTrafficClass();
    }

    @Override
    public void setReuseAddress(boolean on) throws SocketException {
        plain.setReuseAddress(on);
    }

    @Override
    public boolean getReuseAddress() throws SocketException {
        return plain.getReuseAddress();
    }

    @Override
    public void setPerformancePreferences(int connectionTime, int latency, int bandwidth) {
        plain.setPerformancePreferences(connectionTime, latency, bandwidth);
    }

    @Override
    public <T> Socket setOption(SocketOption<T> name, T value) throws IOException {
        plain.setOption(name, value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
        return plain.getOption(name);
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return plain.supportedOptions();
    }

    @Override
    public String toString() {
        SocketTls t = tls;
        SSLSession s = t != null && t.isEstablished() ? engine.getSession() : null;
        return "NativeSslSocket[" + plain + (s != null ? ", " + s.getProtocol() + ", " + s.getCipherSuite() : "")
            + (isClosed() ? ", closed" : "") + "]";
    }
}
