package io.nativetls.security;

import io.nativetls.testing.ChildProcess;
import io.nativetls.testing.TestPki;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Helpers for the security tests: key and trust managers that misbehave or count, extra certificates made with the openssl command line.
 */
final class SecuritySupport {
    static final String HOST = "localhost";
    static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    static final Duration WAIT = ChildProcess.WAIT;
    static final int SOCKET_TIMEOUT_MS = 10_000;

    private SecuritySupport() {}

    static boolean isNative(SSLEngine e) {
        return e.getClass().getName().startsWith("io.nativetls.");
    }

    /** Whether e is still in its handshake (not NOT_HANDSHAKING or FINISHED). */
    static boolean handshaking(SSLEngine e) {
        HandshakeStatus hs = e.getHandshakeStatus();
        return hs != HandshakeStatus.NOT_HANDSHAKING && hs != HandshakeStatus.FINISHED;
    }

    // ---- key managers and keys --------------------------------------------------------------------

    /**
     * A key manager with one alias for every key type, in both roles, returning exactly the chain and
     * key it was given (either may be null or wrong).
     */
    static final class FixedKeyManager extends X509ExtendedKeyManager {
        final String alias;
        final X509Certificate[] chain;
        final PrivateKey key;
        final AtomicInteger keyRequests = new AtomicInteger();

        FixedKeyManager(String alias, X509Certificate[] chain, PrivateKey key) {
            this.alias = alias;
            this.chain = chain;
            this.key = key;
        }

        @Override
        public String[] getClientAliases(String keyType, java.security.Principal[] issuers) {
            return new String[] {alias};
        }

        @Override
        public String chooseClientAlias(String[] keyType, java.security.Principal[] issuers, Socket socket) {
            return alias;
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, java.security.Principal[] issuers, SSLEngine engine) {
            return alias;
        }

        @Override
        public String[] getServerAliases(String keyType, java.security.Principal[] issuers) {
            return new String[] {alias};
        }

        @Override
        public String chooseServerAlias(String keyType, java.security.Principal[] issuers, Socket socket) {
            return alias;
        }

        @Override
        public String chooseEngineServerAlias(String keyType, java.security.Principal[] issuers, SSLEngine engine) {
            return alias;
        }

        @Override
        public X509Certificate[] getCertificateChain(String a) {
            return alias.equals(a) ? (chain == null ? null : chain.clone()) : null;
        }

        @Override
        public PrivateKey getPrivateKey(String a) {
            keyRequests.incrementAndGet();
            return alias.equals(a) ? key : null;
        }
    }

    /** The test CA's chain for name: the certificate of name, then the CA. */
    static X509Certificate[] chainOf(String name) {
        TestPki pki = TestPki.get();
        return new X509Certificate[] {pki.certificate(name), pki.certificate("ca")};
    }

    static X509Certificate readCertificate(Path pem) {
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            return (X509Certificate) cf.generateCertificate(new ByteArrayInputStream(Files.readAllBytes(pem)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- trust managers ---------------------------------------------------------------------------

    /** SunJSSE's PKIX trust manager trusting the test CA. */
    static X509ExtendedTrustManager caTrustManager() {
        return extended(TestPki.get().trustManagers());
    }

    static X509ExtendedTrustManager extended(TrustManager[] managers) {
        for (TrustManager tm : managers) {
            if (tm instanceof X509ExtendedTrustManager) {
                return (X509ExtendedTrustManager) tm;
            }
        }
        throw new IllegalStateException("no X509ExtendedTrustManager");
    }

    /** What a counting trust manager saw on one call. */
    static final class Check {
        final boolean server;
        final X509Certificate[] chain;
        final String authType;
        final boolean withEngine;

        Check(boolean server, X509Certificate[] chain, String authType, boolean withEngine) {
            this.server = server;
            this.chain = chain.clone();
            this.authType = authType;
            this.withEngine = withEngine;
        }
    }

    /**
     * An X509ExtendedTrustManager that records every call and either delegates or, with refuse set,
     * throws its own CertificateException for everything. Whatever it throws is kept in thrown.
     */
    static class CountingTrustManager extends X509ExtendedTrustManager {
        final X509ExtendedTrustManager delegate;
        final boolean refuse;
        final List<Check> checks = Collections.synchronizedList(new ArrayList<>());
        final List<Throwable> thrown = Collections.synchronizedList(new ArrayList<>());

        CountingTrustManager(X509ExtendedTrustManager delegate, boolean refuse) {
            this.delegate = delegate;
            this.refuse = refuse;
        }

        int serverChecks() {
            synchronized (checks) {
                return (int) checks.stream().filter(c -> c.server).count();
            }
        }

        int clientChecks() {
            synchronized (checks) {
                return (int) checks.stream().filter(c -> !c.server).count();
            }
        }

        interface Call {
            void run() throws CertificateException;
        }

        void decide(boolean server, X509Certificate[] chain, String authType, boolean withEngine, Call call)
            throws CertificateException {
            checks.add(new Check(server, chain, authType, withEngine));
            if (refuse) {
                CertificateException e = new CertificateException("refused by a trust manager that trusts nothing");
                thrown.add(e);
                throw e;
            }
            try {
                call.run();
            } catch (CertificateException | RuntimeException e) {
                thrown.add(e);
                throw e;
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
            decide(true, chain, authType, true, () -> delegate.checkServerTrusted(chain, authType, engine));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
            decide(true, chain, authType, false, () -> delegate.checkServerTrusted(chain, authType, socket));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            decide(true, chain, authType, false, () -> delegate.checkServerTrusted(chain, authType));
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
            decide(false, chain, authType, true, () -> delegate.checkClientTrusted(chain, authType, engine));
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
            decide(false, chain, authType, false, () -> delegate.checkClientTrusted(chain, authType, socket));
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            decide(false, chain, authType, false, () -> delegate.checkClientTrusted(chain, authType));
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return delegate.getAcceptedIssuers();
        }
    }

    // ---- extra certificates -----------------------------------------------------------------------

    /**
     * Certificates the shared TestPki lacks, made with the openssl command line in dir and signed by
     * the test CA: "expired" (valid in January 2020) and "future" (valid in January 2099) server
     * certificates for localhost with their own EC key, plus encrypted PKCS#8 DER of server-ec's key.
     */
    static final class ExtraPki {
        final Path dir;

        private ExtraPki(Path dir) {
            this.dir = dir;
        }

        static ExtraPki create(Path dir) throws IOException, InterruptedException {
            TestPki pki = TestPki.get();
            ExtraPki extra = new ExtraPki(dir);
            Files.copy(pki.file("ca.pem"), dir.resolve("ca.pem"));
            Files.copy(pki.file("ca.key"), dir.resolve("ca.key"));
            Files.copy(pki.file("server-ec.key"), dir.resolve("server-ec.key"));
            Files.createDirectories(dir.resolve("db"));
            Files.writeString(dir.resolve("db/index.txt"), "");
            Files.writeString(dir.resolve("db/serial"), "1000\n");
            Files.writeString(dir.resolve("ca.cnf"), String.join("\n",
                "[ ca ]",
                "default_ca = test",
                "[ test ]",
                "database = db/index.txt",
                "new_certs_dir = db",
                "serial = db/serial",
                "default_md = sha256",
                "policy = any",
                "unique_subject = no",
                "copy_extensions = none",
                "x509_extensions = server",
                "[ any ]",
                "commonName = supplied",
                "[ server ]",
                "basicConstraints = CA:FALSE",
                "keyUsage = critical,digitalSignature,keyEncipherment",
                "extendedKeyUsage = serverAuth",
                "subjectAltName = DNS:localhost,IP:127.0.0.1",
                ""));
            extra.signed("expired", "20200101000000Z", "20200201000000Z");
            extra.signed("future", "20990101000000Z", "20990201000000Z");
            extra.openssl("pkcs8", "-topk8", "-v2", "aes256", "-passout", "pass:x", "-in", "server-ec.key",
                "-outform", "DER", "-out", "server-ec.enc.p8");
            extra.openssl("pkcs8", "-topk8", "-nocrypt", "-in", "server-ec.key", "-outform", "DER", "-out",
                "server-ec.p8");
            return extra;
        }

        private void signed(String name, String start, String end) throws IOException, InterruptedException {
            openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", name + ".key");
            openssl("req", "-new", "-key", name + ".key", "-subj", "/CN=localhost", "-out", name + ".csr");
            openssl("ca", "-batch", "-config", "ca.cnf", "-cert", "ca.pem", "-keyfile", "ca.key", "-in",
                name + ".csr", "-startdate", start, "-enddate", end, "-notext", "-out", name + ".pem");
        }

        void openssl(String... args) throws IOException, InterruptedException {
            List<String> cmd = new ArrayList<>();
            cmd.add("openssl");
            cmd.addAll(List.of(args));
            ChildProcess.in(dir).run(cmd, null, Duration.ofSeconds(60)).requireSuccess();
        }

        Path file(String name) {
            return dir.resolve(name);
        }

        X509Certificate certificate(String name) {
            return readCertificate(file(name + ".pem"));
        }

        /** name's EC private key as a JCA key. */
        PrivateKey privateKey(String name) throws IOException, InterruptedException {
            Path der = file(name + ".p8");
            if (!Files.exists(der)) {
                openssl("pkcs8", "-topk8", "-nocrypt", "-in", name + ".key", "-outform", "DER", "-out", name + ".p8");
            }
            try {
                return java.security.KeyFactory.getInstance("EC")
                    .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(Files.readAllBytes(der)));
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        byte[] bytes(String file) throws IOException {
            return Files.readAllBytes(file(file));
        }
    }

    /** Wraps whatever a failed engine still has to send (its alert) and writes it to the socket. */
    static int sendPendingRecords(SSLEngine engine, Socket socket) throws IOException {
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        for (int i = 0; i < 8 && !engine.isOutboundDone(); i++) {
            SSLEngineResult r;
            try {
                r = engine.wrap(EMPTY, out);
            } catch (SSLException e) {
                break;
            }
            if (r.bytesProduced() == 0) {
                break;
            }
        }
        out.flip();
        int n = out.remaining();
        if (n > 0) {
            socket.getOutputStream().write(out.array(), out.arrayOffset() + out.position(), n);
            socket.getOutputStream().flush();
        }
        return n;
    }
}
