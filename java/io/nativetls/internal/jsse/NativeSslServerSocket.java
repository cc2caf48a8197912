package io.nativetls.internal.jsse;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;

/**
 * A listening socket whose accepted connections are NativeTLS sockets (server mode unless told
 * otherwise). The settings live in an engine that is never started, so the server socket accepts
 * and reports exactly what an engine does; each accepted socket's engine gets a copy.
 */
final class NativeSslServerSocket extends SSLServerSocket {
    private final SocketEngines engines;
    private final NativeSslEngine settings;

    NativeSslServerSocket(SocketEngines engines) throws IOException {
        super();
        this.engines = engines;
        this.settings = engines.settings(false);
    }

    NativeSslServerSocket(SocketEngines engines, int port, int backlog, InetAddress address) throws IOException {
        super(port, backlog, address);
        this.engines = engines;
        this.settings = engines.settings(false);
    }

    @Override
    public Socket accept() throws IOException {
        Socket plain = super.accept();
        try {
            return NativeSslSocket.accepted(engines, plain, settings);
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    @Override
    public String[] getEnabledCipherSuites() {
        return settings.getEnabledCipherSuites();
    }

    @Override
    public void setEnabledCipherSuites(String[] suites) {
        settings.setEnabledCipherSuites(suites);
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return settings.getSupportedCipherSuites();
    }

    @Override
    public String[] getSupportedProtocols() {
        return settings.getSupportedProtocols();
    }

    @Override
    public String[] getEnabledProtocols() {
        return settings.getEnabledProtocols();
    }

    @Override
    public void setEnabledProtocols(String[] protocols) {
        settings.setEnabledProtocols(protocols);
    }

    @Override
    public void setNeedClientAuth(boolean need) {
        settings.setNeedClientAuth(need);
    }

    @Override
    public boolean getNeedClientAuth() {
        return settings.getNeedClientAuth();
    }

    @Override
    public void setWantClientAuth(boolean want) {
        settings.setWantClientAuth(want);
    }

    @Override
    public boolean getWantClientAuth() {
        return settings.getWantClientAuth();
    }

    @Override
    public void setUseClientMode(boolean mode) {
        settings.setUseClientMode(mode);
    }

    @Override
    public boolean getUseClientMode() {
        return settings.getUseClientMode();
    }

    @Override
    public void setEnableSessionCreation(boolean flag) {
        settings.setEnableSessionCreation(flag);
    }

    @Override
    public boolean getEnableSessionCreation() {
        return settings.getEnableSessionCreation();
    }

    @Override
    public SSLParameters getSSLParameters() {
        return settings.getSSLParameters();
    }

    @Override
    public void setSSLParameters(SSLParameters params) {
        settings.setSSLParameters(params);
    }

    @Override
    public String toString() {
        return "NativeSslServerSocket[" + super.toString() + "]";
    }
}
