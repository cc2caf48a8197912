package io.nativetls.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * The benchmark's certificates: an EC P-256 CA and two server certificates it signed for
 * localhost, one with an EC P-256 key and one with an RSA-2048 key. Made once per JVM by the
 * openssl command in a temporary directory, which is deleted again once everything is loaded.
 *
 * <p>The openssl command runs with the environment's OPENSSL_CONF and LD_LIBRARY_PATH removed, so
 * that it is the system's own command with its own configuration even while the benchmark JVM
 * itself runs against another libssl.
 */
public final class Pki {
    /** The server key types the benchmarks use. */
    public enum KeyType {
        EC_P256("-algorithm EC -pkeyopt ec_paramgen_curve:P-256"),
        RSA_2048("-algorithm RSA -pkeyopt rsa_keygen_bits:2048");

        final String genpkeyOptions;

        KeyType(String genpkeyOptions) {
            this.genpkeyOptions = genpkeyOptions;
        }
    }

    private static final char[] PASSWORD = "bench".toCharArray();
    private static Pki instance;

    private final X509Certificate ca;
    private final Map<KeyType, X509Certificate> certs;
    private final Map<KeyType, PrivateKey> keys;
    /** The CA's files (ca.pem, ca.key, server.ext), for certifying keys made elsewhere (a token's). */
    private final Map<String, byte[]> caFiles;

    private Pki(X509Certificate ca, Map<KeyType, X509Certificate> certs, Map<KeyType, PrivateKey> keys,
                Map<String, byte[]> caFiles) {
        this.ca = ca;
        this.certs = certs;
        this.keys = keys;
        this.caFiles = caFiles;
    }

    /** The JVM's PKI, generated on first use. */
    public static synchronized Pki get() {
        if (instance == null) {
            try {
                instance = generate();
            } catch (IOException | InterruptedException | java.security.GeneralSecurityException e) {
                throw new IllegalStateException("generating the benchmark certificates with openssl failed: " + e, e);
            }
        }
        return instance;
    }

    private static Pki generate() throws IOException, InterruptedException, java.security.GeneralSecurityException {
        Path dir = Files.createTempDirectory("nativetls-bench-pki-");
        try {
            Files.writeString(dir.resolve("ca.ext"), "basicConstraints=critical,CA:TRUE\n"
                + "keyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\n");
            Files.writeString(dir.resolve("server.ext"), "basicConstraints=CA:FALSE\n"
                + "keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n"
                + "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
            run(dir, "genpkey", KeyType.EC_P256.genpkeyOptions, "-out ca.key");
            run(dir, "req -new -key ca.key -subj /CN=NativeTLS-Bench-CA -out ca.csr");
            run(dir, "x509 -req -in ca.csr -signkey ca.key -days 30 -sha256 -extfile ca.ext -out ca.pem");
            X509Certificate ca = certificate(dir.resolve("ca.pem"));
            Map<KeyType, X509Certificate> certs = new java.util.EnumMap<>(KeyType.class);
            Map<KeyType, PrivateKey> keys = new java.util.EnumMap<>(KeyType.class);
            for (KeyType type : KeyType.values()) {
                String name = "server-" + type.name().toLowerCase();
                run(dir, "genpkey", type.genpkeyOptions, "-out " + name + ".key");
                run(dir, "req -new -key " + name + ".key -subj /CN=localhost -out " + name + ".csr");
                run(dir, "x509 -req -in " + name + ".csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 30 -sha256"
                    + " -extfile server.ext -out " + name + ".pem");
                X509Certificate cert = certificate(dir.resolve(name + ".pem"));
                certs.put(type, cert);
                keys.put(type, privateKey(dir.resolve(name + ".key"), cert.getPublicKey().getAlgorithm()));
            }
            Map<String, byte[]> caFiles = new java.util.HashMap<>();
            for (String f : new String[] {"ca.pem", "ca.key", "server.ext"}) {
                caFiles.put(f, Files.readAllBytes(dir.resolve(f)));
            }
            return new Pki(ca, certs, keys, caFiles);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void run(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("openssl");
        for (String a : args) {
            cmd.addAll(List.of(a.split(" ")));
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().remove("OPENSSL_CONF");
        pb.environment().remove("LD_LIBRARY_PATH");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
    }

    private static X509Certificate certificate(Path pem) throws IOException, java.security.GeneralSecurityException {
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        return (X509Certificate) cf.generateCertificate(new ByteArrayInputStream(Files.readAllBytes(pem)));
    }

    private static PrivateKey privateKey(Path pem, String algorithm) throws IOException,
        java.security.GeneralSecurityException {
        String body = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
    }

    /**
     * A server certificate (CN=localhost) from the CA for a public key whose private half is
     * elsewhere (a PKCS#11 token): openssl x509 -new -force_pubkey, so only the public key is needed.
     */
    public X509Certificate certify(java.security.PublicKey publicKey) throws IOException, InterruptedException,
        java.security.GeneralSecurityException {
        Path dir = Files.createTempDirectory("nativetls-bench-certify-");
        try {
            for (Map.Entry<String, byte[]> f : caFiles.entrySet()) {
                Files.write(dir.resolve(f.getKey()), f.getValue());
            }
            Files.writeString(dir.resolve("token.pub"), "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(publicKey.getEncoded()) + "\n-----END PUBLIC KEY-----\n");
            run(dir, "x509 -new -subj /CN=localhost -force_pubkey token.pub -CA ca.pem -CAkey ca.key -days 30 -sha256"
                + " -extfile server.ext -set_serial 2 -out token.pem");
            return certificate(dir.resolve("token.pem"));
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    public X509Certificate ca() {
        return ca;
    }

    public PrivateKey key(KeyType type) {
        return keys.get(type);
    }

    /** The server's chain: its certificate, then the CA. */
    public X509Certificate[] chain(KeyType type) {
        return new X509Certificate[] {certs.get(type), ca};
    }

    /** Key managers of the JDK's default algorithm (SunX509) holding the one server key of that type. */
    public KeyManager[] keyManagers(KeyType type) {
        return keyManagers(type, null);
    }

    /** An in-memory PKCS12 key store holding the one server key of that type (alias "server", password {@link #password}). */
    public KeyStore keyStore(KeyType type) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("server", key(type), PASSWORD, chain(type));
            return ks;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String password() {
        return new String(PASSWORD);
    }

    /** Key managers holding the one server key of that type, from the provider's PKIX factory (null: the JDK's default). */
    public KeyManager[] keyManagers(KeyType type, java.security.Provider provider) {
        try {
            KeyStore ks = keyStore(type);
            KeyManagerFactory kmf = provider == null
                ? KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm())
                : KeyManagerFactory.getInstance("PKIX", provider);
            kmf.init(ks, PASSWORD);
            return kmf.getKeyManagers();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Trust managers of the JDK's default algorithm (PKIX) trusting the CA only. */
    public TrustManager[] trustManagers() {
        return trustManagers(null);
    }

    /** Trust managers trusting the CA only, from the given provider's PKIX factory (null: the JDK's default). */
    public TrustManager[] trustManagers(java.security.Provider provider) {
        try {
            KeyStore ts = KeyStore.getInstance("PKCS12");
            ts.load(null, null);
            ts.setCertificateEntry("ca", ca);
            TrustManagerFactory tmf = provider == null
                ? TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm())
                : TrustManagerFactory.getInstance("PKIX", provider);
            tmf.init(ts);
            return tmf.getTrustManagers();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
