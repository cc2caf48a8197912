package io.nativetls.engine;

import static org.junit.jupiter.api.Assertions.assertThrows;

import io.nativetls.testing.Contexts;
import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.EnginePair;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * beginHandshake() after closeOutbound() on an established engine throws SSLException, as on an
 * engine closed before its handshake, whether or not the close_notify has been wrapped yet.
 * SunJSSE, run the same way, is the oracle.
 */
@Timeout(30)
class BeginAfterCloseTest {
    static List<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (Impl impl : Impl.values()) {
            for (String protocol : new String[] {"TLSv1.3", "TLSv1.2"}) {
                for (boolean client : new boolean[] {true, false}) {
                    for (boolean wrapped : new boolean[] {true, false}) {
                        all.add(Arguments.of(impl, protocol, client, wrapped));
                    }
                }
            }
        }
        return all;
    }

    @ParameterizedTest(name = "{0} {1}, client side {2}, close_notify wrapped {3}")
    @MethodSource("cases")
    void beginHandshakeAfterCloseOutboundThrows(Impl impl, String protocol, boolean clientSide, boolean wrapped)
        throws Exception {
        SSLEngine c = Contexts.client(impl).createSSLEngine("localhost", 443);
        c.setUseClientMode(true);
        c.setEnabledProtocols(new String[] {protocol});
        SSLEngine s = Contexts.server(impl, "server-ec").createSSLEngine();
        s.setUseClientMode(false);
        EnginePair pair = new EnginePair(c, s);
        pair.handshake();
        pair.exchange(100, 1);
        EnginePair.Side side = clientSide ? pair.client : pair.server;
        side.engine.closeOutbound();
        if (wrapped) {
            pair.pump();
        }
        assertThrows(SSLException.class, side.engine::beginHandshake);
    }
}
