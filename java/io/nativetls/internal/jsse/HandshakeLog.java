package io.nativetls.internal.jsse;

import io.nativetls.internal.ssl.HandshakeSummary;
import java.lang.System.Logger.Level;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * One DEBUG line per handshake, done or failed, on the logger "io.nativetls". Failures stay at
 * DEBUG: a public server sees failing handshakes from scanners all day, and a WARNING each would
 * bury real problems. Nothing is formatted unless DEBUG is on.
 */
final class HandshakeLog {
    private static final System.Logger LOG = System.getLogger("io.nativetls");

    private HandshakeLog() {}

    /**
     * The engine's handshake just finished with this session; resumption and the key exchange
     * group (none for a resumption without one) as the handshake's summary says.
     */
    static void completed(SSLEngine engine, SSLSession session, HandshakeSummary summary) {
        if (!LOG.isLoggable(Level.DEBUG)) {
            return;
        }
        String alpn = engine.getApplicationProtocol();
        LOG.log(Level.DEBUG, "TLS handshake done: role=" + role(engine) + " peer=" + peer(engine)
            + " protocol=" + session.getProtocol() + " suite=" + session.getCipherSuite()
            + " group=" + (summary.group() == null ? "none" : summary.group())
            + " alpn=" + (alpn == null || alpn.isEmpty() ? "none" : alpn) + " sni=" + serverName(session)
            + " resumed=" + summary.resumed() + " peerSubject=\"" + peerSubject(session) + "\"");
    }

    /** A TLS 1.3 key reached its jdk.tls.keyLimits limit in this direction: the engine sends a KeyUpdate. */
    static void keyLimitReached(SSLEngine engine, String direction) {
        if (LOG.isLoggable(Level.DEBUG)) {
            LOG.log(Level.DEBUG, "TLS key limit reached: role=" + role(engine) + " peer=" + peer(engine)
                + " direction=" + direction + " action=KeyUpdate");
        }
    }

    /**
     * The engine failed with e (during the handshake when handshaking): logs it at DEBUG and
     * returns it to throw (its message already has a negotiation hint: see NegotiationHint).
     */
    static SSLException failed(SSLEngine engine, SSLException e, boolean handshaking) {
        SSLException thrown = e;
        if (LOG.isLoggable(Level.DEBUG)) {
            LOG.log(Level.DEBUG, (handshaking ? "TLS handshake failed: role=" : "TLS connection failed: role=")
                + role(engine) + " peer=" + peer(engine) + " exception=" + thrown.getClass().getSimpleName()
                + " reason=\"" + thrown.getMessage() + "\"");
        }
        return thrown;
    }

    private static String role(SSLEngine engine) {
        return engine.getUseClientMode() ? "client" : "server";
    }

    private static String peer(SSLEngine engine) {
        String host = engine.getPeerHost();
        int port = engine.getPeerPort();
        return (host == null ? "unknown" : host) + (port > 0 ? ":" + port : "");
    }

    private static String serverName(SSLSession session) {
        if (session instanceof ExtendedSSLSession) {
            List<SNIServerName> names = ((ExtendedSSLSession) session).getRequestedServerNames();
            for (SNIServerName name : names) {
                if (name instanceof SNIHostName) {
                    return ((SNIHostName) name).getAsciiName();
                }
            }
        }
        return "none";
    }

    private static String peerSubject(SSLSession session) {
        try {
            Certificate[] chain = session.getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate
                ? ((X509Certificate) chain[0]).getSubjectX500Principal().getName() : "none";
        } catch (SSLPeerUnverifiedException e) {
            return "none";
        }
    }
}
