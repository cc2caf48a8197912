package io.nativetls.internal.jsse;

import io.nativetls.internal.ssl.DisabledAlgorithms;
import io.nativetls.internal.ssl.SignatureSchemes;
import java.security.AlgorithmConstraints;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;

/**
 * Whether a cached session may be resumed by a connection with today's settings: only if that
 * connection could have made it. A resumption skips certificates and signatures, so everything
 * they would have been checked against now is checked against what the session remembers. A
 * session that fails a rule is not resumed; the handshake goes on as a full one, never an error.
 *
 * <p>The rules are SunJSSE's (protocol and suite enabled, a required client certificate present,
 * the same endpoint identification when one is asked for, the signature constraints), applied in
 * both TLS versions, plus RFC 6066's: a session is resumed only for the server name it was made for.
 */
final class ResumptionRules {
    private ResumptionRules() {}

    /** Client: whether to offer session on a connection asking for serverName (or none: null). */
    static boolean clientMayOffer(NativeSslSession session, EngineConfig config, String serverName) {
        return sharedRulesHold(session, config, serverName);
    }

    /**
     * Server: whether to resume session for a ClientHello asking for serverName (or none: null):
     * the rules both roles share, and a client certificate in the session if one is now needed.
     */
    static boolean serverMayResume(NativeSslSession session, EngineConfig config, String serverName) {
        boolean certificateIfNeeded = config.clientAuth != EngineConfig.CLIENT_AUTH_NEED || session.peerChain() != null;
        return certificateIfNeeded && sharedRulesHold(session, config, serverName);
    }

    /** What both roles check: suite and protocol, identification, server name, signature constraints. */
    private static boolean sharedRulesHold(NativeSslSession session, EngineConfig config, String serverName) {
        return negotiable(session, config) && sameIdentification(session, config)
            && sameServerName(session, serverName) && constraintsAllow(session, config.algorithmConstraints);
    }

    private static boolean negotiable(NativeSslSession session, EngineConfig config) {
        DisabledAlgorithms disabled = DisabledAlgorithms.current();
        return Arrays.asList(disabled.allowedProtocols(config.getEnabledProtocols())).contains(session.getProtocol())
            && Arrays.asList(disabled.allowedSuites(config.cipherSuites)).contains(session.getCipherSuite());
    }

    /** As SunJSSE: only a connection that asks for identification needs the session to have had the same. */
    private static boolean sameIdentification(NativeSslSession session, EngineConfig config) {
        String wanted = config.endpointIdentification;
        return wanted == null || wanted.isEmpty() || wanted.equalsIgnoreCase(session.identification());
    }

    private static boolean sameServerName(NativeSslSession session, String serverName) {
        String made = null;
        for (SNIServerName name : session.getRequestedServerNames()) {
            if (name instanceof SNIHostName) {
                made = ((SNIHostName) name).getAsciiName();
                break;
            }
        }
        return made == null ? serverName == null : made.equalsIgnoreCase(serverName);
    }

    /** The peer's handshake signature and certificate chain, as the session keeps them, are still allowed. */
    private static boolean constraintsAllow(NativeSslSession session, AlgorithmConstraints constraints) {
        if (constraints == null) {
            return true;
        }
        String scheme = session.peerSignatureScheme();
        if (scheme != null && !SignatureSchemes.permits(constraints, scheme)) {
            return false;
        }
        X509Certificate[] chain = session.peerChain();
        if (chain != null) {
            for (X509Certificate certificate : chain) {
                if (!SignatureSchemes.permits(constraints, certificate)) {
                    return false;
                }
            }
        }
        return true;
    }
}
