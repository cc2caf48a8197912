package io.nativetls.internal.jsse;

import io.nativetls.internal.ssl.CipherSuites;
import io.nativetls.internal.ssl.Protocols;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;

/**
 * A listening socket whose accepted connections are NativeTLS sockets (server mode unless told
 * otherwise). Its settings are an {@link EngineConfig}, the engines' own, so the server socket
 * accepts and reports exactly what an engine does; each accepted socket's engine gets a copy.
 *
 * <p>The settings are guarded by this object's monitor: accept copies them on the accepting
 * thread while others may change them (ServerSocket's own synchronized methods are short too).
 */
final class NativeSslServerSocket extends SSLServerSocket {
    private final SocketEngines engines;
    private final EngineConfig settings;

    NativeSslServerSocket(SocketEngines engines) throws IOException {
        super();
        this.engines = engines;
        this.settings = engines.settings(false);
        settings.packetSize.unreported();
    }

    NativeSslServerSocket(SocketEngines engines, int port, int backlog, InetAddress address) throws IOException {
        super(port, backlog, address);
        this.engines = engines;
        this.settings = engines.settings(false);
        settings.packetSize.unreported();
    }

    @Override
    public Socket accept() throws IOException {
        Socket plain = super.accept();
        try {
            return NativeSslSocket.accepted(engines, plain, settingsCopy());
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    private synchronized EngineConfig settingsCopy() {
        return settings.copy();
    }

    @Override
    public synchronized String[] getEnabledCipherSuites() {
        return settings.getEnabledCipherSuites();
    }

    @Override
    public synchronized void setEnabledCipherSuites(String[] suites) {
        settings.setEnabledCipherSuites(suites);
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return CipherSuites.get().supported();
    }

    @Override
    public String[] getSupportedProtocols() {
        return Protocols.supported();
    }

    @Override
    public synchronized String[] getEnabledProtocols() {
        return settings.getEnabledProtocols();
    }

    @Override
    public synchronized void setEnabledProtocols(String[] protocols) {
        settings.setEnabledProtocols(protocols);
    }

    @Override
    public synchronized void setNeedClientAuth(boolean need) {
        settings.setNeedClientAuth(need);
    }

    @Override
    public synchronized boolean getNeedClientAuth() {
        return settings.getNeedClientAuth();
    }

    @Override
    public synchronized void setWantClientAuth(boolean want) {
        settings.setWantClientAuth(want);
    }

    @Override
    public synchronized boolean getWantClientAuth() {
        return settings.getWantClientAuth();
    }

    @Override
    public synchronized void setUseClientMode(boolean mode) {
        settings.setUseClientMode(mode);
    }

    @Override
    public synchronized boolean getUseClientMode() {
        return settings.getUseClientMode();
    }

    @Override
    public synchronized void setEnableSessionCreation(boolean flag) {
        settings.setEnableSessionCreation(flag);
    }

    @Override
    public synchronized boolean getEnableSessionCreation() {
        return settings.getEnableSessionCreation();
    }

    @Override
    public synchronized SSLParameters getSSLParameters() {
        return settings.getSSLParameters();
    }

    @Override
    public synchronized void setSSLParameters(SSLParameters params) {
        settings.setSSLParameters(params);
    }

    @Override
    public String toString() {
        return "NativeSslServerSocket[" + super.toString() + "]";
    }
}
