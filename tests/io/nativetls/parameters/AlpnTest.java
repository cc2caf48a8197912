package io.nativetls.parameters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.testing.Contexts;
import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.EnginePair;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * ALPN, with SunJSSE as the oracle: every scenario runs against a SunJSSE server and a NativeTLS
 * server (with NativeTLS and SunJSSE clients), and the outcome (protocol chosen, or failure) must
 * be the same.
 */
@Timeout(60)
class AlpnTest {
    private static final String[] NONE = {};

    /** A server-side scenario: its protocol list and, optionally, a selector. */
    static final class Scenario {
        final String name;
        final String[] client;
        final String[] server;
        final BiFunction<SSLEngine, List<String>, String> selector;

        Scenario(String name, String[] client, String[] server, BiFunction<SSLEngine, List<String>, String> selector) {
            this.name = name;
            this.client = client;
            this.server = server;
            this.selector = selector;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static List<Scenario> scenarios() {
        String[] h2First = {"h2", "http/1.1"};
        return List.of(
            new Scenario("server order decides", h2First, new String[] {"http/1.1", "h2"}, null),
            new Scenario("common protocol", h2First, new String[] {"h2"}, null),
            new Scenario("no common protocol", new String[] {"h2"}, new String[] {"http/1.1"}, null),
            new Scenario("server without ALPN", h2First, NONE, null),
            new Scenario("client without ALPN", NONE, new String[] {"h2"}, null),
            new Scenario("selector picks", h2First, NONE, (e, offered) -> "http/1.1"),
            new Scenario("selector wins over list", h2First, new String[] {"h2"}, (e, offered) -> "http/1.1"),
            new Scenario("selector declines", h2First, new String[] {"h2"}, (e, offered) -> ""),
            new Scenario("selector returns null", h2First, NONE, (e, offered) -> null),
            new Scenario("selector returns unoffered", h2First, NONE, (e, offered) -> "spdy/3"));
    }

    static List<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Scenario s : scenarios()) {
            for (String protocol : new String[] {"TLSv1.3", "TLSv1.2"}) {
                for (Impl client : Impl.values()) {
                    out.add(Arguments.of(s, protocol, client));
                }
            }
        }
        return out;
    }

    /** The outcome: the protocol each side reports, or "failed". */
    static String run(Scenario s, String protocol, Impl clientImpl, Impl serverImpl) {
        SSLEngine client = Contexts.client(clientImpl).createSSLEngine("localhost", 443);
        client.setUseClientMode(true);
        SSLParameters cp = client.getSSLParameters();
        cp.setProtocols(new String[] {protocol});
        cp.setApplicationProtocols(s.client);
        client.setSSLParameters(cp);
        SSLEngine server = Contexts.server(serverImpl, "server-ec").createSSLEngine();
        server.setUseClientMode(false);
        SSLParameters sp = server.getSSLParameters();
        sp.setApplicationProtocols(s.server);
        server.setSSLParameters(sp);
        if (s.selector != null) {
            server.setHandshakeApplicationProtocolSelector(s.selector);
        }
        assertNull(client.getApplicationProtocol(), "null before the handshake");
        try {
            new EnginePair(client, server).handshake();
        } catch (SSLException e) {
            return "failed";
        }
        return client.getApplicationProtocol() + "|" + server.getApplicationProtocol();
    }

    @ParameterizedTest(name = "{0}, {1}, {2} client")
    @MethodSource("cases")
    void nativeServerAgreesWithSunJsse(Scenario s, String protocol, Impl clientImpl) {
        String expected = run(s, protocol, clientImpl, Impl.SUN);
        assertEquals(expected, run(s, protocol, clientImpl, Impl.NATIVE), "NativeTLS server vs SunJSSE server");
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("clientCases")
    void nativeClientAgreesWithSunJsse(Scenario s, String protocol) {
        String expected = run(s, protocol, Impl.SUN, Impl.SUN);
        assertEquals(expected, run(s, protocol, Impl.NATIVE, Impl.SUN), "NativeTLS client vs SunJSSE client");
    }

    static List<Arguments> clientCases() {
        List<Arguments> out = new ArrayList<>();
        for (Scenario s : scenarios()) {
            out.add(Arguments.of(s, "TLSv1.3"));
            out.add(Arguments.of(s, "TLSv1.2"));
        }
        return out;
    }

    @Test
    void negotiatedProtocolIsReported() {
        Scenario s = scenarios().get(1);
        assertEquals("h2|h2", run(s, "TLSv1.3", Impl.NATIVE, Impl.NATIVE));
        assertEquals("|", run(scenarios().get(3), "TLSv1.3", Impl.NATIVE, Impl.NATIVE), "\"\" when none");
    }

    private static SSLEngine nativeClientOfferingH2() {
        SSLEngine client = Contexts.client(Impl.NATIVE).createSSLEngine("localhost", 443);
        client.setUseClientMode(true);
        SSLParameters cp = client.getSSLParameters();
        cp.setApplicationProtocols(new String[] {"h2"});
        client.setSSLParameters(cp);
        return client;
    }

    @Test
    void failureSaysNoApplicationProtocol() {
        SSLEngine client = nativeClientOfferingH2();
        SSLEngine server = Contexts.server(Impl.NATIVE, "server-ec").createSSLEngine();
        server.setUseClientMode(false);
        server.setHandshakeApplicationProtocolSelector((e, offered) -> "spdy/3");
        SSLHandshakeException e = org.junit.jupiter.api.Assertions.assertThrows(SSLHandshakeException.class,
            () -> new EnginePair(client, server).handshake());
        assertTrue(e.getMessage().contains("no application protocol") || e.getMessage().contains("no_application_protocol"),
            e.getMessage());
    }

    /** SunJSSE lets the selector's exception escape wrap/unwrap; NativeTLS fails the handshake with it as cause. */
    @Test
    void selectorExceptionFailsTheHandshakeWithItAsCause() {
        SSLEngine client = nativeClientOfferingH2();
        SSLEngine server = Contexts.server(Impl.NATIVE, "server-ec").createSSLEngine();
        server.setUseClientMode(false);
        IllegalStateException refusal = new IllegalStateException("selector refuses");
        server.setHandshakeApplicationProtocolSelector((e, offered) -> {
            throw refusal;
        });
        EnginePair pair = new EnginePair(client, server);
        SSLHandshakeException e = org.junit.jupiter.api.Assertions.assertThrows(SSLHandshakeException.class,
            pair::handshake);
        assertEquals(refusal, e.getCause(), "the selector's exception is the cause");
    }

    @Test
    void handshakeApplicationProtocolIsVisibleDuringTheHandshake() throws Exception {
        List<String> seen = new ArrayList<>();
        SSLEngine client = Contexts.client(Impl.NATIVE).createSSLEngine("localhost", 443);
        client.setUseClientMode(true);
        SSLParameters cp = client.getSSLParameters();
        cp.setApplicationProtocols(new String[] {"h2", "http/1.1"});
        client.setSSLParameters(cp);
        SSLEngine server = Contexts.server(Impl.NATIVE, "server-ec").createSSLEngine();
        server.setUseClientMode(false);
        server.setHandshakeApplicationProtocolSelector((e, offered) -> {
            seen.add(String.valueOf(e.getHandshakeApplicationProtocol()));
            seen.add(String.join(",", offered));
            return "h2";
        });
        new EnginePair(client, server).handshake();
        assertEquals(List.of("null", "h2,http/1.1"), seen);
        assertEquals("h2", server.getApplicationProtocol());
        assertNull(server.getHandshakeApplicationProtocol(), "null once the handshake is over");
    }
}
