package io.nativetls.internal.ssl;

import java.util.List;
import javax.net.ssl.SSLException;

/**
 * Which question the key manager is asked, by role and protocol: a client by the issuers the
 * server requests; a TLS 1.3 server by the client's signature schemes, since TLS 1.3 suites name
 * no key type; a TLS 1.2 server by the key types of the suites both sides enable.
 */
final class CredentialChoice {
    private static final int TLS13_VERSION = 0x0304;

    private CredentialChoice() {}

    static List<Credential> choose(CredentialSelector credentials, boolean client, Transport transport,
                                   int version, int[] peerSchemes, byte[][] issuers, String[] keyTypes)
        throws SSLException {
        if (client) {
            return credentials.forClient(transport, CertificateDecoder.issuers(issuers), peerSchemes);
        }
        if (version == TLS13_VERSION) {
            return credentials.forServerTls13(transport, peerSchemes);
        }
        return credentials.forServerTls12(transport, keyTypes != null ? keyTypes : new String[0]);
    }
}
