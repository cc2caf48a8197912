package io.nativetls.parameters;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nativetls.testing.Contexts;
import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.DelegatingKeyManager;
import io.nativetls.testing.EnginePair;
import io.nativetls.testing.TestPki;
import java.security.Principal;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.X509ExtendedKeyManager;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A server's key manager may choose its certificate by the application protocol (h2 needs TLS
 * 1.2+ and strong suites): SunJSSE decides ALPN before it asks the key manager, so
 * getHandshakeApplicationProtocol() there is the chosen protocol, or "" once it is known that ALPN
 * will not be used (the Javadoc) — never null. NativeTLS must answer the same.
 */
@Timeout(60)
class AlpnBeforeKeyChoiceTest {
    /** What the client offers, what the server has, and what the key manager must see. */
    static List<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (String protocol : new String[] {"TLSv1.3", "TLSv1.2"}) {
            for (Impl client : Impl.values()) {
                all.add(Arguments.of(protocol, client, "", "h2", ""));
                all.add(Arguments.of(protocol, client, "h2,http/1.1", "h2", "h2"));
                all.add(Arguments.of(protocol, client, "http/1.1", "", ""));
                all.add(Arguments.of(protocol, client, "spdy/3,http/1.1", "http/1.1,h2", "http/1.1"));
            }
        }
        return all;
    }

    @ParameterizedTest(name = "{0}, {1} client offers [{2}], server has [{3}]")
    @MethodSource("cases")
    void keyManagerSeesTheApplicationProtocol(String protocol, Impl client, String offered, String serverHas,
                                              String expected) throws Exception {
        List<String> nativeSeen = handshake(protocol, client, Impl.NATIVE, offered, serverHas);
        List<String> sunSeen = handshake(protocol, client, Impl.SUN, offered, serverHas);
        assertEquals(List.of(expected), sunSeen, "SunJSSE's key manager saw");
        assertEquals(sunSeen, nativeSeen, "NativeTLS's key manager saw, as SunJSSE's");
    }

    private static List<String> handshake(String protocol, Impl clientImpl, Impl serverImpl, String offered,
                                          String serverHas) throws Exception {
        List<String> seen = new ArrayList<>();
        X509ExtendedKeyManager keys = (X509ExtendedKeyManager) TestPki.get().keyManagers("server-ec")[0];
        KeyManager recording = new DelegatingKeyManager(keys) {
            @Override
            public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
                String alias = super.chooseEngineServerAlias(keyType, issuers, engine);
                if (alias != null) {
                    seen.add(engine.getHandshakeApplicationProtocol());
                }
                return alias;
            }
        };
        SSLContext server = Contexts.create(serverImpl, "TLS", new KeyManager[] {recording},
            TestPki.get().trustManagers());
        SSLEngine c = Contexts.client(clientImpl).createSSLEngine("localhost", 443);
        c.setUseClientMode(true);
        SSLParameters cp = c.getSSLParameters();
        cp.setProtocols(new String[] {protocol});
        cp.setApplicationProtocols(list(offered));
        c.setSSLParameters(cp);
        SSLEngine s = server.createSSLEngine();
        s.setUseClientMode(false);
        SSLParameters sp = s.getSSLParameters();
        sp.setApplicationProtocols(list(serverHas));
        s.setSSLParameters(sp);
        new EnginePair(c, s).handshake();
        assertEquals(s.getApplicationProtocol(), c.getApplicationProtocol(), "both sides agree");
        return seen;
    }

    private static String[] list(String commaSeparated) {
        return commaSeparated.isEmpty() ? new String[0] : commaSeparated.split(",");
    }
}
