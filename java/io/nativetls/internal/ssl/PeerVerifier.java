package io.nativetls.internal.ssl;

import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
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
        try {
            checkServer(chain, authType, transport);
        } catch (CertificateException e) {
            throw explainMismatch(chain[0], transport, e);
        }
    }

    private void checkServer(X509Certificate[] chain, String authType, Transport transport) throws CertificateException {
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
        checkConstraints(chain, true);
    }

    /**
     * What SunJSSE adds to a plain X509TrustManager's verdict: every certificate of the chain
     * (the last one not, if the trust manager names it as an issuer) must conform to
     * jdk.tls.disabledAlgorithms and jdk.certpath.disabledAlgorithms, and be signed with an
     * algorithm this side supports. An X509ExtendedTrustManager decides alone, as there.
     */
    private void checkConstraints(X509Certificate[] chain, boolean serverChain) throws CertificateException {
        DisabledAlgorithms policy = DisabledAlgorithms.current();
        java.util.Set<String> supported = SchemePolicy.certificateAlgorithms(policy);
        int last = chain.length - 1;
        X509Certificate[] issuers = trustManager.getAcceptedIssuers();
        if (issuers != null && java.util.Arrays.asList(issuers).contains(chain[last])) {
            last--;
        }
        for (int i = last; i >= 0; i--) {
            String violation = policy.certificateViolation(chain[i], serverChain, supported, true);
            if (violation != null) {
                throw new CertificateException("Certificates do not conform to algorithm constraints: " + violation
                    + " of " + chain[i].getSubjectX500Principal().getName());
            }
        }
    }

    private static void checkIdentity(X509Certificate leaf, Transport transport) throws CertificateException {
        String algorithm = transport.parameters().getEndpointIdentificationAlgorithm();
        if (algorithm == null || algorithm.isEmpty()) {
            return;
        }
        if (!algorithm.equalsIgnoreCase("HTTPS") && !algorithm.equalsIgnoreCase("LDAPS")) {
            throw new CertificateException("Unknown identification algorithm: " + algorithm);
        }
        HostnameMatcher.check(expectedHost(transport), leaf);
    }

    /** The name the identity check compares: the SNI name sent, else the host the engine was made for. */
    private static String expectedHost(Transport transport) {
        String host = transport.peerHost();
        SSLSession hs = transport.handshakeSession();
        if (hs instanceof ExtendedSSLSession) {
            for (SNIServerName name : ((ExtendedSSLSession) hs).getRequestedServerNames()) {
                if (name instanceof SNIHostName) {
                    host = ((SNIHostName) name).getAsciiName();
                }
            }
        }
        return host;
    }

    /**
     * refusal, or, when the certificate does not name the host the client expects, a refusal that
     * says so with both sides of the comparison: the trust manager's own words ("No subject
     * alternative DNS name matching x found") name only the expected host.
     */
    private static CertificateException explainMismatch(X509Certificate leaf, Transport transport,
                                                        CertificateException refusal) {
        String algorithm = transport.parameters().getEndpointIdentificationAlgorithm();
        String host = expectedHost(transport);
        String said = String.valueOf(refusal.getMessage()).toLowerCase(Locale.ROOT);
        if (algorithm == null || algorithm.isEmpty() || host == null || host.isEmpty()
            || !(said.contains("subject alternative") || said.contains("name matching"))) {
            return refusal; // not the identity check (an untrusted chain is checked, and refused, first)
        }
        try {
            HostnameMatcher.check(host, leaf);
            return refusal; // the name matches: the refusal is about something else
        } catch (CertificateException mismatch) {
            return new CertificateException("hostname mismatch: the client expected \"" + host + "\" but the server's"
                + " certificate (" + leaf.getSubjectX500Principal().getName() + ") is for " + certificateNames(leaf)
                + "; connect with one of those names, or give the server a certificate naming " + host
                + " (endpoint identification " + algorithm + "; trust manager said: " + refusal.getMessage() + ")",
                refusal);
        }
    }

    /** The names a certificate can be matched by: its DNS and IP SANs, else its subject's CN. */
    private static String certificateNames(X509Certificate leaf) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> sans = leaf.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    int type = (Integer) san.get(0);
                    if (type == 2 || type == 7) {
                        names.add((type == 2 ? "DNS:" : "IP:") + san.get(1));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            names.add("(unparseable subject alternative names)");
        }
        return names.isEmpty() ? "no DNS or IP subject alternative name, subject " + leaf.getSubjectX500Principal()
            : String.join(", ", names);
    }

    void verifyClient(X509Certificate[] chain, Transport transport) throws CertificateException {
        String authType = clientAuthType(chain[0]);
        if (trustManager instanceof X509ExtendedTrustManager && transport.engine != null) {
            ((X509ExtendedTrustManager) trustManager).checkClientTrusted(chain, authType, transport.engine);
        } else if (trustManager instanceof X509ExtendedTrustManager) {
            ((X509ExtendedTrustManager) trustManager).checkClientTrusted(chain, authType, transport.socket);
        } else {
            trustManager.checkClientTrusted(chain, authType);
            checkConstraints(chain, false);
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
