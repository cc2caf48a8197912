package io.nativetls.pqc;

import io.nativetls.internal.ssl.NativeRuntime;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * ML-DSA keys and certificates made by OpenSSL 3.5's command line: a CA with an ML-DSA-65 key
 * (so every signature of the chains is ML-DSA), server certificates for localhost/127.0.0.1 with
 * ML-DSA-44, -65 and -87 keys (server-mldsa44, server-mldsa65, server-mldsa87) and an ML-DSA-65
 * client certificate (client-mldsa65); also an EC P-256 server certificate under the same CA
 * (server-ec), for a server holding both kinds.
 *
 * <p>The private keys are written in the PKCS#8 form JDK 25 reads: the privateKey OCTET STRING
 * holds the FIPS 204 expanded key alone ("priv-only" in OpenSSL's terms). JDK 25's KeyFactory
 * "ML-DSA" refuses OpenSSL's default "seed-priv" form (seed and expanded key, a SEQUENCE: "DER
 * input not an octet string") and the "seed-only" one, and PrivateKey.getEncoded() of every JDK
 * 25 ML-DSA key (generated or decoded) gives the expanded form, which OpenSSL 3.5 reads.
 *
 * <p>Made once per test JVM in a temp directory, and only where {@link #missing()} is null.
 */
final class MlDsaPki {
    static final char[] PASSWORD = "changeit".toCharArray();
    static final String[] SERVERS = {"server-mldsa44", "server-mldsa65", "server-mldsa87"};

    private static MlDsaPki instance;

    final Path dir;
    /** The OpenSSL 3.5 command line: its binary, then what it needs in its environment. */
    final String openssl;
    final Map<String, String> environment;

    private MlDsaPki(Path dir, String openssl, Map<String, String> environment) {
        this.dir = dir;
        this.openssl = openssl;
        this.environment = environment;
    }

    /** Where OpenSSL 3.5 is installed (scripts/build-openssl.sh's default prefix unless told). */
    static Path home() {
        return Path.of(System.getProperty("io.nativetls.test.openssl35", "/opt/openssl-3.5"));
    }

    /**
     * Why these tests cannot run here, or null: they need the loaded OpenSSL to be 3.5 or later
     * (ML-DSA in TLS came with 3.5), a JDK with ML-DSA keys (24 on) and OpenSSL 3.5's command line.
     */
    static String missing() {
        if (!NativeRuntime.isLoaded()) {
            return "the NativeTLS library is not loaded";
        }
        if (!openSsl35()) {
            return "ML-DSA in TLS needs OpenSSL 3.5 or later; the loaded library is " + NativeRuntime.openSslVersion();
        }
        try {
            KeyFactory.getInstance("ML-DSA");
        } catch (NoSuchAlgorithmException e) {
            return "this JDK (" + Runtime.version() + ") has no ML-DSA keys; they came with JDK 24";
        }
        if (!Files.isExecutable(home().resolve("bin/openssl"))) {
            return "no OpenSSL 3.5 command line at " + home().resolve("bin/openssl")
                + " (set -Dio.nativetls.test.openssl35=PREFIX)";
        }
        return null;
    }

    static boolean openSsl35() {
        Matcher m = Pattern.compile("OpenSSL (\\d+)\\.(\\d+)").matcher(NativeRuntime.openSslVersion());
        if (!m.find()) {
            return false;
        }
        int major = Integer.parseInt(m.group(1));
        int minor = Integer.parseInt(m.group(2));
        return major > 3 || (major == 3 && minor >= 5);
    }

    static synchronized MlDsaPki get() {
        if (instance == null) {
            try {
                Path dir = Files.createTempDirectory("nativetls-mldsa-");
                dir.toFile().deleteOnExit();
                MlDsaPki pki = new MlDsaPki(dir, home().resolve("bin/openssl").toString(),
                    Map.of("LD_LIBRARY_PATH", home().resolve("lib").toString(),
                        "OPENSSL_CONF", System.getenv().getOrDefault("OPENSSL_CONF", "/usr/lib/ssl/openssl.cnf")));
                pki.generate();
                instance = pki;
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException("generating ML-DSA certificates with OpenSSL 3.5 failed", e);
            }
        }
        return instance;
    }

    private void generate() throws IOException, InterruptedException {
        Files.writeString(dir.resolve("server.ext"),
            "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n"
                + "extendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n");
        Files.writeString(dir.resolve("client.ext"),
            "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n");
        Files.writeString(dir.resolve("ca.ext"),
            "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\n");
        key("ca", "-algorithm ML-DSA-65");
        run("req -new -key ca.key -subj /CN=NativeTLS-Test-ML-DSA-CA -out ca.csr");
        run("x509 -req -in ca.csr -signkey ca.key -days 30 -extfile ca.ext -out ca.pem");
        for (String name : SERVERS) {
            key(name, "-algorithm ML-DSA-" + name.substring(name.length() - 2));
            signed(name, "/CN=localhost", "server.ext");
        }
        key("client-mldsa65", "-algorithm ML-DSA-65");
        signed("client-mldsa65", "/CN=nativetls-mldsa-client", "client.ext");
        key("server-ec", "-algorithm EC -pkeyopt ec_paramgen_curve:P-256");
        signed("server-ec", "/CN=localhost", "server.ext");
    }

    /** A key in the PKCS#8 form JDK 25 reads (see the class comment); OpenSSL reads it as well. */
    private void key(String name, String genpkey) throws IOException, InterruptedException {
        run("genpkey -provparam ml-dsa.output_formats=priv-only " + genpkey + " -out " + name + ".key");
    }

    private void signed(String name, String subject, String ext) throws IOException, InterruptedException {
        run("req -new -key " + name + ".key -subj " + subject + " -out " + name + ".csr");
        run("x509 -req -in " + name + ".csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 30 -extfile " + ext
            + " -out " + name + ".pem");
    }

    private void run(String args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(openssl);
        cmd.addAll(List.of(args.split(" ")));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(environment);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(openssl + " " + args + " failed: " + out);
        }
    }

    Path file(String name) {
        return dir.resolve(name);
    }

    X509Certificate certificate(String name) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(file(name + ".pem"))));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The key as JDK 25 decodes it: KeyFactory "ML-DSA" (or "EC") of the PEM file's PKCS#8. */
    PrivateKey privateKey(String name) {
        try {
            String body = Files.readString(file(name + ".key")).replaceAll("-----[A-Z ]+-----", "")
                .replaceAll("\\s", "");
            String algorithm = certificate(name).getPublicKey().getAlgorithm();
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder()
                .decode(body)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A PKCS12 key store with each name's key and its chain up to the CA. */
    KeyStore keyStore(String... names) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            for (String name : names) {
                ks.setKeyEntry(name, privateKey(name), PASSWORD,
                    new Certificate[] {certificate(name), certificate("ca")});
            }
            return ks;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Key managers of this algorithm (PKIX or SunX509) over {@link #keyStore}. */
    KeyManager[] keyManagersOf(String algorithm, String... names) {
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(algorithm);
            kmf.init(keyStore(names), PASSWORD);
            return kmf.getKeyManagers();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    KeyManager[] keyManagers(String... names) {
        return keyManagersOf("PKIX", names);
    }

    /** SunJSSE's PKIX trust managers trusting the ML-DSA CA only. */
    TrustManager[] trustManagers() {
        try {
            KeyStore ts = KeyStore.getInstance("PKCS12");
            ts.load(null, null);
            ts.setCertificateEntry("ca", certificate("ca"));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(ts);
            return tmf.getTrustManagers();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
