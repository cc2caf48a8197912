package io.nativetls.parameters;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.testing.Contexts;
import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.DelegatingKeyManager;
import io.nativetls.testing.EnginePair;
import io.nativetls.testing.TestPki;
import java.security.Principal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Client authentication: the certificate request names the server trust manager's issuers, the
 * client's key manager picks with them, and want/need behave as with SunJSSE.
 */
@Timeout(60)
class ClientAuthTest {
    static final class IssuerRecordingKeyManager extends DelegatingKeyManager {
        final List<Principal[]> seen = Collections.synchronizedList(new ArrayList<>());

        IssuerRecordingKeyManager(X509ExtendedKeyManager d) {
            super(d);
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            seen.add(issuers);
            return super.chooseEngineClientAlias(keyType, issuers, engine);
        }
    }

    static List<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String protocol : new String[] {"TLSv1.3", "TLSv1.2"}) {
            for (Impl client : Impl.values()) {
                for (Impl server : Impl.values()) {
                    out.add(Arguments.of(protocol, client, server));
                }
            }
        }
        return out;
    }

    private static IssuerRecordingKeyManager clientKeys() {
        return new IssuerRecordingKeyManager((X509ExtendedKeyManager) TestPki.get().keyManagers("client")[0]);
    }

    /** Server trusting the named certificates' subjects; "need" or "want". */
    private static SSLEngine[] pair(String protocol, Impl clientImpl, Impl serverImpl, KeyManager km,
                                    String mode, String... serverTrusts) {
        SSLContext client = Contexts.create(clientImpl, "TLS", new KeyManager[] {km}, TestPki.get().trustManagers());
        SSLContext server = Contexts.create(serverImpl, "TLS", TestPki.get().keyManagers("server-ec"),
            TestPki.get().trustManagersFor(serverTrusts));
        SSLEngine c = client.createSSLEngine("localhost", 443);
        c.setUseClientMode(true);
        c.setEnabledProtocols(new String[] {protocol});
        SSLEngine s = server.createSSLEngine();
        s.setUseClientMode(false);
        if (mode.equals("need")) {
            s.setNeedClientAuth(true);
        } else {
            s.setWantClientAuth(true);
        }
        return new SSLEngine[] {c, s};
    }

    @ParameterizedTest(name = "{0}, client {1}, server {2}")
    @MethodSource("cases")
    void keyManagerGetsTheTrustedIssuersAndAuthenticates(String protocol, Impl clientImpl, Impl serverImpl)
        throws Exception {
        IssuerRecordingKeyManager km = clientKeys();
        SSLEngine[] e = pair(protocol, clientImpl, serverImpl, km, "need", "ca");
        new EnginePair(e[0], e[1]).handshake();
        assertEquals(TestPki.get().certificate("client"), e[1].getSession().getPeerCertificates()[0]);
        assertEquals(1, km.seen.size());
        assertArrayEquals(new Principal[] {new X500Principal("CN=NativeTLS-Test-CA")}, km.seen.get(0),
            "the certificate request names the server's trusted issuers");
    }

    @ParameterizedTest(name = "{0}, client {1}, server {2}")
    @MethodSource("cases")
    void wantWithoutMatchingCertificateSucceedsUnauthenticated(String protocol, Impl clientImpl, Impl serverImpl)
        throws Exception {
        SSLEngine[] e = pair(protocol, clientImpl, serverImpl, clientKeys(), "want", "rogue");
        new EnginePair(e[0], e[1]).handshake();
        assertThrows(SSLPeerUnverifiedException.class, () -> e[1].getSession().getPeerCertificates());
    }

    @ParameterizedTest(name = "{0}, client {1}, server {2}")
    @MethodSource("cases")
    void needWithoutMatchingCertificateFails(String protocol, Impl clientImpl, Impl serverImpl) {
        SSLEngine[] e = pair(protocol, clientImpl, serverImpl, clientKeys(), "need", "rogue");
        SSLException failure = assertThrows(SSLException.class, () -> new EnginePair(e[0], e[1]).handshake());
        if (serverImpl == Impl.NATIVE) {
            assertTrue(failure instanceof SSLHandshakeException, failure.toString());
            if (protocol.equals("TLSv1.3")) {
                assertTrue(failure.getMessage().contains("certificate required")
                    || failure.getMessage().contains("certificate_required"), failure.getMessage());
            }
        }
    }
}
