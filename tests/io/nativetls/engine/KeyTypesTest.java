package io.nativetls.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nativetls.testing.Contexts;
import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.EnginePair;
import io.nativetls.testing.TestPki;
import java.security.interfaces.ECPublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every server key type a key manager can hand NativeTLS, against NativeTLS and SunJSSE clients. */
class KeyTypesTest {
    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String key : new String[] {"server-rsa", "server-ec", "server-ec384", "server-ec521", "server-ed25519"}) {
            for (String protocol : new String[] {"TLSv1.3", "TLSv1.2"}) {
                for (Impl client : Impl.values()) {
                    out.add(Arguments.of(key, protocol, client));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "NativeTLS server with {0}, {1}, {2} client")
    @MethodSource("cases")
    void serverKey(String key, String protocol, Impl client) throws Exception {
        SSLEngine c = Contexts.client(client).createSSLEngine("localhost", 443);
        c.setEnabledProtocols(new String[] {protocol});
        SSLEngine s = Contexts.server(Impl.NATIVE, key).createSSLEngine();
        EnginePair pair = new EnginePair(c, s);
        pair.handshake();
        assertEquals(protocol, c.getSession().getProtocol());
        assertEquals(TestPki.get().certificate(key), c.getSession().getPeerCertificates()[0]);
        assertEquals(TestPki.get().certificate(key), s.getSession().getLocalCertificates()[0]);
        if (key.startsWith("server-ec")) {
            int bits = ((ECPublicKey) c.getSession().getPeerCertificates()[0].getPublicKey()).getParams().getCurve()
                .getField().getFieldSize();
            assertEquals(key.equals("server-ec") ? 256 : key.equals("server-ec384") ? 384 : 521, bits);
        }
        pair.exchange(20_000, 3);
        pair.close(pair.client);
    }
}
