package io.nativetls.internal.ssl;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLSession;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The trust decision, made by the application's X509TrustManager with the authType SunJSSE
 * would pass: from the negotiated key exchange for a TLS 1.2 server, UNKNOWN for TLS 1.3, and
 * from the certificate's key for a client certificate. Extended trust managers get the engine,
 * so they can check the host name and algorithm constraints.
 */
final class PeerVerifier {
    private final X509TrustManager trustManager;

    PeerVerifier(X509TrustManager trustManager) {
        this.trustManager = trustManager;
    }

    void verifyServer(X509Certificate[] chain, String authType, Transport transport) throws CertificateException {
        if (trustManager instanceof X509ExtendedTrustManager) {
            X509ExtendedTrustManager extended = (X509ExtendedTrustManager) trustManager;
            if (transport.engine != null) {
                extended.checkServerTrusted(chain, authType, transport.engine);
            } else {
                extended.checkServerTrusted(chain, authType, transport.socket);
            }
            return;
        }
        trustManager.checkServerTrusted(chain, authType);
        // A plain trust manager cannot see the engine: the identity check is ours, as in SunJSSE.
        checkIdentity(chain[0], transport);
    }

    private static void checkIdentity(X509Certificate leaf, Transport transport) throws CertificateException {
        String algorithm = transport.parameters().getEndpointIdentificationAlgorithm();
        if (algorithm == null || algorithm.isEmpty()) {
            return;
        }
        if (!algorithm.equalsIgnoreCase("HTTPS") && !algorithm.equalsIgnoreCase("LDAPS")) {
            throw new CertificateException("Unknown identification algorithm: " + algorithm);
        }
        String host = transport.peerHost();
        SSLSession hs = transport.handshakeSession();
        if (hs instanceof ExtendedSSLSession) {
            for (SNIServerName name : ((ExtendedSSLSession) hs).getRequestedServerNames()) {
                if (name instanceof SNIHostName) {
                    host = ((SNIHostName) name).getAsciiName();
                }
            }
        }
        HostnameMatcher.check(host, leaf);
    }

    void verifyClient(X509Certificate[] chain, Transport transport) throws CertificateException {
        String authType = clientAuthType(chain[0]);
        if (trustManager instanceof X509ExtendedTrustManager && transport.engine != null) {
            ((X509ExtendedTrustManager) trustManager).checkClientTrusted(chain, authType, transport.engine);
        } else if (trustManager instanceof X509ExtendedTrustManager) {
            ((X509ExtendedTrustManager) trustManager).checkClientTrusted(chain, authType, transport.socket);
        } else {
            trustManager.checkClientTrusted(chain, authType);
        }
    }

    static String clientAuthType(X509Certificate leaf) {
        String algorithm = leaf.getPublicKey().getAlgorithm();
        switch (algorithm) {
            case "RSA":
            case "DSA":
            case "EC":
            case "RSASSA-PSS":
                return algorithm;
            default:
                return "UNKNOWN";
        }
    }
}
