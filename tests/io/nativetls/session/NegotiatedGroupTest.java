package io.nativetls.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.nativetls.NativeTls;
import io.nativetls.testing.Connections;
import io.nativetls.testing.Contexts;
import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.SavedProperty;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link NativeTls#negotiatedGroup}: both ends of an engine pair name the group jdk.tls.namedGroups
 * left (read by NativeTLS per connection), a TLS 1.2 resumption the group of the handshake that
 * made the session (the resumption offers another one first), a TLS 1.3 resumption its own new
 * key exchange's; another provider's session, and a session not yet negotiated, give none.
 */
@Timeout(60)
class NegotiatedGroupTest {
    private static final String PROPERTY = "jdk.tls.namedGroups";
    private static final String HOST = "group.example";

    private static SSLSession[] connect(SSLContext client, SSLContext server, String protocol, String groups)
        throws Exception {
        try (SavedProperty restored = SavedProperty.of(PROPERTY)) {
            System.setProperty(PROPERTY, groups);
            return Connections.connect(client, server, HOST, 443, protocol, null);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void bothEndsAndResumption(String protocol) throws Exception {
        SSLContext client = Contexts.client(Impl.NATIVE);
        SSLContext server = Contexts.server(Impl.NATIVE, "server-rsa");
        SSLSession[] first = connect(client, server, protocol, "secp384r1");
        assertEquals(Optional.of("secp384r1"), NativeTls.negotiatedGroup(first[0]), "client");
        assertEquals(Optional.of("secp384r1"), NativeTls.negotiatedGroup(first[1]), "server");

        SSLSession[] again = connect(client, server, protocol, "x25519,secp384r1");
        assertSame(first[0], again[0], "the client resumed");
        assertSame(first[1], again[1], "the server resumed");
        // TLS 1.2 resumes without a key exchange: the session's own group stays; TLS 1.3 (psk_dhe_ke) makes a new one.
        String expected = protocol.equals("TLSv1.2") ? "secp384r1" : "x25519";
        assertEquals(Optional.of(expected), NativeTls.negotiatedGroup(again[0]), "client, resumed");
        assertEquals(Optional.of(expected), NativeTls.negotiatedGroup(again[1]), "server, resumed");
    }

    /** SunJSSE as the peer: NativeTLS's end names the group; SunJSSE's session is not NativeTLS's. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void againstSunJsse(String protocol) throws Exception {
        // SunJSSE reads jdk.tls.namedGroups once, at its first handshake: that must not be while it is set here.
        Connections.connect(Contexts.client(Impl.SUN), Contexts.server(Impl.SUN, "server-ec"), HOST, 443, protocol, null);
        // An RSA server: a TLS 1.2 ECDSA one would need its certificate's curve (P-256) among the groups.
        SSLSession[] nativeClient = connect(Contexts.client(Impl.NATIVE), Contexts.server(Impl.SUN, "server-rsa"),
            protocol, "secp521r1,x25519");
        assertEquals(Optional.of("secp521r1"), NativeTls.negotiatedGroup(nativeClient[0]));
        assertEquals(Optional.empty(), NativeTls.negotiatedGroup(nativeClient[1]), "SunJSSE's session");

        SSLSession[] nativeServer = Connections.connect(Contexts.client(Impl.SUN),
            Contexts.server(Impl.NATIVE, "server-ec"), HOST, 443, protocol, null);
        // SunJSSE's default list starts with x25519.
        assertEquals(Optional.of("x25519"), NativeTls.negotiatedGroup(nativeServer[1]));
        assertEquals(Optional.empty(), NativeTls.negotiatedGroup(nativeServer[0]), "SunJSSE's session");
    }

    @Test
    void noneBeforeTheHandshake() {
        SSLSession placeholder = Contexts.client(Impl.NATIVE).createSSLEngine().getSession();
        assertEquals(Optional.empty(), NativeTls.negotiatedGroup(placeholder));
    }
}
