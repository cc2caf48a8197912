package io.nativetls.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * Keys and certificates made by the openssl command line for the tests: a CA, server certificates
 * for localhost/127.0.0.1 with RSA-2048, RSA-1024, EC P-256/P-384/P-521 and Ed25519 keys
 * (server-rsa, server-rsa1024, server-ec, server-ec384, server-ec521, server-ed25519), a client
 * certificate, and a self-signed server certificate nobody trusts. Legacy signatures, for the JDK
 * policy tests: an RSA CA (ca-rsa) that signed server-rsa's key with MD5 (server-rsa-md5) and with
 * SHA-1 (server-rsa-sha1), and the client key with MD5 (client-md5). Made once per test JVM in a
 * temp directory.
 *
 * <p>RSASSA-PSS: a second CA whose key is RSASSA-PSS ("ca-pss"), and under it server-pss and
 * client-pss (unrestricted RSASSA-PSS keys) and server-pss256 (an RSASSA-PSS key whose parameters
 * allow SHA-256 only). Every certificate of that chain is signed with PSS and SHA-512, so a peer
 * that accepts only rsa_pss_pss_sha512 still accepts the chain. client-rsa is an RSA client
 * certificate under the first CA.
 */
public final class TestPki {
    public static final char[] PASSWORD = "changeit".toCharArray();

    public enum KeyKind {
        RSA("-algorithm RSA -pkeyopt rsa_keygen_bits:2048"),
        RSA1024("-algorithm RSA -pkeyopt rsa_keygen_bits:1024"),
        EC("-algorithm EC -pkeyopt ec_paramgen_curve:P-256"),
        EC384("-algorithm EC -pkeyopt ec_paramgen_curve:P-384"),
        EC521("-algorithm EC -pkeyopt ec_paramgen_curve:P-521"),
        ED25519("-algorithm ED25519"),
        RSA_PSS("-algorithm RSA-PSS -pkeyopt rsa_keygen_bits:2048"),
        /** Parameters in the key restrict it to SHA-256 (digest and MGF1) with a 32-byte salt. */
        RSA_PSS_SHA256("-algorithm RSA-PSS -pkeyopt rsa_keygen_bits:2048 -pkeyopt rsa_pss_keygen_md:sha256"
            + " -pkeyopt rsa_pss_keygen_mgf1_md:sha256 -pkeyopt rsa_pss_keygen_saltlen:32");

        final String genpkey;

        KeyKind(String genpkey) {
            this.genpkey = genpkey;
        }
    }

    private static TestPki instance;

    public final Path dir;

    private TestPki(Path dir) {
        this.dir = dir;
    }

    public static synchronized TestPki get() {
        if (instance == null) {
            try {
                Path dir = Files.createTempDirectory("nativetls-pki-");
                dir.toFile().deleteOnExit();
                TestPki pki = new TestPki(dir);
                pki.generate();
                instance = pki;
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException("generating test certificates with openssl failed", e);
            }
        }
        return instance;
    }

    /** The PKI another test JVM made in dir (a forked probe reuses its parent's instead of making one). */
    public static synchronized TestPki existing(Path dir) {
        if (instance == null) {
            instance = new TestPki(dir);
        }
        return instance;
    }

    private void generate() throws IOException, InterruptedException {
        Files.writeString(dir.resolve("server.ext"),
            "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n"
                + "extendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n");
        Files.writeString(dir.resolve("client.ext"),
            "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n");
        Files.writeString(dir.resolve("ca.ext"),
            "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n"
                + "subjectKeyIdentifier=hash\n");
        key("ca", KeyKind.EC);
        openssl("req -new -key ca.key -subj /CN=NativeTLS-Test-CA -out ca.csr");
        openssl("x509 -req -in ca.csr -signkey ca.key -days 30 -sha256 -extfile ca.ext -out ca.pem");
        for (KeyKind kind : List.of(KeyKind.RSA, KeyKind.RSA1024, KeyKind.EC, KeyKind.EC384, KeyKind.EC521,
            KeyKind.ED25519)) {
            String name = "server-" + kind.name().toLowerCase();
            key(name, kind);
            signed(name, "/CN=localhost", "server.ext");
        }
        key("client", KeyKind.EC);
        signed("client", "/CN=nativetls-client", "client.ext");
        key("ca-rsa", KeyKind.RSA);
        openssl("req -new -key ca-rsa.key -subj /CN=NativeTLS-Test-RSA-CA -out ca-rsa.csr");
        openssl("x509 -req -in ca-rsa.csr -signkey ca-rsa.key -days 30 -sha256 -extfile ca.ext -out ca-rsa.pem");
        legacySigned("server-rsa-md5", "server-rsa", "/CN=localhost", "server.ext", "md5");
        legacySigned("server-rsa-sha1", "server-rsa", "/CN=localhost", "server.ext", "sha1");
        legacySigned("client-md5", "client", "/CN=nativetls-client", "client.ext", "md5");
        key("client-rsa", KeyKind.RSA);
        signed("client-rsa", "/CN=nativetls-client-rsa", "client.ext");
        generatePss();
        key("rogue", KeyKind.EC);
        openssl("req -new -key rogue.key -subj /CN=localhost -out rogue.csr");
        openssl("x509 -req -in rogue.csr -signkey rogue.key -days 30 -sha256 -extfile server.ext -out rogue.pem");
    }

    /** The RSASSA-PSS chain: a PSS CA signing with PSS, and its server and client certificates. */
    private void generatePss() throws IOException, InterruptedException {
        Files.writeString(dir.resolve("pss-server.ext"),
            "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n"
                + "extendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n");
        key("ca-pss", KeyKind.RSA_PSS);
        openssl("req -new -key ca-pss.key -subj /CN=NativeTLS-Test-PSS-CA -out ca-pss.csr");
        openssl("x509 -req -in ca-pss.csr -signkey ca-pss.key -days 30 -sha512 -extfile ca.ext -out ca-pss.pem");
        key("server-pss", KeyKind.RSA_PSS);
        signedBy("ca-pss", "server-pss", "/CN=localhost", "pss-server.ext", "-sha512");
        key("server-pss256", KeyKind.RSA_PSS_SHA256);
        signedBy("ca-pss", "server-pss256", "/CN=localhost", "pss-server.ext", "-sha512");
        key("client-pss", KeyKind.RSA_PSS);
        signedBy("ca-pss", "client-pss", "/CN=nativetls-client-pss", "client.ext", "-sha512");
    }

    private void key(String name, KeyKind kind) throws IOException, InterruptedException {
        openssl("genpkey " + kind.genpkey + " -out " + name + ".key");
    }

    private void signed(String name, String subject, String ext) throws IOException, InterruptedException {
        signedBy("ca", name, subject, ext, "-sha256");
    }

    private void signedBy(String ca, String name, String subject, String ext, String digest) throws IOException,
        InterruptedException {
        openssl("req -new -key " + name + ".key -subj " + subject + " -out " + name + ".csr");
        openssl("x509 -req -in " + name + ".csr -CA " + ca + ".pem -CAkey " + ca + ".key -CAcreateserial -days 30 "
            + digest + " -extfile " + ext + " -out " + name + ".pem");
    }

    /** A certificate for keyName's key signed by ca-rsa with digest; the key is copied to name.key. */
    private void legacySigned(String name, String keyName, String subject, String ext, String digest)
        throws IOException, InterruptedException {
        Files.copy(dir.resolve(keyName + ".key"), dir.resolve(name + ".key"));
        openssl("req -new -key " + name + ".key -subj " + subject + " -out " + name + ".csr");
        openssl("x509 -req -in " + name + ".csr -CA ca-rsa.pem -CAkey ca-rsa.key -CAcreateserial -days 30 -" + digest
            + " -extfile " + ext + " -out " + name + ".pem");
    }

    /** The CA that signed name: ca-rsa for the legacy-signed certificates, ca-pss for the PSS chain, else ca. */
    public static String issuerOf(String name) {
        return name.endsWith("-md5") || name.endsWith("-sha1") ? "ca-rsa"
            : name.endsWith("-pss") || name.endsWith("-pss256") ? "ca-pss" : "ca";
    }

    private void openssl(String args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("openssl");
        cmd.addAll(List.of(args.split(" ")));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("openssl " + args + " failed: " + out);
        }
    }

    public Path file(String name) {
        return dir.resolve(name);
    }

    public X509Certificate certificate(String name) {
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            return (X509Certificate) cf.generateCertificate(new ByteArrayInputStream(Files.readAllBytes(file(name + ".pem"))));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public PrivateKey privateKey(String name) {
        try {
            String pem = Files.readString(file(name + ".key"));
            String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            byte[] der = Base64.getDecoder().decode(body);
            X509Certificate cert = certificate(name);
            String alg = cert.getPublicKey().getAlgorithm();
            return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A key store holding name's key with its chain up to the CA. */
    public KeyStore keyStore(String... names) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            for (String name : names) {
                Certificate[] chain = name.equals("rogue") ? new Certificate[] {certificate(name)}
                    : new Certificate[] {certificate(name), certificate(issuerOf(name))};
                ks.setKeyEntry(name, privateKey(name), PASSWORD, chain);
            }
            return ks;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public KeyManager[] keyManagers(String... names) {
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
            kmf.init(keyStore(names), PASSWORD);
            return kmf.getKeyManagers();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Trust managers (SunJSSE's PKIX) trusting the test CA only. */
    public TrustManager[] trustManagers() {
        return trustManagersFor("ca");
    }

    public TrustManager[] trustManagersFor(String... names) {
        try {
            KeyStore ts = KeyStore.getInstance("PKCS12");
            ts.load(null, null);
            for (String name : names) {
                ts.setCertificateEntry(name, certificate(name));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(ts);
            return tmf.getTrustManagers();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
