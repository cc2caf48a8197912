package io.nativetls.socket;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.testing.ChildProcess;
import io.nativetls.testing.Contexts;
import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.Contexts;
import io.nativetls.testing.Tags;
import io.nativetls.testing.TestPki;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A NativeTLS server socket with two names and two certificates serves each name its own, as
 * {@code openssl s_client -servername} sees it.
 */
@Timeout(60)
@Tag(Tags.INTEROP)
class SniInteropTest {
    /** RSA for rsa.example, EC for anything else; the name read from the handshake session. */
    static final class ByNameKeyManager extends X509ExtendedKeyManager {
        private final X509ExtendedKeyManager keys =
            (X509ExtendedKeyManager) TestPki.get().keyManagers("server-rsa", "server-ec")[0];

        private String choose(String keyType, SSLSocket socket) {
            List<?> names = ((ExtendedSSLSession) socket.getHandshakeSession()).getRequestedServerNames();
            String wanted = names.contains(new SNIHostName("rsa.example")) ? "RSA" : "EC";
            return keyType.equals(wanted) ? keys.chooseServerAlias(keyType, null, null) : null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return choose(keyType, (SSLSocket) socket);
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            throw new AssertionError("a socket handshake must ask with the socket");
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return keys.getServerAliases(keyType, issuers);
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return keys.getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return keys.getPrivateKey(alias);
        }
    }

    @ParameterizedTest(name = "{0} -servername {1}")
    @CsvSource({"-tls1_3, rsa.example, RSA", "-tls1_3, ec.example, EC", "-tls1_2, rsa.example, RSA",
        "-tls1_2, ec.example, EC"})
    void eachNameGetsItsCertificate(String flag, String name, String keyType) throws Exception {
        var ctx = Contexts.create(Impl.NATIVE, "TLS", new KeyManager[] {new ByNameKeyManager()},
            TestPki.get().trustManagers());
        try (SocketSupport.Server srv = new SocketSupport.Server(SocketSupport.listen(ctx), 1, s -> {
            s.startHandshake();
            s.getInputStream().read();
        })) {
            ChildProcess.Result r = ChildProcess.in(null).unset("LD_PRELOAD").run(List.of("openssl", "s_client",
                "-connect", "127.0.0.1:" + srv.port(), flag, "-servername", name, "-CAfile",
                TestPki.get().file("ca.pem").toString()), null, Duration.ofSeconds(30));
            String text = r.output;
            assertTrue(r.exit >= 0, text);
            String expected = keyType.equals("RSA") ? "Server public key is 2048 bit" : "Server public key is 256 bit";
            assertTrue(text.contains(expected), "expected " + expected + ":\n" + text);
            assertTrue(text.contains("Verify return code: 0 (ok)"), text);
        }
    }
}
