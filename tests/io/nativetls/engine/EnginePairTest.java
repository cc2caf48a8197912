package io.nativetls.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.testing.Matrix;
import io.nativetls.testing.Contexts;
import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.EnginePair;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** NativeTLS against itself and against SunJSSE in both roles: handshake, 1 MiB each way, close. */
class EnginePairTest {
    static Stream<Arguments> pairs() {
        return Matrix.of(Matrix.WITH_NATIVE, Matrix.PROTOCOLS, new String[] {"server-rsa", "server-ec"},
            new Object[] {false, true});
    }

    @ParameterizedTest(name = "{0} client, {1} server, {2}, {3}, direct={4}")
    @MethodSource("pairs")
    void handshakeExchangeAndClose(Impl client, Impl server, String protocol, String key, boolean direct)
        throws Exception {
        SSLEngine c = Contexts.client(client).createSSLEngine("localhost", 443);
        SSLEngine s = Contexts.server(server, key).createSSLEngine();
        c.setEnabledProtocols(new String[] {protocol});
        EnginePair pair = new EnginePair(c, s, new EnginePair.Options().direct(direct));
        pair.handshake();

        assertEquals(protocol, c.getSession().getProtocol());
        assertEquals(protocol, s.getSession().getProtocol());
        assertEquals(c.getSession().getCipherSuite(), s.getSession().getCipherSuite());
        assertTrue(c.getSession().getCipherSuite().startsWith("TLS_"), c.getSession().getCipherSuite());
        String keyAlg = key.equals("server-rsa") ? "RSA" : "EC";
        assertEquals(keyAlg, c.getSession().getPeerCertificates()[0].getPublicKey().getAlgorithm());
        assertEquals(c.getSession().getPeerCertificates()[0], s.getSession().getLocalCertificates()[0]);

        pair.exchange(1 << 20, 42);
        pair.close(pair.client);
        assertTrue(pair.server.sawClosed, "server saw the client's close_notify");
    }
}
