package io.nativetls.parameters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.testing.Connections;
import io.nativetls.testing.Contexts;
import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.EnginePair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Engines with non-default enabled suites get an SSL_CTX made for their set (built once per
 * set, a bounded number of them, then set per connection). Whichever one a connection uses, it
 * negotiates within its own set, and a session made on one resumes on another: the context's
 * ticket keys and session cache are shared by all of them.
 */
@Timeout(60)
class SuiteSetContextsTest {
    private static final String[] TLS13 = {"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
        "TLS_CHACHA20_POLY1305_SHA256"};

    /** More distinct sets (18) than the context keeps SSL_CTXs for, each used twice. */
    @Test
    void everyEngineNegotiatesWithinItsOwnSet() throws Exception {
        SSLContext client = Contexts.client(Impl.NATIVE);
        SSLContext server = Contexts.server(Impl.NATIVE, "server-ec");
        List<String> ecdsa12 = new ArrayList<>();
        for (String suite : client.getDefaultSSLParameters().getCipherSuites()) {
            if (suite.startsWith("TLS_ECDHE_ECDSA_")) {
                ecdsa12.add(suite);
            }
        }
        assertTrue(ecdsa12.size() >= 3, "default TLS 1.2 ECDSA suites: " + ecdsa12);
        int sets = 0;
        for (int round = 0; round < 4; round++) {
            for (String s12 : ecdsa12.subList(0, 3)) {
                for (String s13 : TLS13) {
                    boolean tls13 = (sets++ % 2) == 0;
                    SSLEngine c = client.createSSLEngine();
                    c.setUseClientMode(true);
                    // Rounds 0 and 1 use 9 sets, rounds 2 and 3 another 9 (the same suites in the other order).
                    c.setEnabledCipherSuites(round < 2 ? new String[] {s13, s12} : new String[] {s12, s13});
                    c.setEnabledProtocols(new String[] {tls13 ? "TLSv1.3" : "TLSv1.2"});
                    SSLEngine s = server.createSSLEngine();
                    s.setUseClientMode(false);
                    // The server's set differs too: its suites in reverse order.
                    List<String> reversed = new ArrayList<>(Arrays.asList(s.getEnabledCipherSuites()));
                    java.util.Collections.reverse(reversed);
                    s.setEnabledCipherSuites(reversed.toArray(new String[0]));
                    EnginePair pair = new EnginePair(c, s);
                    pair.handshake();
                    pair.exchange(100, sets);
                    assertEquals(tls13 ? s13 : s12, c.getSession().getCipherSuite());
                    assertEquals(c.getSession().getCipherSuite(), s.getSession().getCipherSuite());
                    pair.close(pair.client);
                }
            }
        }
        assertEquals(36, sets);
    }

    private static SSLSession[] connect(SSLContext client, SSLContext server, String protocol, String[] serverSuites)
        throws SSLException {
        return Connections.connect(client, server, "suites.example", 443, protocol, serverSuites);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void aSessionFromOneSuiteSetResumesOnAnother(String protocol) throws Exception {
        SSLContext client = Contexts.client(Impl.NATIVE);
        SSLContext server = Contexts.server(Impl.NATIVE, "server-ec");
        SSLSession[] first = connect(client, server, protocol, null);
        // Another order, with the session's suite still first (TLS 1.3 resumes only with its hash).
        String[] defaults = server.getDefaultSSLParameters().getCipherSuites();
        List<String> other = new ArrayList<>(Arrays.asList(defaults));
        other.remove(first[1].getCipherSuite());
        java.util.Collections.reverse(other);
        other.add(0, first[1].getCipherSuite());
        String[] otherSet = other.toArray(new String[0]);
        assertNotEquals(Arrays.asList(defaults), other);
        SSLSession[] second = connect(client, server, protocol, otherSet);
        assertSame(first[1], second[1], "the server resumed a session made with its default suites");
        SSLSession[] third = connect(client, server, protocol, null);
        assertSame(first[1], third[1], "...and back");
    }
}
