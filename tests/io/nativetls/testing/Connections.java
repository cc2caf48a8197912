package io.nativetls.testing;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;

/** Whole connections between two contexts, for tests about what carries over between them. */
public final class Connections {
    private Connections() {}

    /**
     * One connection to host:port: handshake, a little data each way (so TLS 1.3 tickets get
     * read), close. Returns {client session, server session}. serverSuites null keeps the defaults.
     */
    public static SSLSession[] connect(SSLContext client, SSLContext server, String host, int port, String protocol,
                                       String[] serverSuites) throws SSLException {
        SSLEngine c = client.createSSLEngine(host, port);
        c.setUseClientMode(true);
        c.setEnabledProtocols(new String[] {protocol});
        SSLEngine s = server.createSSLEngine();
        s.setUseClientMode(false);
        if (serverSuites != null) {
            s.setEnabledCipherSuites(serverSuites);
        }
        EnginePair pair = new EnginePair(c, s);
        pair.handshake();
        pair.exchange(100, 1);
        SSLSession[] sessions = {c.getSession(), s.getSession()};
        pair.close(pair.client);
        return sessions;
    }
}
