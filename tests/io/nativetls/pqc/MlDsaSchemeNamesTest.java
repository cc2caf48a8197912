package io.nativetls.pqc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.nativetls.testing.Contexts;
import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.EnginePair;
import io.nativetls.testing.SavedProperty;
import io.nativetls.testing.Tags;
import io.nativetls.testing.TestPki;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The ML-DSA scheme names on every OpenSSL and JDK (no assumption: this is what runs everywhere
 * else): where the loaded OpenSSL (3.0) or the JDK (17) lacks ML-DSA the names are skipped like
 * any unknown name and the rest of the list still goes out; with both (3.5 and JDK 24+) they go
 * out, in the order given. Read off what
 * the NativeTLS server saw the client offer (getPeerSupportedSignatureAlgorithms).
 */
@Timeout(60)
@Tag(Tags.PQC)
class MlDsaSchemeNamesTest {
    private static final String PROPERTY = "jdk.tls.client.SignatureSchemes";

    private static String[] offered(String property) throws Exception {
        try (SavedProperty restored = SavedProperty.of(PROPERTY)) {
            System.setProperty(PROPERTY, property);
            SSLEngine client = Contexts.client(Impl.NATIVE).createSSLEngine("localhost", 443);
            client.setUseClientMode(true);
            SSLEngine server = Contexts.server(Impl.NATIVE, "server-ec").createSSLEngine();
            server.setUseClientMode(false);
            EnginePair pair = new EnginePair(client, server);
            pair.handshake();
            return ((ExtendedSSLSession) pair.server.engine.getSession()).getPeerSupportedSignatureAlgorithms();
        }
    }

    /** Both have it: OpenSSL 3.5 (its provider's schemes) and a JDK with ML-DSA keys. */
    private static boolean withMlDsa() {
        try {
            java.security.KeyFactory.getInstance("ML-DSA");
        } catch (java.security.NoSuchAlgorithmException e) {
            return false;
        }
        return MlDsaPki.openSsl35();
    }

    @Test
    void mlDsaNamesGoOutWhereOpenSslHasThemAndAreSkippedElsewhere() throws Exception {
        TestPki.get();
        String[] seen = offered("mldsa65,ecdsa_secp256r1_sha256,MLDSA87");
        String[] expected = withMlDsa() ? new String[] {"ML-DSA-65", "SHA256withECDSA", "ML-DSA-87"}
            : new String[] {"SHA256withECDSA"};
        assertArrayEquals(expected, seen);
    }

    /**
     * A property naming ML-DSA alone, where OpenSSL or the JDK lacks it: it names nothing usable
     * and is ignored (the default list goes out, as EngineConfig ignores such a property).
     */
    @Test
    void mlDsaAloneIsIgnoredWhereUnavailable() throws Exception {
        assumeFalse(withMlDsa(), "OpenSSL and the JDK have ML-DSA here: MlDsaHandshakeTest.setSignatureSchemesRestricts"
            + " covers names they have");
        String[] seen = offered("mldsa44");
        String[] defaults = offered("");
        assertArrayEquals(defaults, seen, "the default list");
    }
}
