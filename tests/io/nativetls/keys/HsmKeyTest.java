package io.nativetls.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.internal.tool.EngineStream;
import io.nativetls.keys.Handshake.Role;
import io.nativetls.testing.Causes;
import io.nativetls.testing.ChildProcess;
import io.nativetls.testing.Closer;
import io.nativetls.testing.Lines;
import io.nativetls.testing.Contexts;
import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.DelegatingKeyManager;
import io.nativetls.testing.EnginePair;
import io.nativetls.testing.SoftHsm;
import io.nativetls.testing.Tags;
import io.nativetls.testing.TestPki;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.X509ExtendedKeyManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Keys that never leave their token: RSA-2048 and EC P-256 keys made inside a SoftHSM2 token,
 * sensitive and non-extractable, reached through SunPKCS11's key store and a PKIX key manager as
 * an application configures them. NativeTLS signs with them as server and as client, TLS 1.3 and
 * 1.2, against SunJSSE and NativeTLS in this JVM and against openssl s_client/s_server; after each
 * full handshake the token itself (counted by pkcs11-spy between SunPKCS11 and SoftHSM2) has made
 * exactly one signature, and the peer verified the token key's certificate.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@Tag(Tags.INTEROP)
class HsmKeyTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int SOCKET_TIMEOUT_MS = 10_000;
    private static final String[] KINDS = {"RSA", "EC"};

    @RegisterExtension
    final Closer cleanup = new Closer();

    @BeforeAll
    static void token() throws Exception {
        SoftHsm hsm = SoftHsm.get();
        for (String kind : KINDS) {
            if (!hsm.keyStore.containsAlias(server(kind))) {
                PrivateKey key = hsm.generate(server(kind), kind, "/CN=localhost", "server.ext");
                assertNull(key.getEncoded(), "the token's key has an encoding");
                hsm.generate(client(kind), kind, "/CN=nativetls-hsm-client", "client.ext");
            }
        }
    }

    private static String server(String kind) {
        return "hsm-server-" + kind.toLowerCase();
    }

    private static String client(String kind) {
        return "hsm-client-" + kind.toLowerCase();
    }

    /** The token's PKIX key manager, answering only with alias (the token holds other keys too). */
    private static KeyManager[] only(String alias) throws Exception {
        X509ExtendedKeyManager token = (X509ExtendedKeyManager) SoftHsm.get().keyManagers()[0];
        return new KeyManager[] {new DelegatingKeyManager(token) {
            private String pick(String[] aliases) {
                if (aliases != null) {
                    for (String a : aliases) {
                        if (a.endsWith("." + alias)) { // PKIX aliases are "builder.entry"
                            return a;
                        }
                    }
                }
                return null;
            }

            @Override
            public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
                return pick(getServerAliases(keyType, issuers));
            }

            @Override
            public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
                return pick(getServerAliases(keyType, issuers));
            }

            @Override
            public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
                return chooseClientAlias(keyTypes, issuers, null);
            }

            @Override
            public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
                for (String type : keyTypes) {
                    String a = pick(getClientAliases(type, issuers));
                    if (a != null) {
                        return a;
                    }
                }
                return null;
            }
        }};
    }

    static List<Arguments> inMemory() {
        return io.nativetls.testing.Matrix.list(new Object[] {"TLSv1.3", "TLSv1.2"}, KINDS, Role.values(),
            Impl.values());
    }

    @ParameterizedTest(name = "NativeTLS {2} with the token''s {1} key, {3} peer, {0}")
    @MethodSource("inMemory")
    void signsInTheTokenForAPeerInThisJvm(String protocol, String kind, Role role, Impl peer) throws Exception {
        String alias = role == Role.SERVER ? server(kind) : client(kind);
        long before = SoftHsm.get().signatures();
        EnginePair pair = Handshake.run(role, Impl.NATIVE, peer, protocol, only(alias));
        SSLEngine signer = role == Role.SERVER ? pair.server.engine : pair.client.engine;
        SSLEngine verifier = role == Role.SERVER ? pair.client.engine : pair.server.engine;
        X509Certificate certificate = SoftHsm.get().certificate(alias);
        assertEquals(protocol, verifier.getSession().getProtocol());
        assertEquals(certificate, verifier.getSession().getPeerCertificates()[0], "the certificate the peer verified");
        assertEquals(certificate, signer.getSession().getLocalCertificates()[0]);
        assertEquals(1, SoftHsm.get().signatures() - before, "signatures the token made for one full handshake");
        pair.exchange(20_000, 5);
    }

    private static String onlyFlag(String protocol) {
        return protocol.equals("TLSv1.3") ? "-tls1_3" : "-tls1_2";
    }

    static List<Arguments> withOpenSsl() {
        return io.nativetls.testing.Matrix.list(new Object[] {"TLSv1.3", "TLSv1.2"}, KINDS);
    }

    @ParameterizedTest(name = "NativeTLS server with the token''s {1} key, s_client verifies, {0}")
    @MethodSource("withOpenSsl")
    void openSslClientVerifiesTheTokensSignature(String protocol, String kind) throws Exception {
        String alias = server(kind);
        ServerSocket listener = cleanup.later(new ServerSocket(0, 1, InetAddress.getByName(ChildProcess.LOOPBACK)));
        listener.setSoTimeout(SOCKET_TIMEOUT_MS);
        ChildProcess client = cleanup.later(ChildProcess.openssl(TestPki.get().dir, List.of("s_client",
            "-connect", ChildProcess.LOOPBACK + ":" + listener.getLocalPort(), "-CAfile", "ca.pem",
            "-verify_return_error", "-verify_hostname", "localhost", onlyFlag(protocol), "-servername", "localhost")));
        Socket socket = cleanup.later(listener.accept());
        socket.setSoTimeout(SOCKET_TIMEOUT_MS);
        long before = SoftHsm.get().signatures();
        SSLEngine engine = context(alias).createSSLEngine();
        engine.setUseClientMode(false);
        EngineStream server = cleanup.later(new EngineStream(engine, socket));
        server.handshake();
        assertEquals(protocol, engine.getSession().getProtocol());
        assertEquals(1, SoftHsm.get().signatures() - before, "signatures the token made");

        Lines.write(server, "from-server\n");
        assertTrue(client.awaitOutput("from-server", WAIT), "s_client got no data" + client.describe());
        assertTrue(client.awaitOutput("Verify return code: ", WAIT), "no handshake summary" + client.describe());
        String out = client.output();
        assertTrue(out.contains("Verify return code: 0 (ok)"), "s_client verified the server" + client.describe());
        assertTrue(out.contains("CN = localhost") || out.contains("CN=localhost"), client.describe());
        assertTrue(out.contains("Peer signature type: " + (kind.equals("EC") ? "ECDSA" : "RSA")),
            "the signature s_client verified" + client.describe());
        client.write("from-client\n");
        assertEquals("from-client\n", Lines.readLine(server), "data from s_client");
    }

    @ParameterizedTest(name = "NativeTLS client with the token''s {1} key, s_server verifies, {0}")
    @MethodSource("withOpenSsl")
    void openSslServerVerifiesTheTokensSignature(String protocol, String kind) throws Exception {
        String alias = client(kind);
        ChildProcess server = cleanup.later(ChildProcess.opensslServer(TestPki.get().dir, List.of(
            "-cert", "server-ec.pem", "-key", "server-ec.key", onlyFlag(protocol), "-Verify", "1",
            "-verify_return_error", "-CAfile", "ca.pem"), WAIT));
        Socket socket = cleanup.later(new Socket());
        socket.connect(new InetSocketAddress(InetAddress.getByName(ChildProcess.LOOPBACK), server.port()),
            SOCKET_TIMEOUT_MS);
        socket.setSoTimeout(SOCKET_TIMEOUT_MS);
        long before = SoftHsm.get().signatures();
        SSLEngine engine = context(alias).createSSLEngine("localhost", server.port());
        engine.setUseClientMode(true);
        EngineStream client = cleanup.later(new EngineStream(engine, socket));
        client.handshake();
        assertEquals(protocol, engine.getSession().getProtocol());
        Lines.write(client, "from-client\n");
        assertTrue(server.awaitOutput("from-client", WAIT), "s_server got no data" + server.describe());
        assertEquals(SoftHsm.get().certificate(alias), engine.getSession().getLocalCertificates()[0]);
        assertEquals(1, SoftHsm.get().signatures() - before, "signatures the token made");
        String out = server.output();
        assertTrue(out.contains("nativetls-hsm-client"), "s_server saw the token key's certificate" + server.describe());
        assertTrue(out.contains("Peer signature type: " + (kind.equals("EC") ? "ECDSA" : "RSA")),
            "the signature s_server verified" + server.describe());
        server.write("from-server\n");
        assertEquals("from-server\n", Lines.readLine(client), "data from s_server");
    }

    /**
     * A token that refuses (here: logged out, as after a session timeout or a removed card) fails
     * the handshake with SunPKCS11's exception in the causes, and the peer fails too.
     */
    @Test
    void aTokenThatRefusesFailsTheHandshakeWithItsReason() throws Exception {
        SoftHsm hsm = SoftHsm.get();
        X509ExtendedKeyManager token = (X509ExtendedKeyManager) only(server("EC"))[0];
        String alias = token.chooseEngineServerAlias("EC", null, null);
        X509Certificate[] chain = token.getCertificateChain(alias);
        PrivateKey key = token.getPrivateKey(alias);
        // What the key manager read before the logout: the handle stays, the token no longer signs with it.
        KeyManager[] km = {new DelegatingKeyManager(token) {
            @Override
            public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
                return alias;
            }

            @Override
            public X509Certificate[] getCertificateChain(String a) {
                return chain;
            }

            @Override
            public PrivateKey getPrivateKey(String a) {
                return key;
            }
        }};
        hsm.logout();
        try {
            EnginePair pair = Handshake.pair(Role.SERVER, Impl.NATIVE, Impl.SUN, "TLSv1.3", km);
            assertFalse(pair.settle(SSLException.class), "a handshake completed with a logged-out token");
            SSLHandshakeException e = assertInstanceOf(SSLHandshakeException.class, pair.server.failure,
                pair.describe());
            String messages = Causes.messages(e);
            assertTrue(messages.contains("could not sign") && messages.contains(server("EC")), messages);
            assertTrue(messages.contains("CKR_"), "SunPKCS11's reason (a PKCS#11 return code): " + messages);
            assertTrue(pair.client.failure != null, "the peer did not fail");
        } finally {
            hsm.login(); // for the other tests
        }
        // Logging out invalidated the old handle (PKCS#11 drops private object handles): read the key again.
        EnginePair again = Handshake.run(Role.SERVER, Impl.NATIVE, Impl.SUN, "TLSv1.3", only(server("EC")));
        assertEquals("TLSv1.3", again.client.engine.getSession().getProtocol(), "the key signs again after login");
    }

    private static SSLContext context(String alias) throws Exception {
        return Contexts.create(Impl.NATIVE, "TLS", only(alias), TestPki.get().trustManagersFor("ca"));
    }
}
