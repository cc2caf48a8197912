package io.nativetls.parameters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.testing.Matrix;
import io.nativetls.testing.Contexts;
import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.DelegatingKeyManager;
import io.nativetls.testing.EnginePair;
import io.nativetls.testing.TestPki;
import java.security.Principal;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIMatcher;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.StandardConstants;
import javax.net.ssl.X509ExtendedKeyManager;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Server Name Indication on both sides, NativeTLS against SunJSSE as the oracle. */
@Timeout(60)
class SniTest {
    /** Records the requested names the server's key manager sees, and picks the key by name. */
    static final class NameRecordingKeyManager extends DelegatingKeyManager {
        final List<List<SNIServerName>> seen = Collections.synchronizedList(new ArrayList<>());

        NameRecordingKeyManager(X509ExtendedKeyManager d) {
            super(d);
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            List<SNIServerName> names = ((ExtendedSSLSession) engine.getHandshakeSession()).getRequestedServerNames();
            seen.add(names);
            boolean wantRsa = names.stream().anyMatch(n -> n.equals(new SNIHostName("rsa.example")));
            String alias = super.chooseEngineServerAlias(keyType, issuers, engine);
            return alias != null && alias.endsWith(wantRsa ? "server-rsa" : "server-ec") ? alias : null;
        }
    }

    static NameRecordingKeyManager keyManager() {
        KeyManager[] km = TestPki.get().keyManagers("server-rsa", "server-ec");
        return new NameRecordingKeyManager((X509ExtendedKeyManager) km[0]);
    }

    static SSLContext server(Impl impl, NameRecordingKeyManager km) {
        return Contexts.create(impl, "TLS", new KeyManager[] {km}, TestPki.get().trustManagers());
    }

    /** Handshakes; returns the names the server saw and the server certificate the client got. */
    static Object[] connect(Impl clientImpl, Impl serverImpl, String host, List<SNIServerName> explicit,
                            List<SNIMatcher> matchers, String protocol) throws SSLException {
        NameRecordingKeyManager km = keyManager();
        SSLEngine client = Contexts.client(clientImpl).createSSLEngine(host, 443);
        client.setUseClientMode(true);
        SSLParameters cp = client.getSSLParameters();
        cp.setProtocols(new String[] {protocol});
        if (explicit != null) {
            cp.setServerNames(explicit);
        }
        client.setSSLParameters(cp);
        SSLEngine server = server(serverImpl, km).createSSLEngine();
        server.setUseClientMode(false);
        if (matchers != null) {
            SSLParameters sp = server.getSSLParameters();
            sp.setSNIMatchers(matchers);
            server.setSSLParameters(sp);
        }
        new EnginePair(client, server).handshake();
        X509Certificate leaf = (X509Certificate) client.getSession().getPeerCertificates()[0];
        List<SNIServerName> afterwards = ((ExtendedSSLSession) server.getSession()).getRequestedServerNames();
        return new Object[] {km.seen.isEmpty() ? null : km.seen.get(0), leaf.getPublicKey().getAlgorithm(), afterwards};
    }

    static List<Arguments> hosts() {
        return Matrix.list(Matrix.PROTOCOLS, Impl.values(),
            new String[] {"rsa.example", "ec.example", "127.0.0.1", "localhost", "::1"});
    }

    @ParameterizedTest(name = "{0}, {1} client, host {2}")
    @MethodSource("hosts")
    void keyManagerSeesTheRequestedNameAsWithSunJsse(String protocol, Impl clientImpl, String host) throws Exception {
        Object[] sun = connect(clientImpl, Impl.SUN, host, null, null, protocol);
        Object[] nat = connect(clientImpl, Impl.NATIVE, host, null, null, protocol);
        assertEquals(sun[0], nat[0], "names the key manager saw");
        assertEquals(sun[1], nat[1], "certificate chosen by name");
        assertEquals(sun[2], nat[2], "requested names in the final session");
    }

    @ParameterizedTest(name = "{0} client")
    @EnumSource(Impl.class)
    void rsaCertificateServedForItsName(Impl clientImpl) throws Exception {
        assertEquals("RSA", connect(clientImpl, Impl.NATIVE, "rsa.example", null, null, "TLSv1.3")[1]);
        assertEquals("EC", connect(clientImpl, Impl.NATIVE, "ec.example", null, null, "TLSv1.3")[1]);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Impl.class)
    void explicitServerNamesReplaceTheHost(Impl serverImpl) throws Exception {
        Object[] r = connect(Impl.NATIVE, serverImpl, "ec.example", List.of(new SNIHostName("rsa.example")), null,
            "TLSv1.3");
        assertEquals(List.of(new SNIHostName("rsa.example")), r[0]);
        assertEquals("RSA", r[1]);
    }

    static List<Arguments> matcherCases() {
        return Matrix.list(Matrix.PROTOCOLS, Impl.values());
    }

    @ParameterizedTest(name = "{0}, {1} client")
    @MethodSource("matcherCases")
    void rejectingMatcherFailsWithUnrecognizedName(String protocol, Impl clientImpl) {
        List<SNIMatcher> onlyExample = List.of(SNIHostName.createSNIMatcher("(.*\\.)?example"));
        for (Impl serverImpl : Impl.values()) {
            SSLHandshakeException e = assertThrows(SSLHandshakeException.class,
                () -> connect(clientImpl, serverImpl, "other.test", null, onlyExample, protocol), serverImpl.name());
            if (serverImpl == Impl.NATIVE) {
                assertTrue(e.getMessage().toLowerCase().contains("unrecognized"), e.getMessage());
            }
        }
    }

    @ParameterizedTest(name = "{0}, {1} client")
    @MethodSource("matcherCases")
    void acceptingMatcherLetsTheHandshakeThroughAndOtherTypesDoNot(String protocol, Impl clientImpl)
        throws Exception {
        List<SNIMatcher> onlyExample = List.of(SNIHostName.createSNIMatcher("(.*\\.)?example"));
        SNIMatcher otherType = new SNIMatcher(StandardConstants.SNI_HOST_NAME + 7) {
            @Override
            public boolean matches(SNIServerName serverName) {
                return false;
            }
        };
        for (Impl serverImpl : Impl.values()) {
            assertEquals("RSA", connect(clientImpl, serverImpl, "rsa.example", null, onlyExample, protocol)[1]);
            assertThrows(SSLHandshakeException.class,
                () -> connect(clientImpl, serverImpl, "ec.example", null, List.of(otherType), protocol),
                "with matchers set, a name no matcher of its type accepts is refused (" + serverImpl + ")");
        }
    }
}
