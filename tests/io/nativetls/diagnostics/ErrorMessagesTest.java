package io.nativetls.diagnostics;

import static io.nativetls.testing.Causes.messages;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.testing.RawPrivateKey;
import io.nativetls.testing.PlainTrustManager;
import io.nativetls.testing.EnginePair;
import io.nativetls.testing.Contexts;
import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.DelegatingKeyManager;
import io.nativetls.testing.TestPki;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The handshake failures users meet most, each against a real peer in memory: the exception
 * keeps the JSSE type SunJSSE would use, and its message says what happened and what to do.
 */
@Timeout(60)
class ErrorMessagesTest {
    private static final String HOST = "localhost";
    private static final int PORT = 443;

    private static SSLEngine client(SSLContext ctx, String host) {
        return ctx.createSSLEngine(host, PORT);
    }

    private static SSLEngine server(Impl impl) {
        return Contexts.server(impl, "server-ec").createSSLEngine();
    }

    /** The failure of the NativeTLS side, which must be an SSLHandshakeException. */
    private static SSLHandshakeException nativeFailure(EnginePair h, boolean nativeIsClient) {
        assertFalse(h.settle(SSLException.class), "the handshake succeeded");
        Exception e = nativeIsClient ? h.client.failure : h.server.failure;
        return assertInstanceOf(SSLHandshakeException.class, e, "NativeTLS side: " + e);
    }

    // ---- a private key without encoding that no JCA provider signs with -------------------------

    @ParameterizedTest(name = "{0} client")
    @ValueSource(strings = {"NATIVE", "SUN"})
    void aKeyNoProviderSignsWithSaysWhichAndWhy(Impl clientImpl) {
        KeyManager opaque = new DelegatingKeyManager((X509ExtendedKeyManager) TestPki.get().keyManagers("server-ec")[0]) {
            @Override
            public PrivateKey getPrivateKey(String alias) {
                return new RawPrivateKey(super.getPrivateKey(alias).getAlgorithm(), null, null); // no format, no encoding
            }
        };
        SSLContext sctx = Contexts.create(Impl.NATIVE, "TLS", new KeyManager[] {opaque}, TestPki.get().trustManagers());
        EnginePair h = new EnginePair(client(Contexts.client(clientImpl), HOST), sctx.createSSLEngine());
        String said = messages(nativeFailure(h, false));
        // Which key (alias, class), what it was asked to do, and what the JCA said.
        for (String phrase : new String[] {"1.0.server-ec", "RawPrivateKey", "could not sign", "SHA256withECDSA",
            "No installed provider supports this key"}) {
            assertTrue(said.contains(phrase), "missing \"" + phrase + "\": " + said);
        }
    }

    // ---- host name mismatch ------------------------------------------------------------------

    @ParameterizedTest(name = "extended trust manager: {0}")
    @ValueSource(booleans = {true, false})
    void aHostNameMismatchNamesBothSides(boolean extended) {
        TrustManager tm = extended ? TestPki.get().trustManagers()[0] : new PlainTrustManager((X509TrustManager) TestPki.get().trustManagers()[0]);
        SSLEngine c = client(Contexts.create(Impl.NATIVE, "TLS", null, new TrustManager[] {tm}), "wrong.example.org");
        SSLParameters p = c.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        c.setSSLParameters(p);
        SSLHandshakeException e = nativeFailure(new EnginePair(c, server(Impl.SUN)), true);
        CertificateException cause = assertInstanceOf(CertificateException.class, e.getCause(), messages(e));
        for (String phrase : new String[] {"hostname mismatch", "wrong.example.org", "DNS:localhost", "IP:127.0.0.1",
            "connect with one of those names"}) {
            assertTrue(cause.getMessage().contains(phrase), "missing \"" + phrase + "\": " + messages(e));
            assertTrue(e.getMessage().contains(phrase), "the handshake exception does not repeat it: " + e.getMessage());
        }
    }

    @Test
    void anUntrustedCertificateIsNotCalledAHostNameMismatch() {
        // The test CA does not issue "rogue": the chain is refused before any name is compared.
        SSLContext cctx = Contexts.create(Impl.NATIVE, "TLS", null, TestPki.get().trustManagersFor("rogue"));
        SSLEngine c = client(cctx, "wrong.example.org");
        SSLParameters p = c.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        c.setSSLParameters(p);
        SSLHandshakeException e = nativeFailure(new EnginePair(c, server(Impl.SUN)), true);
        assertFalse(messages(e).contains("hostname mismatch"), messages(e));
        assertFalse(messages(e).contains("hint:"), messages(e));
    }

    // ---- nothing in common: cipher suites, protocol versions ------------------------------------

    static Stream<Arguments> rolesAndProtocols() {
        List<Arguments> out = new ArrayList<>();
        for (boolean nativeIsClient : new boolean[] {true, false}) {
            for (String protocol : new String[] {"TLSv1.3", "TLSv1.2"}) {
                out.add(Arguments.of(nativeIsClient, protocol));
            }
        }
        return out.stream();
    }

    private static EnginePair pair(boolean nativeIsClient, SSLEngine nativeEngine, SSLEngine sunEngine) {
        return nativeIsClient ? new EnginePair(nativeEngine, sunEngine) : new EnginePair(sunEngine, nativeEngine);
    }

    private static SSLEngine engine(Impl impl, boolean client) {
        return client ? client(Contexts.client(impl), HOST) : server(impl);
    }

    @ParameterizedTest(name = "NativeTLS client: {0}, {1}")
    @MethodSource("rolesAndProtocols")
    void noSharedCipherSuiteNamesThisSidesSuitesAndWhereToChangeThem(boolean nativeIsClient, String protocol) {
        String mine = protocol.equals("TLSv1.3") ? "TLS_AES_128_GCM_SHA256" : "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256";
        String theirs = protocol.equals("TLSv1.3") ? "TLS_AES_256_GCM_SHA384" : "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384";
        SSLEngine n = engine(Impl.NATIVE, nativeIsClient);
        SSLEngine s = engine(Impl.SUN, !nativeIsClient);
        n.setEnabledProtocols(new String[] {protocol});
        s.setEnabledProtocols(new String[] {protocol});
        n.setEnabledCipherSuites(new String[] {mine});
        s.setEnabledCipherSuites(new String[] {theirs});
        String said = nativeFailure(pair(nativeIsClient, n, s), nativeIsClient).getMessage();
        for (String phrase : new String[] {"hint", "no cipher suite", mine, "setEnabledCipherSuites",
            "jdk.tls.disabledAlgorithms"}) {
            assertTrue(said.contains(phrase), "missing \"" + phrase + "\": " + said);
        }
        assertFalse(said.contains(theirs), said);
    }

    @ParameterizedTest(name = "NativeTLS client: {0}, NativeTLS enables {1}")
    @MethodSource("rolesAndProtocols")
    void noSharedProtocolNamesThisSidesProtocolsAndWhereToChangeThem(boolean nativeIsClient, String protocol) {
        String other = protocol.equals("TLSv1.3") ? "TLSv1.2" : "TLSv1.3";
        SSLEngine n = engine(Impl.NATIVE, nativeIsClient);
        SSLEngine s = engine(Impl.SUN, !nativeIsClient);
        n.setEnabledProtocols(new String[] {protocol});
        s.setEnabledProtocols(new String[] {other});
        String said = nativeFailure(pair(nativeIsClient, n, s), nativeIsClient).getMessage();
        for (String phrase : new String[] {"hint", "no TLS protocol version", "enables " + protocol,
            "setEnabledProtocols", "jdk.tls.disabledAlgorithms"}) {
            assertTrue(said.contains(phrase), "missing \"" + phrase + "\": " + said);
        }
    }
}
